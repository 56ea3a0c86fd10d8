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

/**
 * Writes each message to the stream at once, header and body, as vscode-jsonrpc's IPC writer
 * sends each at once. Its stream writer queues a message behind a setImmediate and writes the
 * body only after the header's write callback: work done right after publishing diagnostics
 * (a keystroke's fixes) would then hold back the diagnostics themselves.
 */
class ImmediateStreamWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly output: NodeJS.WritableStream) {
    super();
    output.on('error', (error: Error) => this.fireError(error));
    output.on('close', () => this.fireClose());
  }

  /** Resolves once the stream has taken the whole message (a large publish leaves a pipe over many turns). */
  write(message: Message): Promise<void> {
    try {
      const frame = frameMessage(message);
      return new Promise((resolve, reject) => {
        this.output.write(frame, (error) => {
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
