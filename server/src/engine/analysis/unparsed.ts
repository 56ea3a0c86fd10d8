import type { Finding, Span } from '../types';
import { LineIndex, stripBom } from '../source/text';

/** Findings in reading order: line, column, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId);
}

export interface AnalysedText {
  text: string;
  findings: readonly Finding[];
}

/** Findings the engine reports about the file rather than about its content. */
const ABOUT_THE_FILE = new Set(['parse-error', 'file-skipped']);

/**
 * The findings to show for `current` when some of it does not parse (`unparsed`, from
 * `analyze`): an edit that breaks a document, and that the engine cannot read around, would
 * otherwise wipe every finding of that document until it parses again. The previous version's
 * findings there are kept, moved by the edit, unless the edited text touches them; they lose
 * their fixes and related locations (both were computed on the old text). Each call carries
 * over from the version before, so the picture holds over any number of keystrokes.
 */
export function keepFindingsWhileUnparsed(previous: AnalysedText, current: AnalysedText, unparsed: readonly Span[] | undefined): Finding[] {
  if (!unparsed || unparsed.length === 0 || previous.findings.length === 0) return [...current.findings];
  const before = stripBom(previous.text).text;
  const after = stripBom(current.text).text;
  const { prefix, suffix } = commonEnds(before, after);
  const changedEnd = before.length - suffix;
  const shift = after.length - before.length;
  const lines = new LineIndex(after);
  const kept: Finding[] = [];
  for (const finding of previous.findings) {
    if (ABOUT_THE_FILE.has(finding.ruleId)) continue;
    const { start, end } = finding.span;
    let moved: Span;
    // A finding next to the edit is dropped too: typing on at its end changes what it read.
    if (end < prefix) moved = finding.span;
    else if (start > changedEnd) moved = { start: start + shift, end: end + shift };
    else continue;
    if (!unparsed.some((span) => moved.start >= span.start && moved.end <= span.end)) continue;
    const copy: Finding = { ...finding, span: moved, range: lines.rangeOf(moved) };
    delete copy.fix;
    delete copy.related;
    kept.push(copy);
  }
  return kept.length === 0 ? [...current.findings] : [...current.findings, ...kept].sort(compareFindings);
}

/** Lengths of the longest common prefix and suffix (not overlapping) of two texts. */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const limit = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}
