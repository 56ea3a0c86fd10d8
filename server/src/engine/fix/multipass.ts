import type { Finding, Fix, OffsetEdit } from '../types';
import { LineIndex, stripBom } from '../source/text';
import { applyFixes } from './apply';

/** One fix that was applied: the finding it answered, and where that finding was. */
export interface AppliedFix {
  ruleId: string;
  title: string;
  /** A fix-all fix; otherwise one that `--fix-unsafe` or a person chose. */
  isSafe: boolean;
  /** 0-based line, in the fixed text, where the finding it answered was (or its edit, if that replaced it). */
  line: number;
}

export interface FixPassResult {
  /** The fixed text, with the file's BOM kept if it had one. */
  text: string;
  /** The fixes applied over all passes, in order. */
  applied: AppliedFix[];
}

const MAX_PASSES = 10;

/**
 * Applies the fixes `accept` chooses, re-analysing between passes so that fixes which overlap
 * (two containers editing one map) land one after the other, as ESLint does, and fixes that one
 * pass makes possible are offered in the next (Harden container sets allowPrivilegeEscalation once
 * `privileged: true` is gone). `analyze` is the caller's analysis of a text, so this stays
 * independent of where the text came from.
 */
export function fixInPasses(
  text: string,
  analyze: (text: string) => readonly Finding[],
  accept: (finding: Finding) => boolean,
): FixPassResult {
  const { text: body, hadBom } = stripBom(text);
  let current = body;
  // Each applied fix with the offset of its finding, moved along as later passes edit the text.
  const applied: Array<Omit<AppliedFix, 'line'> & { offset: number }> = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const answered = new Map<Fix, Finding>();
    for (const finding of analyze(current)) {
      if (finding.fix && !finding.suppression && accept(finding)) answered.set(finding.fix, finding);
    }
    if (answered.size === 0) break;
    const result = applyFixes(current, [...answered.keys()]);
    if (result.applied.length === 0 || result.text === current) break;
    current = result.text;
    const edits = uniqueEdits(result.applied.flatMap((fix) => fix.edits));
    for (const fix of applied) fix.offset = shiftedOffset(fix.offset, edits);
    for (const fix of result.applied) {
      const finding = answered.get(fix);
      if (finding) applied.push({ ruleId: finding.ruleId, title: fix.title, isSafe: fix.isSafe, offset: shiftedOffset(finding.span.start, edits) });
    }
  }
  const fixedText = hadBom ? `\uFEFF${current}` : current;
  if (applied.length === 0) return { text: fixedText, applied: [] };
  const lines = new LineIndex(current);
  return { text: fixedText, applied: applied.map(({ offset, ...fix }) => ({ ...fix, line: lines.positionAt(offset).line })) };
}

/** Edits that several fixes share (one pod-level edit for many containers) once, in text order. */
function uniqueEdits(edits: readonly OffsetEdit[]): OffsetEdit[] {
  const seen = new Set<string>();
  return edits
    .filter((edit) => {
      const key = `${edit.start}:${edit.end}:${edit.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.start - b.start);
}

/** Where `offset` of a text is once `edits` are applied: moved by those before it; inside one, at its start. */
function shiftedOffset(offset: number, edits: readonly OffsetEdit[]): number {
  let shift = 0;
  for (const edit of edits) {
    if (edit.end <= offset && edit.start < offset) shift += edit.text.length - (edit.end - edit.start);
    else if (edit.start < offset && offset < edit.end) return edit.start + shift;
  }
  return offset + shift;
}

/**
 * "Harden container": every hardening fix of one container at once, pod-level fixes its findings
 * name included, applied in passes like any fix.
 */
export function hardenContainer(text: string, analyze: (text: string) => readonly Finding[], containerKey: string): FixPassResult {
  return hardenContainers(text, analyze, [containerKey]);
}

/** "Harden all containers" of a workload (namespace-pss-violation): Harden container for each, in passes. */
export function hardenContainers(text: string, analyze: (text: string) => readonly Finding[], containerKeys: readonly string[]): FixPassResult {
  const keys = new Set(containerKeys);
  return fixInPasses(text, analyze, (finding) => finding.containerKey !== undefined && keys.has(finding.containerKey) && finding.fix?.partOfHarden === true);
}
