import type { Finding } from '../types';
import { stripBom } from '../source/text';
import { applyFixes } from './apply';

export interface FixPassResult {
  /** The fixed text, with the file's BOM kept if it had one. */
  text: string;
  /** How many fixes were applied over all passes. */
  applied: number;
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
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const fixes = analyze(current).flatMap((finding) => (finding.fix && !finding.suppression && accept(finding) ? [finding.fix] : []));
    if (fixes.length === 0) break;
    const result = applyFixes(current, fixes);
    if (result.applied.length === 0 || result.text === current) break;
    current = result.text;
    applied += result.applied.length;
  }
  return { text: hadBom ? `\uFEFF${current}` : current, applied };
}

/**
 * "Harden container": every hardening fix of one container at once, pod-level fixes its findings
 * name included, applied in passes like any fix.
 */
export function hardenContainer(text: string, analyze: (text: string) => readonly Finding[], containerKey: string): FixPassResult {
  return fixInPasses(text, analyze, (finding) => finding.containerKey === containerKey && finding.fix?.partOfHarden === true);
}
