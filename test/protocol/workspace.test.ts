import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, type PublishParams } from './lsp-client';
import { applyTextEdits, type TextEdit } from './helpers';

const FIXTURES = join(__dirname, '..', 'fixtures');

/** The next publish for `uri` whose diagnostics satisfy `wanted` (the model loads in the background). */
async function diagnosticsUntil(client: LspClient, uri: string, wanted: (params: PublishParams) => boolean): Promise<PublishParams> {
  const message = await client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as PublishParams).uri === uri && wanted(m.params as PublishParams));
  return message.params as PublishParams;
}

const codes = (params: PublishParams, code: string): number[] => params.diagnostics.filter((d) => d.code === code).map((d) => d.range.start.line);

describe('language server: cross-file findings over stdio', () => {
  let client: LspClient;
  let dir: string;
  const uriOf = (path: string): string => pathToFileURL(join(dir, path)).href;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-lsp-ws-'));
    cpSync(join(FIXTURES, 'namespace-pss-violation', 'labelled'), dir, { recursive: true });
    cpSync(join(FIXTURES, 'workload-image-runs-as-root', 'skaffold-root'), join(dir, 'build'), { recursive: true });
    client = new LspClient();
    await client.initialize({ rootPath: dir });
  });

  after(async () => {
    await client.shutdown();
  });

  it('an open workload shows what its Namespace enforces, and a keystroke in the Namespace re-publishes it', async () => {
    const workloads = uriOf('workloads.yaml');
    client.open(workloads, 'yaml', readFileSync(join(dir, 'workloads.yaml'), 'utf8'));
    const first = await diagnosticsUntil(client, workloads, (p) => codes(p, 'namespace-pss-violation').length === 3);
    assert.deepEqual(codes(first, 'namespace-pss-violation'), [4, 34, 46]);

    // "Harden all containers" on the Deployment the restricted namespace rejects clears the finding.
    const original = readFileSync(join(dir, 'workloads.yaml'), 'utf8');
    const actions = await client.request<Array<{ title: string; data?: unknown; edit?: unknown }>>('textDocument/codeAction', {
      textDocument: { uri: workloads },
      range: { start: { line: 4, character: 13 }, end: { line: 4, character: 13 } },
      context: { diagnostics: [] },
    });
    const harden = actions.find((action) => action.title === 'Harden all containers');
    assert.ok(harden, `actions: ${actions.map((action) => action.title).join(', ')}`);
    const resolved = await client.request<{ edit: { changes: Record<string, TextEdit[]> } }>('codeAction/resolve', harden);
    const hardened = applyTextEdits(original, resolved.edit.changes[workloads] ?? []);
    client.notify('textDocument/didChange', { textDocument: { uri: workloads, version: 2 }, contentChanges: [{ text: hardened }] });
    const afterHarden = await client.diagnostics(workloads, 2);
    assert.deepEqual(codes(afterHarden, 'namespace-pss-violation'), [34, 46].map((line) => line + hardened.split('\n').length - original.split('\n').length));
    client.notify('textDocument/didChange', { textDocument: { uri: workloads, version: 3 }, contentChanges: [{ text: original }] });
    await diagnosticsUntil(client, workloads, (p) => p.version === 3);

    const namespaces = uriOf('namespaces.yaml');
    const text = readFileSync(join(dir, 'namespaces.yaml'), 'utf8');
    client.open(namespaces, 'yaml', text);
    await client.diagnostics(namespaces, 1);
    // Type over "restricted" in the shop Namespace: it now enforces "privileged".
    const line = text.split('\n').findIndex((l) => l.includes('enforce: restricted'));
    const column = text.split('\n')[line]?.indexOf('restricted') ?? 0;
    client.notify('textDocument/didChange', {
      textDocument: { uri: namespaces, version: 2 },
      contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + 'restricted'.length } }, text: 'privileged' }],
    });
    const after = await diagnosticsUntil(client, workloads, (p) => codes(p, 'namespace-pss-violation').length === 2);
    assert.deepEqual(codes(after, 'namespace-pss-violation'), [34, 46]);
  });

  it('a Dockerfile changed on disk re-publishes the closed manifests the workspace scan showed', async () => {
    const deploy = uriOf('build/k8s/deploy.yaml');
    const scanned = diagnosticsUntil(client, deploy, (p) => codes(p, 'workload-image-runs-as-root').length === 2);
    await client.request('shipshape/scanWorkspace', {});
    assert.deepEqual(codes(await scanned, 'workload-image-runs-as-root'), [14, 16]);

    const dockerfile = join(dir, 'build', 'services', 'cart', 'Dockerfile');
    writeFileSync(dockerfile, `${readFileSync(dockerfile, 'utf8')}USER 10001\n`);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(dockerfile).href, type: 2 }] });
    const republished = await diagnosticsUntil(client, deploy, (p) => codes(p, 'workload-image-runs-as-root').length === 1);
    assert.deepEqual(codes(republished, 'workload-image-runs-as-root'), [16]);
  });
});
