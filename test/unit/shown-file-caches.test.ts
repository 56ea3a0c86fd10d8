import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../server/src/engine';
import { ShownFileCaches } from '../../server/src/handlers/shown-file-caches';

describe('section caches of closed files the editor shows', () => {
  it('keep one cache per file while its configuration says the same, whatever the object', () => {
    const caches = new ShownFileCaches();
    const first = caches.cacheFor('file:///a.yaml', resolveConfig({ profile: 'strict' }));
    assert.equal(caches.cacheFor('file:///a.yaml', resolveConfig({ profile: 'strict' })), first);
    assert.notEqual(caches.cacheFor('file:///a.yaml', resolveConfig({ profile: 'baseline' })), first, 'another configuration: other findings');
  });

  it('forget the least recently used past their limit, and a file on request', () => {
    const caches = new ShownFileCaches(2);
    const config = resolveConfig({});
    const a = caches.cacheFor('file:///a.yaml', config);
    const b = caches.cacheFor('file:///b.yaml', config);
    assert.equal(caches.cacheFor('file:///a.yaml', config), a, 'a is now the most recent');
    caches.cacheFor('file:///c.yaml', config);
    assert.notEqual(caches.cacheFor('file:///b.yaml', config), b, 'b was the least recent and went');
    const c = caches.cacheFor('file:///c.yaml', config);
    caches.forget('file:///c.yaml');
    assert.notEqual(caches.cacheFor('file:///c.yaml', config), c);
  });

  it('read a shown file again only when it changed on disk, and keep no text for files without a cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-shown-'));
    try {
      const path = join(dir, 'a.yaml');
      const uri = 'file:///a.yaml';
      writeFileSync(path, 'kind: Pod\n');
      const caches = new ShownFileCaches();
      const config = resolveConfig({});
      assert.deepEqual(caches.textOf(uri, path, config.maxFileSize), { text: 'kind: Pod\n' });
      writeFileSync(path, 'kind: Job\n');
      assert.deepEqual(caches.textOf(uri, path, config.maxFileSize), { text: 'kind: Job\n' }, 'no cache for the file yet: read again');
      caches.cacheFor(uri, config);
      const fixed = new Date(2029, 0, 1);
      utimesSync(path, fixed, fixed);
      caches.textOf(uri, path, config.maxFileSize);
      // Rewritten behind its back with the same size and time: what was read stands (nothing was re-read).
      writeFileSync(path, 'kind: Svc\n');
      utimesSync(path, fixed, fixed);
      assert.deepEqual(caches.textOf(uri, path, config.maxFileSize), { text: 'kind: Job\n' });
      // Same size, another modification time: read again.
      writeFileSync(path, 'kind: Rol\n');
      utimesSync(path, new Date(2030, 0, 1), new Date(2030, 0, 1));
      assert.deepEqual(caches.textOf(uri, path, config.maxFileSize), { text: 'kind: Rol\n' });
      rmSync(path);
      const gone = caches.textOf(uri, path, config.maxFileSize);
      assert.ok('skipped' in gone && gone.skipped.messageId === 'unreadable', 'a deleted file is not served from memory');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
