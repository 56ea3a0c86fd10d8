import { isCollection, isNode, isPair, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';

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

/** A run of VALUE_MASK: one masked action (or several written back to back). */
export const VALUE_MASK_RUN = new RegExp(`${VALUE_MASK}+`, 'g');

/**
 * Text for messages in which no mask character may show: what `YamlView.displayString` could not
 * trace back to its source (it always can for values read from the view) reads `{{ … }}`.
 */
export function withoutMasks(text: string): string {
  return containsAnyMask(text) ? text.replace(/[\uE000-\uE002]+/g, '{{ … }}') : text;
}

/**
 * Fills a control line after which `depth` conditional blocks (`if`, `with`) are open, counted from
 * the file's start: one code point per depth, U+E011 for 1 up to U+E01F (deeper counts as 15).
 * At depth 0 the line is filled with CONTROL_MASK. Fixes read it: a literal value inside a
 * conditional block is the chart user's switch, and gets no fix (RULES.md, "Helm templates").
 */
export function controlMask(depth: number): string {
  return depth <= 0 ? CONTROL_MASK : String.fromCharCode(CONDITIONAL_MASK_BASE + Math.min(depth, MAX_MASKED_DEPTH));
}

const CONDITIONAL_MASK_BASE = 0xe010;
const MAX_MASKED_DEPTH = 15;
const CONTROL_LINE = /#([\uE002\uE011-\uE01F])/g;

/** A masked control line: where it starts, and how many conditional blocks are open after it. */
export interface ControlLine {
  offset: number;
  depth: number;
}

/** The masked control lines of a text, in order. */
export function controlLines(text: string): ControlLine[] {
  const lines: ControlLine[] = [];
  for (const match of text.matchAll(CONTROL_LINE)) {
    const fill = match[1]?.charCodeAt(0) ?? 0;
    lines.push({ offset: match.index, depth: fill === CONTROL_MASK.charCodeAt(0) ? 0 : fill - CONDITIONAL_MASK_BASE });
  }
  return lines;
}

export function containsValueMask(text: string): boolean {
  return text.includes(VALUE_MASK);
}

function containsLineMask(text: string): boolean {
  return text.includes(LINE_MASK);
}

/** Any masked action at all: text that an edit must never touch. */
export function containsAnyMask(text: string): boolean {
  return /[\uE000-\uE002\uE011-\uE01F]/.test(text);
}

/**
 * True when a Helm action on a line of its own may add keys to this map: a masked line inside
 * the map's own text, not inside one of its values, that writes at the column of the map's keys
 * (RULES.md: an action fills the collection at its own indentation, never its parents; the
 * masked comment's `#` stands at that column). `env:` followed by `{{- toYaml .Values.extraEnv |
 * nindent 12 }}` fills the env list, not the container. The map's text runs to its node end, so
 * action lines after its last key count (yaml leaves those comments out of the value range).
 */
export function hasOpaqueLines(text: string, map: YAMLMap): boolean {
  const start = map.range?.[0] ?? 0;
  const end = map.range?.[2] ?? start;
  if (!containsLineMask(text.slice(start, end))) return false;
  const keyColumn = map.flow ? undefined : keyColumnOf(text, map);
  const fillsMap = (from: number, to: number): boolean => hasLineMaskAt(text, from, to, keyColumn);
  let cursor = start;
  for (const pair of map.items) {
    const value: unknown = isPair(pair) ? pair.value : undefined;
    if (!isOwnText(value)) continue;
    // The node's own range (source/ maps nodes to spans, but it reads this module for masks).
    const [innerStart, innerEnd] = value.range ?? [cursor, cursor];
    if (fillsMap(cursor, innerStart)) return true;
    // A list written at the keys' column (`containers:` then `- name: a` at the same column) is
    // extended by the action lines right after its last item: `{{- toYaml .Values.extraContainers
    // | nindent 6 }}` there adds list items, as charts use it, not keys of this map.
    const extendsList = isSeq(value) && keyColumn !== undefined && columnOf(text, innerStart) === keyColumn;
    cursor = Math.max(cursor, extendsList ? pastCommentLines(text, innerEnd) : innerEnd);
  }
  return fillsMap(cursor, end);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The start of the first line after `offset`'s line that holds more than blanks or a comment. */
function pastCommentLines(text: string, offset: number): number {
  let lineEnd = text.indexOf('\n', offset);
  while (lineEnd !== -1) {
    const next = text.indexOf('\n', lineEnd + 1);
    const line = text.slice(lineEnd + 1, next === -1 ? text.length : next).trim();
    if (line !== '' && !line.startsWith('#')) return lineEnd + 1;
    lineEnd = next;
  }
  return text.length;
}

/** The column of a block map's first key; undefined when it has none. */
function keyColumnOf(text: string, map: YAMLMap): number | undefined {
  const first: unknown = map.items[0]?.key;
  if (!isNode(first)) return undefined;
  return columnOf(text, first.range?.[0] ?? 0);
}

/**
 * A masked action in [from, to) that may write keys at `column`: a line of its own whose comment
 * starts there, or an action that ends a key's line and opens its block (`labels: {{- include … |
 * nindent 4 }}`), which writes wherever that block is. Any column will do when `column` is
 * undefined (a flow map, or a map without keys, takes whatever the action writes).
 */
function hasLineMaskAt(text: string, from: number, to: number, column: number | undefined): boolean {
  let at = text.indexOf(`#${LINE_MASK}`, from);
  while (at !== -1 && at < to) {
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const standsAlone = text.slice(lineStart, at).trim() === '';
    if (column === undefined || !standsAlone || columnOf(text, at) === column) return true;
    at = text.indexOf(`#${LINE_MASK}`, at + 1);
  }
  return false;
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
