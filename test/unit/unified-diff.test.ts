import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { unifiedDiff } from '../../server/src/cli/unified-diff';

/** Applies a unified diff as `patch` would, checking every context and removed line against `before`. */
function applyPatch(before: string, diff: string): string {
  if (diff === '') return before;
  const old = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const lines = diff.split('\n');
  assert.match(lines[0] ?? '', /^--- a\//);
  assert.match(lines[1] ?? '', /^\+\+\+ b\//);
  const out: string[] = [];
  let cursor = 0;
  let i = 2;
  while (i < lines.length && lines[i] !== '') {
    const header = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i] ?? '');
    assert.ok(header, `hunk header expected, got ${lines[i]}`);
    const [oldStart, oldCount] = [Number(header[1]), Number(header[2])];
    const from = oldCount === 0 ? oldStart : oldStart - 1;
    while (cursor < from) out.push(old[cursor++] ?? '');
    i++;
    while (i < lines.length && /^[ +-]/.test(lines[i] ?? '')) {
      const line = lines[i] ?? '';
      const noNewline = lines[i + 1] === '\\ No newline at end of file';
      const text = line.slice(1) + (noNewline ? '' : '\n');
      if (line[0] !== '+') assert.equal(old[cursor++], text, 'context and removed lines match the old text');
      if (line[0] !== '-') out.push(text);
      i += noNewline ? 2 : 1;
    }
  }
  while (cursor < old.length) out.push(old[cursor++] ?? '');
  return out.join('');
}

describe('unified diff for --fix-dry-run', () => {
  it('writes hunks with three lines of context, as diff -u does', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n';
    const after = 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl';
    assert.equal(
      unifiedDiff('x.yaml', before, after),
      '--- a/x.yaml\n+++ b/x.yaml\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n\\ No newline at end of file\n',
    );
  });
  it('shows a final line break added, lines added to an empty file, and CRLF lines', () => {
    assert.equal(unifiedDiff('x', 'a\nb', 'a\nb\n'), '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    assert.equal(unifiedDiff('x', '', 'a\n'), '--- a/x\n+++ b/x\n@@ -0,0 +1,1 @@\n+a\n');
    assert.equal(unifiedDiff('x', 'a\r\nb\r\n', 'a\r\nX\r\nb\r\n'), '--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\r\n+X\r\n b\r\n');
    assert.equal(unifiedDiff('x', 'same\n', 'same\n'), '');
  });
  it('gives a patch that turns the old text into the new one', () => {
    const text = fc
      .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 40 }), fc.boolean())
      .map(([lines, finalBreak]) => (lines.length === 0 ? '' : lines.join('\n') + (finalBreak ? '\n' : '')));
    fc.assert(
      fc.property(text, text, (before, after) => {
        assert.equal(applyPatch(before, unifiedDiff('f', before, after)), after);
      }),
      { numRuns: 400, seed: 20261205 },
    );
  });
});
