import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSensitiveHostPath, normalizeHostPath } from '../../server/src/engine/kubernetes/host-path';

describe('normalizeHostPath', () => {
  const cases: Array<[string, string]> = [
    ['/', '/'],
    ['//', '/'],
    ['/etc/', '/etc'],
    ['//var//run/docker.sock', '/var/run/docker.sock'],
    ['/var/./log/', '/var/log'],
    ['/opt/../etc', '/etc'],
    ['/../..', '/'],
    ['/data/app/..', '/data'],
    ['relative/dir', '/relative/dir'],
    ['/etc-backup', '/etc-backup'],
  ];
  for (const [written, expected] of cases) {
    it(`${written} -> ${expected}`, () => assert.equal(normalizeHostPath(written), expected));
  }
});

describe('isSensitiveHostPath', () => {
  const sensitive = ['/', '/etc', '/etc/kubernetes/pki', '/var/run/docker.sock', '/run/containerd/containerd.sock', '/var/lib/kubelet/pods', '/home/', '/opt/../proc', '//sys'];
  const harmless = ['/data', '/opt/app', '/etc-backup', '/var/lib/app', '/var/runtime', '/srv/logs', '/mnt/disks/ssd0', '/var/lib'];
  for (const path of sensitive) it(`${path} is sensitive`, () => assert.equal(isSensitiveHostPath(path), true));
  for (const path of harmless) it(`${path} is not sensitive`, () => assert.equal(isSensitiveHostPath(path), false));
});
