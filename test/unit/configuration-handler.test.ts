import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Connection } from 'vscode-languageserver';
import { ConfigurationHandler } from '../../server/src/handlers/configuration';
import { pathToUri } from '../../server/src/handlers/uris';

describe('the configuration of open and shown files', () => {
  it('is one object for every file under the same settings and config file, and a new one when the file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-config-'));
    try {
      const configPath = join(dir, '.shipshape.yaml');
      writeFileSync(configPath, 'profile: strict\n');
      const handler = new ConfigurationHandler({} as Connection, false, true);
      handler.setRoots([dir]);
      const a = await handler.resolve(pathToUri(join(dir, 'a.yaml')));
      const b = await handler.resolve(pathToUri(join(dir, 'b.yaml')));
      assert.equal(a.config, b.config);
      assert.equal(a.config.profile, 'strict');
      assert.notEqual(a.relativePath, b.relativePath, 'what differs per file stays per file');
      writeFileSync(configPath, 'profile: baseline\n');
      handler.invalidateConfigFile(configPath);
      const changed = await handler.resolve(pathToUri(join(dir, 'a.yaml')));
      assert.notEqual(changed.config, a.config);
      assert.equal(changed.config.profile, 'baseline');
      handler.setTrusted(false);
      const untrusted = await handler.resolve(pathToUri(join(dir, 'a.yaml')));
      assert.equal(untrusted.config.profile, 'recommended', 'an untrusted workspace ignores its config file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
