import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG, extractFacts, WorkspaceModel } from '../../server/src/engine';
import { jobKey, parseCache, serializeCache, stableJson } from '../../server/src/host/scan-cache';
import type { ScanJob } from '../../server/src/host/scan-file';

const JOB: ScanJob = { path: '/ws/k8s/web.yaml', displayPath: 'k8s/web.yaml', config: DEFAULT_CONFIG, relativePath: 'k8s/web.yaml', today: '2026-03-02T09:15:00.000Z' };

const namespace = (level: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;

describe('the scan cache key', () => {
  it('writes equal values as equal text, whatever the order of their keys', () => {
    assert.equal(stableJson({ b: 1, a: { d: [1, undefined, 'x'], c: null } }), '{"a":{"c":null,"d":[1,null,"x"]},"b":1}');
    assert.equal(stableJson({ a: 1, b: undefined }), stableJson({ a: 1 }));
  });

  it('changes with the configuration, the path shown, the fixes and the day, not the path or the hour', () => {
    const key = jobKey(JOB);
    assert.equal(jobKey({ ...JOB, path: '/elsewhere/web.yaml' }), key, 'the path is the entry, not the key');
    assert.equal(jobKey({ ...JOB, today: '2026-03-02T23:59:59.999Z' }), key, 'the same UTC day');
    assert.notEqual(jobKey({ ...JOB, today: '2026-03-03T00:00:00.000Z' }), key, 'the next day');
    assert.notEqual(jobKey({ ...JOB, config: { ...DEFAULT_CONFIG, profile: 'strict' } }), key);
    assert.notEqual(jobKey({ ...JOB, config: { ...DEFAULT_CONFIG, allowInlineIgnores: !DEFAULT_CONFIG.allowInlineIgnores } }), key);
    assert.notEqual(jobKey({ ...JOB, displayPath: 'web.yaml' }), key, 'the fingerprints hash the path shown');
    assert.notEqual(jobKey({ ...JOB, configSource: '/ws/.shipshape.yaml' }), key);
    assert.notEqual(jobKey({ ...JOB, fix: { mode: 'safe', dryRun: true } }), key);
  });

  it('sees a change of the facts under a key, and only under that key', () => {
    const model = new WorkspaceModel();
    model.setFacts('/ws/ns.yaml', extractFacts('/ws/ns.yaml', namespace('restricted')));
    const shop = model.factsSignature('namespace:shop');
    const other = model.factsSignature('namespace:other');
    assert.equal(other, '[]', 'a lookup that finds nothing has a signature too');
    model.setFacts('/ws/ns.yaml', extractFacts('/ws/ns.yaml', namespace('baseline')));
    assert.notEqual(model.factsSignature('namespace:shop'), shop);
    assert.equal(model.factsSignature('namespace:other'), other);
    model.setFacts('/ws/ns.yaml', extractFacts('/ws/ns.yaml', namespace('restricted')));
    assert.equal(model.factsSignature('namespace:shop'), shop, 'the same facts again, the same signature');
    model.setFacts('/ws/other.yaml', extractFacts('/ws/other.yaml', namespace('restricted').replace('shop', 'other')));
    assert.notEqual(model.factsSignature('namespace:other'), other, 'a Namespace that appears');
  });
});

describe('the scan cache file', () => {
  it('reads back what it wrote, for the same tool build only', () => {
    const entries = new Map([['/ws/ns.yaml', { facts: { contentHash: 'h1', facts: extractFacts('/ws/ns.yaml', namespace('restricted')) } }]]);
    const text = serializeCache('0.1.0+abc', entries);
    assert.match(text, /^\{"format":"shipshape-cache","version":1,"tool":"0\.1\.0\+abc","checksum":"[\w-]+"\}\n\{/);
    const { entries: read, problem } = parseCache(text, '0.1.0+abc');
    assert.equal(problem, undefined);
    assert.equal(JSON.stringify(Object.fromEntries(read)), JSON.stringify(Object.fromEntries(entries)));
    assert.deepEqual(parseCache(text, '0.1.1+def'), { entries: new Map() }, 'another build: stale, not broken, so no problem to report');
  });

  it('names what is wrong with a file that is not a cache it can trust', () => {
    const text = serializeCache('t', new Map([['/ws/a.yaml', {}]]));
    assert.equal(parseCache('', 't').problem, 'it is not a Shipshape cache');
    assert.equal(parseCache('{"format":"eslint"}\n{}', 't').problem, 'it is not a Shipshape cache');
    assert.equal(parseCache(text.replace('"/ws/a.yaml"', '"/ws/b.yaml"'), 't').problem, 'it is damaged (its checksum does not match)');
    // A good checksum over an entry of the wrong shape (written by a bug, or by hand).
    const forged = serializeCache('t', new Map([['/ws/a.yaml', { outcome: { contentHash: 'h' } } as never]]));
    assert.equal(parseCache(forged, 't').problem, 'it is damaged (the entry of /ws/a.yaml)');
  });
});
