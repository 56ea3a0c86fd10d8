/**
 * The connection for the transport the command line names. Over stdio, traffic that is not
 * JSON-RPC gets the answer the JSON-RPC 2.0 spec prescribes (-32700 parse error, -32600 invalid
 * request, with id null) and the server keeps reading; vscode-jsonrpc alone only logs it.
 * IPC, sockets and pipes carry already-framed objects and use the library's own setup.
 */
import {
  AbstractMessageWriter,
  createConnection as createLspConnection,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  StreamMessageReader,
  type Connection,
  type MessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type ResponseMessage,
} from 'vscode-languageserver/node';
import { frameMessage } from './message-encoding';

function isJsonRpcMessage(message: unknown): message is Message {
  if (typeof message !== 'object' || message === null || !('jsonrpc' in message) || message.jsonrpc !== '2.0') return false;
  return 'method' in message ? typeof message.method === 'string' : 'id' in message && ('result' in message || 'error' in message);
}

class ValidatingReader extends StreamMessageReader {
  constructor(
    input: NodeJS.ReadableStream,
    private readonly reject: (code: number, message: string) => void,
  ) {
    super(input);
    this.onError((error) => reject(ErrorCodes.ParseError, `Parse error: ${error.message.split('\n')[0] ?? ''}`));
  }

  override listen(callback: DataCallback): Disposable {
    return super.listen((message: unknown) => {
      if (isJsonRpcMessage(message)) callback(message);
      else this.reject(ErrorCodes.InvalidRequest, 'Invalid request: not a JSON-RPC 2.0 request, notification or response.');
    });
  }
}

/** Frames from this size on get memory that is reused (below it, Node's pool serves them). */
const REUSE_FROM = 64 * 1024;

/**
 * Writes each message to the stream at once, header and body, as vscode-jsonrpc's IPC writer
 * sends each at once. Its stream writer queues a message behind a setImmediate and writes the
 * body only after the header's write callback: work done right after publishing diagnostics
 * (a keystroke's fixes) would then hold back the diagnostics themselves.
 */
export class ImmediateStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;
  /**
   * The memory of a large frame the stream has finished with, for the next one: a publish of
   * thousands of diagnostics at each keystroke would otherwise take two fresh megabytes each time,
   * and the page faults and garbage collections that come with them.
   */
  private spare: Buffer | undefined;

  constructor(private readonly output: NodeJS.WritableStream) {
    super();
    output.on('error', (error: Error) => this.fireError(error));
    output.on('close', () => this.fireClose());
  }

  /** Resolves once the stream has taken the whole message (a large publish leaves a pipe over many turns). */
  write(message: Message): Promise<void> {
    try {
      const frame = frameMessage(message, (size) => this.allocate(size));
      return new Promise((resolve, reject) => {
        this.output.write(frame, (error) => {
          if (frame.byteLength >= REUSE_FROM) this.release(frame);
          if (!error) return resolve();
          this.fireError(error, message, ++this.errorCount);
          reject(error);
        });
      });
    } catch (error) {
      this.fireError(error, message, ++this.errorCount);
      return Promise.reject(error);
    }
  }

  /** Small frames come from Node's shared pool; a large one gets memory of its own, or the spare. */
  private allocate(size: number): Buffer {
    if (size < REUSE_FROM) return Buffer.allocUnsafe(size);
    const spare = this.spare;
    this.spare = undefined;
    return spare && spare.byteLength >= size ? spare.subarray(0, size) : Buffer.allocUnsafeSlow(size);
  }

  /** A large frame written: all of its memory (it starts at the start of its own ArrayBuffer) is spare again. */
  private release(frame: Buffer): void {
    const whole = Buffer.from(frame.buffer, 0, frame.buffer.byteLength);
    if (!this.spare || this.spare.byteLength < whole.byteLength) this.spare = whole;
  }

  end(): void {
    this.output.end();
  }
}

export function createServerConnection(argv: readonly string[]): Connection {
  if (!argv.includes('--stdio')) return createLspConnection(ProposedFeatures.all);
  const writer = new ImmediateStreamWriter(process.stdout);
  const reject = (code: number, message: string): void => {
    const response: ResponseMessage = { jsonrpc: '2.0', id: null, error: { code, message } };
    void writer.write(response);
  };
  return createLspConnection(ProposedFeatures.all, new ValidatingReader(process.stdin, reject), writer);
}

/** The document a request names; a request without one is answered with InvalidParams (-32602). */
export function requireDocumentUri(params: unknown): string {
  if (typeof params === 'object' && params !== null && 'textDocument' in params) {
    const document = params.textDocument;
    if (typeof document === 'object' && document !== null && 'uri' in document && typeof document.uri === 'string') return document.uri;
  }
  throw new ResponseError(ErrorCodes.InvalidParams, 'Invalid params: textDocument.uri is required.');
}
