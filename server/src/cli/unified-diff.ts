/**
 * A unified diff (as `diff -u` and `git diff` write it, which `patch` and `git apply` read) for
 * `--fix-dry-run`. Lines are compared with Myers' O((N+M)·D) algorithm after the common head and
 * tail are set aside, so a few fixes in a large file cost little. A line keeps its `\r`, so a
 * changed line ending shows as a change.
 */

const CONTEXT = 3;

type Operation = { kind: ' ' | '-' | '+'; line: string };

/** The diff of `before` and `after` under `--- a/<path>` / `+++ b/<path>`; empty when they are equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  // Lines keep their `\n`, so a last line without one differs from the same text with one.
  const operations = diffLines(splitLines(before), splitLines(after));
  let diff = `--- a/${path}\n+++ b/${path}\n`;
  for (const hunk of hunksOf(operations)) {
    diff += `@@ -${range(hunk.oldStart, hunk.oldCount)} +${range(hunk.newStart, hunk.newCount)} @@\n`;
    for (const operation of hunk.operations) {
      diff += `${operation.kind}${operation.line}`;
      if (!operation.line.endsWith('\n')) diff += '\n\\ No newline at end of file\n';
    }
  }
  return diff;
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** `start,count` with a 1-based start; an empty side names the line before it, as diff does. */
function range(start: number, count: number): string {
  return `${count === 0 ? start : start + 1},${count}`;
}

/** The edit script from `a` to `b`: kept, removed and added lines in order. */
export function diffLines(a: readonly string[], b: readonly string[]): Operation[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [
    ...a.slice(0, head).map((line): Operation => ({ kind: ' ', line })),
    ...middle,
    ...a.slice(a.length - tail).map((line): Operation => ({ kind: ' ', line })),
  ];
}

/** Myers' greedy shortest edit script, keeping each step's frontier to walk back along. */
function myers(a: readonly string[], b: readonly string[]): Operation[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const frontier = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(frontier.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
      let x = down ? (frontier[offset + k + 1] ?? 0) : (frontier[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      frontier[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back from (n, m) through the frontiers each step started from.
  const operations: Operation[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d] ?? frontier;
    const k = x - y;
    const down = k === -d || (k !== d && (previous[offset + k - 1] ?? 0) < (previous[offset + k + 1] ?? 0));
    const previousK = down ? k + 1 : k - 1;
    const previousX = previous[offset + previousK] ?? 0;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      operations.push({ kind: ' ', line: a[--x] ?? '' });
      y--;
    }
    if (down) operations.push({ kind: '+', line: b[--y] ?? '' });
    else operations.push({ kind: '-', line: a[--x] ?? '' });
  }
  while (x > 0 && y > 0) {
    operations.push({ kind: ' ', line: a[--x] ?? '' });
    y--;
  }
  return operations.reverse();
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  operations: Operation[];
}

/** Changes with CONTEXT kept lines around them; changes closer than twice that share a hunk. */
function hunksOf(operations: readonly Operation[]): Hunk[] {
  const positions: Array<{ old: number; new: number }> = [];
  let oldLine = 0;
  let newLine = 0;
  for (const operation of operations) {
    positions.push({ old: oldLine, new: newLine });
    if (operation.kind !== '+') oldLine++;
    if (operation.kind !== '-') newLine++;
  }
  const changed = operations.flatMap((operation, index) => (operation.kind === ' ' ? [] : [index]));
  const hunks: Hunk[] = [];
  let start = -1;
  let end = -1;
  const close = (): void => {
    const slice = operations.slice(start, end + 1);
    const at = positions[start] ?? { old: 0, new: 0 };
    hunks.push({
      oldStart: at.old,
      oldCount: slice.filter((operation) => operation.kind !== '+').length,
      newStart: at.new,
      newCount: slice.filter((operation) => operation.kind !== '-').length,
      operations: slice,
    });
  };
  for (const index of changed) {
    const from = Math.max(0, index - CONTEXT);
    if (start === -1) {
      start = from;
    } else if (from > end + 1) {
      close();
      start = from;
    }
    end = Math.min(operations.length - 1, index + CONTEXT);
  }
  if (start !== -1) close();
  return hunks;
}
