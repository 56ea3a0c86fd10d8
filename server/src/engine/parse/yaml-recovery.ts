import type { Span } from '../types';
import { parseYamlSection, type ParsedYaml } from './yaml';

/**
 * A section read without the one line the parser rejected: while a key is half typed (`privil`
 * on a new line) the rest of its document still parses, and the editor keeps showing its findings.
 */
export interface RecoveredSection {
  doc: ParsedYaml;
  /** The section text with the rejected line blanked (same length, same offsets). */
  text: string;
  leftOut: Span;
}

/** The line holding `offset`, without its line break. */
export function lineAround(text: string, offset: number): Span {
  const at = Math.max(0, Math.min(offset, text.length));
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { start, end };
}

/**
 * Re-parses the section with the line of the parser's first error replaced by spaces. Only one
 * line is ever left out: when that is not enough (a key lost its colon and its nested block
 * falls apart, an unclosed quote swallows what follows), the document read without more lines
 * would no longer be the one the user is editing, and its findings would mislead. Undefined then.
 */
export function recoverYamlSection(text: string, errorOffset: number): RecoveredSection | undefined {
  const line = lineAround(text, errorOffset);
  if (text.slice(line.start, line.end).trim() === '') return undefined;
  const masked = text.slice(0, line.start) + ' '.repeat(line.end - line.start) + text.slice(line.end);
  const doc = parseYamlSection(masked);
  return doc.errors.length === 0 ? { doc, text: masked, leftOut: line } : undefined;
}
