import { isCollection, isNode, isPair, isScalar, type Node, type YAMLMap } from 'yaml';

/**
 * Characters that stand in for Helm template actions once a template is masked (one UTF-16 unit
 * each, so masking keeps every offset). Private-use code points never occur in real manifests.
 */

/** Replaces an action that stands where a value is written: `image: {{ .Values.image }}`. */
export const VALUE_MASK = '\uE000';

/** Fills a comment that replaces an action standing on a line of its own (`{{- include … }}`). */
export const LINE_MASK = '\uE001';

/**
 * Fills a comment that replaces control actions standing on a line of their own (`{{- if … }}`,
 * `{{- end }}`, `{{- $x := … }}`, template comments): they write no text, so they hide no keys, but
 * an edit must not touch them either (the template's structure depends on them).
 */
export const CONTROL_MASK = '\uE002';

export function containsValueMask(text: string): boolean {
  return text.includes(VALUE_MASK);
}

function containsLineMask(text: string): boolean {
  return text.includes(LINE_MASK);
}

/** Any masked action at all: text that an edit must never touch. */
export function containsAnyMask(text: string): boolean {
  return /[\uE000-\uE002]/.test(text);
}

/**
 * True when a Helm action on a line of its own may add keys to this map: a masked line inside
 * the map's own text, not inside one of its values. The map's text runs to its node end, so
 * action lines after its last key count (yaml leaves those comments out of the value range).
 */
export function hasOpaqueLines(text: string, map: YAMLMap): boolean {
  const start = map.range?.[0] ?? 0;
  const end = map.range?.[2] ?? start;
  if (!containsLineMask(text.slice(start, end))) return false;
  let cursor = start;
  for (const pair of map.items) {
    const value: unknown = isPair(pair) ? pair.value : undefined;
    if (!isOwnText(value)) continue;
    // The node's own range (source/ maps nodes to spans, but it reads this module for masks).
    const [innerStart, innerEnd] = value.range ?? [cursor, cursor];
    if (containsLineMask(text.slice(cursor, innerStart))) return true;
    cursor = Math.max(cursor, innerEnd);
  }
  return containsLineMask(text.slice(cursor, end));
}

/**
 * A value whose text belongs to it alone: a block collection, or a scalar with text (a masked
 * line inside a block or quoted scalar is part of the string, not a key of the map).
 */
function isOwnText(value: unknown): value is Node {
  if (!isNode(value)) return false;
  if (isCollection(value)) return !value.flow;
  return isScalar(value) && (value.source ?? '') !== '';
}

/**
 * True when the lines right after `offset`'s line, before any content, hold an action that
 * writes text: `securityContext:` followed by `{{- toYaml . | nindent 12 }}` gets its value there.
 */
export function isFilledByLineAction(text: string, offset: number): boolean {
  // Only the lines up to the next one with content are read: a whole-text search for a mask
  // first would cost O(section) for every empty key on every keystroke.
  let lineStart = text.indexOf('\n', offset);
  while (lineStart !== -1) {
    lineStart++;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).trim();
    if (line.includes(LINE_MASK)) return true;
    if (line !== '' && !line.startsWith('#')) return false;
    lineStart = lineEnd === text.length ? -1 : lineEnd;
  }
  return false;
}
