/**
 * A small LSP client for protocol tests: spawns the built server over stdio and speaks JSON-RPC
 * with Content-Length framing, as an editor would. Server → client requests are answered from
 * `settings` (workspace/configuration) or with null; every notification is recorded.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const SERVER_PATH = resolve(__dirname, '..', '..', 'server', 'out', 'server.js');

export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  message: string;
  codeDescription?: { href: string };
  relatedInformation?: unknown[];
}

export interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

type Waiter = { match: (message: Message) => boolean; resolve: (message: Message) => void };

export class LspClient {
  readonly notifications: Message[] = [];
  /** Server → client requests, in arrival order. */
  readonly serverRequests: Message[] = [];
  /** Error responses with id null: the server's answer to traffic it could not read. */
  readonly unattributedErrors: Message[] = [];
  settings: Record<string, unknown> = {};
  private readonly process: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private waiters: Waiter[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';

  /** `serverPath`: another build of the server (benchmarks compare two in one run). */
  constructor(args: string[] = ['--stdio'], serverPath = SERVER_PATH) {
    this.process = spawn(process.execPath, [serverPath, ...args], { stdio: 'pipe' });
    this.process.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // An answer written just as a test kills the server fails with EPIPE; whether the server is
    // alive is what tests assert (`alive`, `exited`), not the fate of that last write.
    this.process.stdin.on('error', () => undefined);
    this.exited = new Promise((done) => this.process.on('exit', (code) => done(code)));
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Raw bytes, for malformed-input tests. */
  writeRaw(data: string): void {
    this.process.stdin.write(data);
  }

  send(message: Message): void {
    const body = JSON.stringify(message);
    this.process.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    return this.requestRaw(method, params).then((message) => {
      if (message.error) throw new Error(`${method} failed: ${message.error.message}`);
      return message.result as T;
    });
  }

  requestRaw(method: string, params?: unknown): { id: number } & Promise<Message> {
    const id = this.nextId++;
    const promise = new Promise<Message>((done) => this.pending.set(id, done));
    this.send({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    return Object.assign(promise, { id });
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /**
   * The next notification, arriving from now on, that matches. The time limit only turns a server
   * that never answers into a failure instead of a hung run; it is no measure of speed (a loaded
   * machine running test files side by side may take many seconds).
   */
  waitFor(match: (message: Message) => boolean, timeoutMs = 120_000): Promise<Message> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching server message in ${timeoutMs / 1000} s`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolvePromise(message);
        },
      });
    });
  }

  /** The next publishDiagnostics for `uri` (and `version`, when given). */
  async diagnostics(uri: string, version?: number): Promise<PublishParams> {
    const message = await this.waitFor((m) => {
      if (m.method !== 'textDocument/publishDiagnostics') return false;
      const params = m.params as PublishParams;
      return params.uri === uri && (version === undefined || params.version === version);
    });
    return message.params as PublishParams;
  }

  async initialize(options: { rootPath?: string; initializationOptions?: unknown; capabilities?: unknown } = {}): Promise<unknown> {
    const rootUri = options.rootPath ? `file://${options.rootPath}` : null;
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      initializationOptions: options.initializationOptions,
      capabilities: options.capabilities ?? {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, resolveSupport: { properties: ['edit'] } },
        },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  async shutdown(): Promise<number | null> {
    if (!this.alive) return this.exited;
    await this.request('shutdown');
    this.notify('exit');
    return this.exited;
  }

  kill(): void {
    if (this.alive) this.process.kill();
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString();
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.serverRequests.push(message);
      this.send({ jsonrpc: '2.0', id: message.id, result: this.answer(message) });
      return;
    }
    if (message.method !== undefined) {
      this.notifications.push(message);
      const waiter = this.waiters.find((w) => w.match(message));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(message);
      }
      return;
    }
    if (message.id === null && message.error) {
      this.unattributedErrors.push(message);
      return;
    }
    if (typeof message.id === 'number') {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    }
  }

  private answer(message: Message): unknown {
    if (message.method === 'workspace/configuration') {
      const items = (message.params as { items: Array<{ section?: string }> }).items;
      return items.map((item) => (item.section ? (this.settings[item.section] ?? null) : null));
    }
    return null;
  }
}
