/**
 * The language server against hostile traffic and documents: malformed JSON-RPC, a 50 MB
 * document, bursts of changes, a document closed mid-analysis, and a clean shutdown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient, type Diagnostic } from './lsp-client';
import { DEPLOYMENT, ensureServerBuilt, only, PEA, range } from './helpers';

describe('language server: robustness', () => {
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = new LspClient();
    await client.initialize();
  });
  after(() => client.kill());

  it('answers malformed traffic with JSON-RPC errors and keeps serving', async () => {
    client.writeRaw('Content-Length: 5\r\n\r\n{bad}');
    client.send({ jsonrpc: '2.0' });
    const unknown = await client.requestRaw('shipshape/noSuchRequest', {});
    assert.equal(unknown.error?.code, -32601);
    const invalid = await client.requestRaw('textDocument/hover', {});
    assert.equal(invalid.error?.code, -32602);
    assert.deepEqual(
      client.unattributedErrors.map((m) => m.error?.code),
      [-32700, -32600],
    );
    const uri = 'untitled:Untitled-1';
    const published = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n');
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['parse-error'],
    );
    assert.ok(client.alive);
  });

  it('skips a 50 MB document with the reason and keeps serving', async () => {
    const uri = 'file:///big/huge.yaml';
    const published = client.diagnostics(uri, 1);
    const container = '        - name: web\n          image: nginx:1.27\n';
    client.open(uri, 'yaml', DEPLOYMENT + container.repeat(Math.ceil((50 * 1024 * 1024) / container.length)));
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [['file-skipped', 3]],
    );
    assert.match(diagnostics[0]?.message ?? '', /^The file is larger than maxFileSize \(50\.0 MB > 5\.0 MB\); it was not analysed\.$/);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const small = 'file:///big/small.yaml';
    const next = client.diagnostics(small, 1);
    client.open(small, 'yaml', DEPLOYMENT);
    assert.deepEqual(only((await next).diagnostics, PEA).map((d) => d.range), [range(8, 16, 8, 19)]);
  });

  it('settles on the last of thousands of rapid changes', async () => {
    const uri = 'file:///rapid/deploy.yaml';
    client.open(uri, 'yaml', DEPLOYMENT);
    await client.diagnostics(uri, 1);
    // Type "x" 1,500 times at the end of the image tag, then delete them one by one.
    const column = '          image: nginx:1.27'.length;
    let version = 1;
    for (let i = 0; i < 1500; i++) {
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: range(9, column + i, 9, column + i), text: 'x' }],
      });
    }
    for (let i = 1500; i > 0; i--) {
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: range(9, column + i - 1, 9, column + i), text: '' }],
      });
    }
    const last = await client.diagnostics(uri, version);
    assert.deepEqual(only(last.diagnostics, PEA).map((d) => d.range), [range(8, 16, 8, 19)]);
    assert.ok(client.alive);
  });

  it('leaves no diagnostics behind for a document closed while it was being analysed', async () => {
    const uri = 'file:///closing/large.yaml';
    const container = '        - name: web\n          image: nginx:1.27\n';
    client.open(uri, 'yaml', DEPLOYMENT + container.repeat(40000));
    client.notify('textDocument/didClose', { textDocument: { uri } });
    // A request answered after both notifications: every publish for the document has arrived by then.
    await client.request('textDocument/hover', { textDocument: { uri: 'file:///closing/other.yaml' }, position: { line: 0, character: 0 } });
    const publishes = client.notifications.filter(
      (m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri,
    );
    assert.ok(publishes.length > 0, 'the close clears the document');
    assert.deepEqual((publishes.at(-1)?.params as { diagnostics: Diagnostic[] }).diagnostics, []);
  });

  it('shuts down and exits with code 0', async () => {
    const own = new LspClient();
    await own.initialize();
    assert.equal(await own.shutdown(), 0);
  });
});
