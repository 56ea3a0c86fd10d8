/**
 * JSON-RPC messages as the bytes the stdio transport sends. One message is much larger than the
 * rest: publishing diagnostics of a file with thousands of findings (two megabytes for 5,000), at
 * every keystroke, when nearly all of them are the same objects as in the last publish (the
 * conversion keeps a finding's diagnostic while the finding stays on its lines). Each diagnostic
 * object's bytes are kept, so such a publish is mostly a copy of bytes made before; serialising
 * and encoding it whole took ten times longer.
 */
import type { Message } from 'vscode-languageserver/node';

/** Bytes of diagnostics already sent, each after a comma, by object. Diagnostics are never changed once made. */
const encodedDiagnostics = new WeakMap<object, Buffer>();

/** Below this many diagnostics a publish is encoded whole: nothing worth keeping. */
const KEEP_FROM = 32;

/** Stands for the diagnostics array in the rest of a publish; JSON strings never hold a raw NUL. */
const PLACEHOLDER = '\u0000diagnostics\u0000';
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

/**
 * The message framed for a stream in one buffer (a pipe write costs as much as encoding a few
 * hundred diagnostics): the `Content-Length` header, then the UTF-8 JSON that `JSON.stringify`
 * would give, byte for byte. `allocate` gives the memory to write it into.
 */
export function frameMessage(message: Message, allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size)): Buffer {
  const body = bodyParts(message);
  const length = body.reduce((sum, part) => sum + part.byteLength, 0);
  const header = `Content-Length: ${length}\r\n\r\n`;
  const frame = allocate(header.length + length);
  let offset = frame.write(header, 0, 'ascii');
  for (const part of body) offset += part.copy(frame, offset);
  return frame;
}

function bodyParts(message: Message): Buffer[] {
  const publish = publishParams(message);
  if (!publish || publish.diagnostics.length < KEEP_FROM) return [Buffer.from(JSON.stringify(message), 'utf8')];
  const { params, diagnostics } = publish;
  const rest = JSON.stringify({ ...message, params: { ...params, diagnostics: PLACEHOLDER } });
  const at = rest.indexOf(PLACEHOLDER_JSON);
  const parts: Buffer[] = [Buffer.from(rest.slice(0, at), 'utf8'), OPEN];
  diagnostics.forEach((diagnostic, index) => {
    // Kept with the comma that separates it from the one before: half as many parts to copy.
    let bytes = encodedDiagnostics.get(diagnostic);
    if (!bytes) {
      bytes = Buffer.from(`,${JSON.stringify(diagnostic)}`, 'utf8');
      encodedDiagnostics.set(diagnostic, bytes);
    }
    parts.push(index === 0 ? bytes.subarray(1) : bytes);
  });
  parts.push(CLOSE, Buffer.from(rest.slice(at + PLACEHOLDER_JSON.length), 'utf8'));
  return parts;
}

function publishParams(message: Message): { params: object; diagnostics: readonly object[] } | undefined {
  if (!('method' in message) || message.method !== 'textDocument/publishDiagnostics' || !('params' in message)) return undefined;
  const params: unknown = message.params;
  if (typeof params !== 'object' || params === null || !('diagnostics' in params) || !Array.isArray(params.diagnostics)) return undefined;
  const diagnostics: unknown[] = params.diagnostics;
  return diagnostics.every((diagnostic) => typeof diagnostic === 'object' && diagnostic !== null) ? { params, diagnostics: diagnostics as object[] } : undefined;
}
