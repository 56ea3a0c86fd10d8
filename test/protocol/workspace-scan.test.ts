/** "Scan Workspace" in the language server: closed files, progress, and cancelling. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, type Diagnostic, type Message } from './lsp-client';
import { DEPLOYMENT, DOC_HREF, ensureServerBuilt, only, PEA, range, tempWorkspace } from './helpers';

/** A workspace of two manifests, a Dockerfile and a node_modules copy to skip. */
function smallWorkspace(): string {
  const root = tempWorkspace();
  mkdirSync(join(root, 'k8s'));
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(root, 'k8s', 'web.yaml'), DEPLOYMENT);
  writeFileSync(join(root, 'k8s', 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
  writeFileSync(join(root, 'node_modules', 'dep', 'skip.yaml'), DEPLOYMENT);
  writeFileSync(join(root, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo hi\n');
  return root;
}

interface ScanResult {
  files: number;
  analysed: number;
  cancelled: boolean;
}

describe('language server: workspace scan', () => {
  const root = smallWorkspace();
  // A misspelled key: a config-error on the config file, which the scan summary must count too.
  writeFileSync(join(root, '.shipshape.yaml'), 'profile: recommended\nexclde: [vendor/**]\n');
  const webUri = pathToFileURL(join(root, 'k8s', 'web.yaml')).href;
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    client = new LspClient();
    await client.initialize({ rootPath: root });
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('scans closed files with progress and publishes their diagnostics', async () => {
    const published = client.diagnostics(webUri);
    const result = await client.request<ScanResult & { filesWithFindings: number }>('shipshape/scanWorkspace', { workDoneToken: 'scan-1' });
    assert.equal(result.files, 3, 'node_modules is skipped');
    assert.equal(result.analysed, 3);
    assert.equal(result.cancelled, false);
    assert.deepEqual(
      only((await published).diagnostics, PEA).map((d) => d.range),
      [range(8, 16, 8, 19)],
    );
    const progress = client.notifications
      .filter((m: Message) => m.method === '$/progress' && (m.params as { token: string }).token === 'scan-1')
      .map((m) => (m.params as { value: { kind: string; message?: string } }).value);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.ok(progress.some((value) => value.kind === 'report' && value.message === '3/3 files'));
  });

  it('sums up what the Problems view shows, config errors included, and logs it', async () => {
    const result = await client.request<{ findings: Record<string, number>; filesWithFindings: number }>('shipshape/scanWorkspace', {});
    // What the client shows: the last diagnostics published for each file.
    const latest = new Map<string, Diagnostic[]>();
    for (const message of client.notifications) {
      if (message.method !== 'textDocument/publishDiagnostics') continue;
      const params = message.params as { uri: string; diagnostics: Diagnostic[] };
      latest.set(params.uri, params.diagnostics);
    }
    const shown = [...latest.values()].flat();
    assert.ok(shown.some((d) => d.code === 'config-error'));
    assert.deepEqual(result.findings, {
      error: shown.filter((d) => d.severity === 1).length,
      warning: shown.filter((d) => d.severity === 2).length,
      info: shown.filter((d) => d.severity === 3).length,
    });
    assert.equal(result.filesWithFindings, [...latest.values()].filter((d) => d.length > 0).length);
    const status = client.notifications.filter((m) => m.method === 'shipshape/status').at(-1)?.params as { state: string; counts: unknown; files: number };
    assert.deepEqual(status, { state: 'idle', counts: result.findings, files: result.filesWithFindings });
    const logs = client.notifications.filter((m) => m.method === 'window/logMessage').map((m) => (m.params as { message: string }).message);
    assert.ok(logs.some((line) => /^Shipshape \d+\.\d+\.\d+ language server \(Node v\d+/.test(line)), 'the version, first');
    assert.ok(logs.some((line) => line === `Config files in effect: ${join(root, '.shipshape.yaml')} (1 problems).`));
    assert.ok(logs.some((line) => /^Scan done: 3 of 3 files in \d+ ms; \d+ errors, \d+ warnings, \d+ infos in \d+ files\.$/.test(line)));
  });

  it('keeps scanned diagnostics when a scanned file is opened and closed', async () => {
    const scanned = client.diagnostics(webUri);
    await client.request('shipshape/scanWorkspace', { workDoneToken: 'scan-again' });
    await scanned;
    const opened = client.diagnostics(webUri, 1);
    client.open(webUri, 'yaml', DEPLOYMENT);
    await opened;
    const closed = client.diagnostics(webUri);
    client.notify('textDocument/didClose', { textDocument: { uri: webUri } });
    assert.equal(only((await closed).diagnostics, PEA).length, 1);
  });
});

describe('language server: cancelling a workspace scan', () => {
  const root = smallWorkspace();
  let client: LspClient;
  before(async () => {
    ensureServerBuilt();
    for (let i = 0; i < 400; i++) writeFileSync(join(root, 'k8s', `copy-${i}.yaml`), DEPLOYMENT);
    client = new LspClient();
    await client.initialize({ rootPath: root });
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('stops when cancelled', async () => {
    const request = client.requestRaw('shipshape/scanWorkspace', { workDoneToken: 'scan-2' });
    await client.waitFor((m) => m.method === '$/progress' && (m.params as { value: { kind: string } }).value.kind === 'report');
    // The scan runs in a worker: the server keeps answering meanwhile.
    const rules = await client.request<Array<{ id: string; documentationUri: string }>>('shipshape/listRules');
    assert.equal(rules.find((rule) => rule.id === PEA)?.documentationUri, DOC_HREF);
    client.notify('$/cancelRequest', { id: request.id });
    const response = await request;
    const result = response.result as ScanResult;
    assert.equal(result.cancelled, true);
    assert.ok(result.analysed < result.files, `stopped early (${result.analysed} of ${result.files})`);
  });
});
