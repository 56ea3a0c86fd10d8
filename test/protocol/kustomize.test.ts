import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, type Diagnostic } from './lsp-client';
import { KUSTOMIZE_FIXTURES } from '../harness/kustomize';

interface CodeAction {
  title: string;
  edit?: { changes: Record<string, Array<{ range: Diagnostic['range']; newText: string }>> };
}

interface RelatedInformation {
  location: { uri: string };
  message: string;
}

const relatedOf = (diagnostic: Diagnostic | undefined): RelatedInformation[] => (diagnostic?.relatedInformation ?? []) as RelatedInformation[];
const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)}`);

describe('language server: Kustomize builds', () => {
  let client: LspClient;
  let root: string;
  const uri = (path: string): string => pathToFileURL(join(root, path)).href;
  const text = (path: string): string => readFileSync(join(root, path), 'utf8');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'shipshape-lsp-kustomize-'));
    cpSync(join(KUSTOMIZE_FIXTURES, 'shop'), root, { recursive: true });
    client = new LspClient();
    await client.initialize({ rootPath: root });
  });

  after(async () => {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  });

  it('the workspace scan reports files of builds from the builds, and a patch never alone', async () => {
    const published = new Map<string, string[]>();
    const patch = uri('overlays/staging/debug-port.yaml');
    const base = uri('base/deployment.yaml');
    const both = Promise.all([client.diagnostics(patch), client.diagnostics(base)]).then((params) => {
      for (const param of params) published.set(param.uri, codes(param.diagnostics));
    });
    const result = await client.request<{ files: number; analysed: number }>('shipshape/scanWorkspace', {});
    await both;
    assert.deepEqual({ files: result.files, analysed: result.analysed }, { files: 6, analysed: 6 });
    assert.deepEqual(published.get(patch), ['11:30 ssh-port-exposed', '12:25 host-port']);
    assert.deepEqual(published.get(base), ['24:17 read-only-root-filesystem']);
  });

  it('judges an open base through its builds, naming the builds in related information', async () => {
    const base = uri('base/deployment.yaml');
    const published = client.diagnostics(base, 1);
    client.open(base, 'yaml', text('base/deployment.yaml'));
    const { diagnostics } = await published;
    assert.deepEqual(codes(diagnostics), ['24:17 read-only-root-filesystem']);
    const related = relatedOf(diagnostics[0]);
    assert.deepEqual(related.map((r) => [r.location.uri, r.message]), [[uri('overlays/staging/kustomization.yaml'), 'Occurs in the Kustomize build of staging.']]);
  });

  it('offers the fix in the base and in the overlay, as a workspace edit', async () => {
    const base = uri('base/deployment.yaml');
    const diagnostics = (await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: base },
      range: { start: { line: 23, character: 16 }, end: { line: 23, character: 19 } },
      context: { diagnostics: [], only: ['quickfix'] },
    })).filter((action) => action.title.startsWith('Set readOnlyRootFilesystem'));
    assert.deepEqual(diagnostics.map((action) => action.title), ['Set readOnlyRootFilesystem: true (in deployment.yaml, for every build)', 'Set readOnlyRootFilesystem: true in overlay staging']);
    assert.deepEqual(Object.keys(diagnostics[1]?.edit?.changes ?? {}), [uri('overlays/staging/kustomization.yaml')]);
  });

  it('a keystroke in a patch re-publishes the base and the patch; a patch is never judged alone', async () => {
    const patch = uri('overlays/staging/debug-port.yaml');
    const opened = client.diagnostics(patch, 1);
    client.open(patch, 'yaml', text('overlays/staging/debug-port.yaml'));
    assert.deepEqual(codes((await opened).diagnostics), ['11:30 ssh-port-exposed', '12:25 host-port']);
    // The patch now hardens the container itself: the base's finding goes, in the same change.
    const base = client.diagnostics(uri('base/deployment.yaml'));
    const again = client.diagnostics(patch, 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri: patch, version: 2 },
      contentChanges: [{ range: { start: { line: 8, character: 19 }, end: { line: 8, character: 19 } }, text: '\n          securityContext:\n            readOnlyRootFilesystem: true' }],
    });
    assert.deepEqual(codes((await again).diagnostics), ['13:30 ssh-port-exposed', '14:25 host-port']);
    assert.deepEqual(codes((await base).diagnostics), []);
  });

  it('editing a kustomization re-publishes the files of its builds', async () => {
    const overlay = uri('overlays/production/kustomization.yaml');
    const opened = client.diagnostics(overlay, 1);
    // Opening it re-publishes the open base too (nothing changed for it).
    const baseOnOpen = client.diagnostics(uri('base/deployment.yaml'));
    const original = text('overlays/production/kustomization.yaml');
    client.open(overlay, 'yaml', original);
    assert.deepEqual(codes((await opened).diagnostics), ['22:5 plaintext-secret-manifest']);
    assert.deepEqual(codes((await baseOnOpen).diagnostics), []);
    // Production stops hardening the container: the base's finding is back, for production.
    const base = client.diagnostics(uri('base/deployment.yaml'));
    const unhardened = original.replace('                securityContext:\n                  readOnlyRootFilesystem: true\n', '');
    assert.notEqual(unhardened, original);
    client.notify('textDocument/didChange', { textDocument: { uri: overlay, version: 2 }, contentChanges: [{ text: unhardened }] });
    const { diagnostics } = await base;
    assert.deepEqual(codes(diagnostics), ['24:17 read-only-root-filesystem']);
    const related = relatedOf(diagnostics[0]);
    assert.deepEqual(related.map((r) => r.message), ['Occurs in the Kustomize build of production.']);
  });
});
