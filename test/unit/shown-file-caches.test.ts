import assert from 'node:assert/strict';
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
});
