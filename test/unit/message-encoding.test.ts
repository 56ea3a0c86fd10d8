import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { Message } from 'vscode-languageserver/node';
import { ImmediateStreamWriter } from '../../server/src/connection';
import { frameMessage } from '../../server/src/message-encoding';

/** The frame's body, after checking that its header gives the body's length in bytes. */
function encodeMessage(message: Message): Buffer {
  const frame = frameMessage(message);
  const headerEnd = frame.indexOf('\r\n\r\n');
  const body = frame.subarray(headerEnd + 4);
  assert.equal(frame.subarray(0, headerEnd).toString('ascii'), `Content-Length: ${body.byteLength}`);
  return body;
}

function diagnostic(line: number, message: string): object {
  return {
    range: { start: { line, character: 2 }, end: { line, character: 9 } },
    severity: 2,
    source: 'shipshape',
    code: 'run-as-non-root-unset',
    codeDescription: { href: 'file:///docs/run-as-non-root-unset.md' },
    message,
  };
}

function publish(diagnostics: object[], version?: number): Message {
  return { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///w/a.yaml', ...(version === undefined ? {} : { version }), diagnostics } } as Message;
}

const stringified = (message: Message): string => JSON.stringify(message);

describe('message framing', () => {
  it('gives the bytes of JSON.stringify for a large publish, non-ASCII and escapes included', () => {
    const diagnostics = Array.from({ length: 40 }, (_, index) => diagnostic(index, `Container "web-${index}" — runs as "root"\n\u0001 ✓`));
    const message = publish(diagnostics, 7);
    assert.equal(encodeMessage(message).toString('utf8'), stringified(message));
    // Again, from the bytes kept for each diagnostic, with some new ones and in another order.
    const next = publish([diagnostic(99, 'new'), ...diagnostics.slice(5).reverse()], 8);
    assert.equal(encodeMessage(next).toString('utf8'), stringified(next));
  });

  it('encodes a publish without a version, small publishes and other messages whole', () => {
    const many = publish(Array.from({ length: 33 }, (_, index) => diagnostic(index, 'm')));
    assert.equal(encodeMessage(many).toString('utf8'), stringified(many));
    const few = publish([diagnostic(1, 'ü')], 1);
    assert.equal(encodeMessage(few).toString('utf8'), stringified(few));
    const empty = publish([], 2);
    assert.equal(encodeMessage(empty).toString('utf8'), stringified(empty));
    const response = { jsonrpc: '2.0', id: 3, result: { diagnostics: [1, 2] } } as Message;
    assert.equal(encodeMessage(response).toString('utf8'), stringified(response));
  });

  it('counts bytes, not characters, for the Content-Length', () => {
    const message = publish(Array.from({ length: 40 }, (_, index) => diagnostic(index, 'é'.repeat(index))), 1);
    assert.equal(encodeMessage(message).byteLength, Buffer.byteLength(stringified(message), 'utf8'));
    const small = { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'ü' } } as Message;
    assert.equal(frameMessage(small).toString('utf8'), `Content-Length: ${Buffer.byteLength(stringified(small))}\r\n\r\n${stringified(small)}`);
  });
});

describe('the stdio writer', () => {
  /** A stream that takes each chunk only later, as a pipe does when the reader is behind. */
  function slowStream(): { stream: Writable; received: () => string } {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          chunks.push(Buffer.from(chunk));
          done();
        }, 5);
      },
    });
    return { stream, received: () => Buffer.concat(chunks).toString('utf8') };
  }

  it('writes large messages whole and in order while earlier ones are still being taken, and reuses their memory after', async () => {
    const { stream, received } = slowStream();
    const writer = new ImmediateStreamWriter(stream);
    const messages = [1, 2, 3, 4].map((version) => publish(Array.from({ length: 300 }, (_, index) => diagnostic(index, `v${version} ${'x'.repeat(200)}`)), version));
    // Two in flight at once, then two more after they were taken (the second pair reuses memory).
    await Promise.all([writer.write(messages[0]!), writer.write(messages[1]!)]);
    await Promise.all([writer.write(messages[2]!), writer.write(messages[3]!)]);
    assert.equal(received(), messages.map((message) => `Content-Length: ${Buffer.byteLength(stringified(message))}\r\n\r\n${stringified(message)}`).join(''));
  });
});
