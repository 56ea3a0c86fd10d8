import type { Fix, OffsetEdit, TextEdit } from '../types';
import { LineIndex } from '../source/text';

function sameEdit(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  // Two inserts at one point are ordered, not conflicting; a replacement may not share any text.
  if (a.start === a.end || b.start === b.end) return insertMeetsEdit(a, b) || insertMeetsEdit(b, a);
  return a.start < b.end && b.start < a.end;
}

/**
 * An insert inside another edit's text, or right after a deletion: the insert was computed with
 * the deleted text in place (`, drop: [ALL]` after the only item of `{add: [...]}`), so it waits
 * for the next pass, which sees the deletion.
 */
function insertMeetsEdit(insert: OffsetEdit, other: OffsetEdit): boolean {
  if (insert.start !== insert.end) return false;
  const inside = insert.start > other.start && insert.start < other.end;
  const afterDeletion = other.text === '' && other.end > other.start && insert.start === other.end;
  return inside || afterDeletion;
}

function insertsAtSamePoint(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === a.end && b.start === b.end && a.start === b.start;
}

export interface AppliedFixes {
  text: string;
  applied: Fix[];
  /** Fixes left out because they overlap one already taken; apply them in another pass. */
  deferred: Fix[];
}

/**
 * Applies whole fixes, each all or nothing, in the order given. Identical edits from several
 * fixes (containers sharing one pod-level edit) are applied once; a fix that overlaps another
 * is deferred, so a caller can re-analyse and try again, as ESLint's multipass fixing does.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): AppliedFixes {
  const taken: OffsetEdit[] = [];
  const applied: Fix[] = [];
  const deferred: Fix[] = [];
  for (const fix of fixes) {
    const fresh = fix.edits.filter((edit) => !taken.some((other) => sameEdit(edit, other)));
    // Two fixes inserting at one point were each computed on the original text (two "securityContext:"
    // blocks for one container): the second waits for the next pass, which sees the first.
    const conflict = fresh.some(
      (edit, i) => taken.some((other) => overlaps(edit, other) || insertsAtSamePoint(edit, other)) || fresh.some((o, j) => j < i && overlaps(edit, o)),
    );
    if (conflict) {
      deferred.push(fix);
      continue;
    }
    taken.push(...fresh);
    applied.push(fix);
  }
  return { text: applyEdits(text, taken), applied, deferred };
}

/**
 * Applies non-overlapping edits; inserts at one offset keep the order they were given in. One
 * exception: where several nested maps end at the end of a file without a final line break, each
 * insert there starts with a line break, and the lines of the innermost map must come first.
 */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const ordered = edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.start - b.edit.start || a.order - b.order);
  innermostFirst(ordered);
  let result = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  return result + text.slice(cursor);
}

export function toTextEdits(text: string | LineIndex, edits: readonly OffsetEdit[]): TextEdit[] {
  const index = typeof text === 'string' ? new LineIndex(text) : text;
  return edits.map((edit) => ({ range: index.rangeOf(edit), newText: edit.text }));
}

/** Within each run of inserts at one offset that all start new lines, deeper-indented lines go first. */
function innermostFirst(ordered: Array<{ edit: OffsetEdit; order: number }>): void {
  for (let from = 0; from < ordered.length; ) {
    let to = from + 1;
    while (to < ordered.length && ordered[to]?.edit.start === ordered[from]?.edit.start) to++;
    const group = ordered.slice(from, to);
    const depths = group.map(({ edit }) => insertedLineDepth(edit));
    if (group.length > 1 && depths.every((depth) => depth !== undefined)) {
      const sorted = group.map((entry, i) => ({ entry, depth: depths[i] ?? 0 })).sort((a, b) => b.depth - a.depth || a.entry.order - b.entry.order);
      sorted.forEach(({ entry }, i) => (ordered[from + i] = entry));
    }
    from = to;
  }
}

/** The indentation of the first inserted line, for a pure insert that starts with a line break. */
function insertedLineDepth(edit: OffsetEdit): number | undefined {
  if (edit.start !== edit.end) return undefined;
  const match = /^\r?\n([ \t]*)\S/.exec(edit.text);
  return match ? (match[1] ?? '').length : undefined;
}
