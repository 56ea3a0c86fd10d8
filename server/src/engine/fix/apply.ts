import type { Fix, OffsetEdit, TextEdit } from '../types';
import { LineIndex } from '../source/text';

function sameEdit(a: OffsetEdit, b: OffsetEdit): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text;
}

function overlaps(a: OffsetEdit, b: OffsetEdit): boolean {
  // Two inserts at one point are ordered, not conflicting; a replacement may not share any text.
  if (a.start === a.end || b.start === b.end) return a.start > b.start && a.start < b.end || b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
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
 * Applies non-overlapping edits. Inserts at one offset keep the order they were given in, except
 * inserted lines: where several nested maps end at one offset (the end of the file), the lines
 * of the innermost map must come first, so deeper-indented inserts go before shallower ones.
 */
export function applyEdits(text: string, edits: readonly OffsetEdit[]): string {
  const ordered = edits
    .map((edit, order) => ({ edit, order, depth: insertedLineDepth(edit) }))
    .sort((a, b) => a.edit.start - b.edit.start || (a.depth !== undefined && b.depth !== undefined ? b.depth - a.depth : 0) || a.order - b.order);
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

/** The indentation of the first inserted line, for a pure insert that starts a new line. */
function insertedLineDepth(edit: OffsetEdit): number | undefined {
  if (edit.start !== edit.end) return undefined;
  const match = /^\r?\n([ \t]*)\S/.exec(edit.text);
  return match ? (match[1] ?? '').length : undefined;
}
