import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeSourceFileIfUnchanged } from '../../server/src/host/source-files';

function fileWith(text: string, mode = 0o644): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-write-'));
  const path = join(dir, 'pod.yaml');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return { dir, path };
}

describe('writing a fixed file (--fix)', () => {
  it('replaces the file whole, keeps its mode, and leaves no temporary file behind', () => {
    const { dir, path } = fileWith('a: 1\n', 0o600);
    assert.deepEqual(writeSourceFileIfUnchanged(path, 'a: 1\n', 'a: 2\n'), { written: true });
    assert.equal(readFileSync(path, 'utf8'), 'a: 2\n');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['pod.yaml']);
  });

  it('leaves alone a file that changed since it was read', () => {
    const { path } = fileWith('a: 1\n# saved by an editor meanwhile\n');
    assert.deepEqual(writeSourceFileIfUnchanged(path, 'a: 1\n', 'a: 2\n'), { written: false, reason: 'it changed on disk since it was read' });
    assert.equal(readFileSync(path, 'utf8'), 'a: 1\n# saved by an editor meanwhile\n');
  });

  it('writes through a symbolic link, which stays a link', () => {
    const { dir, path } = fileWith('a: 1\n');
    const link = join(dir, 'link.yaml');
    symlinkSync(path, link);
    assert.deepEqual(writeSourceFileIfUnchanged(link, 'a: 1\n', 'a: 2\n'), { written: true });
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), path);
    assert.equal(readFileSync(path, 'utf8'), 'a: 2\n');
  });
});
