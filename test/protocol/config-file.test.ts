/**
 * `.shipshape.yaml` in the language server: precedence over the editor settings, reloading on
 * change, its own problems, and workspace trust. Each test writes the config file it needs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient } from './lsp-client';
import { DEPLOYMENT, ensureServerBuilt, only, PEA, range, tempWorkspace } from './helpers';

describe('language server: .shipshape.yaml', () => {
  const root = tempWorkspace();
  const configPath = join(root, '.shipshape.yaml');
  const configUri = pathToFileURL(configPath).href;
  const uriOf = (name: string): string => pathToFileURL(join(root, 'app', name)).href;
  let client: LspClient;

  /** Writes the config file and tells the server, as the editor's file watcher would. */
  function writeConfig(text: string): void {
    writeFileSync(configPath, text);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
  }

  before(async () => {
    ensureServerBuilt();
    mkdirSync(join(root, 'app'));
    writeFileSync(configPath, `rules:\n  ${PEA}: error\n`);
    client = new LspClient();
    client.settings = { shipshape: { rules: { [PEA]: 'off' } } };
    await client.initialize({ rootPath: root });
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('lets the config file win over the editor settings', async () => {
    writeConfig(`rules:\n  ${PEA}: error\n`);
    const uri = uriOf('wins.yaml');
    const published = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', DEPLOYMENT);
    assert.deepEqual(
      only((await published).diagnostics, PEA).map((d) => d.severity),
      [1],
    );
  });

  it('re-analyses open documents when the config file changes', async () => {
    writeConfig(`rules:\n  ${PEA}: error\n`);
    const uri = uriOf('reloads.yaml');
    const opened = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', DEPLOYMENT);
    assert.equal(only((await opened).diagnostics, PEA).length, 1);
    const published = client.diagnostics(uri, 1);
    writeConfig('profile: baseline\n');
    assert.deepEqual(only((await published).diagnostics, PEA), []);
  });

  it('shows the config file its own problems', async () => {
    const published = client.diagnostics(configUri);
    writeConfig('profle: strict\n');
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range })),
      [{ code: 'config-error', severity: 1, range: range(0, 0, 0, 6) }],
    );
    assert.match(diagnostics[0]?.message ?? '', /Unknown setting "profle"/);
  });

  it('ignores workspace config files in an untrusted workspace', async () => {
    writeConfig(`rules:\n  ${PEA}: error\n`);
    const uri = uriOf('untrusted.yaml');
    const untrusted = new LspClient();
    try {
      await untrusted.initialize({ rootPath: root, initializationOptions: { workspaceTrusted: false } });
      const published = untrusted.diagnostics(uri, 1);
      untrusted.open(uri, 'yaml', DEPLOYMENT);
      assert.deepEqual(
        only((await published).diagnostics, PEA).map((d) => d.severity),
        [2],
      );
      const trusted = untrusted.diagnostics(uri, 1);
      untrusted.notify('shipshape/workspaceTrustGranted');
      assert.deepEqual(
        only((await trusted).diagnostics, PEA).map((d) => d.severity),
        [1],
      );
    } finally {
      untrusted.kill();
    }
  });
});
