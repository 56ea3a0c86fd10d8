/**
 * Re-reading a YAML section after an edit that stayed inside one plain value (a character typed
 * into `value: warn`), without parsing it again: the previous parse is copied with every position
 * after the edit moved, and the edited value is read on its own. Parsing is most of what a
 * keystroke costs in a large document, and most keystrokes land in a value.
 *
 * The result is the parse of the new text, or undefined whenever that is not certain: an edit
 * that touches a key, a comment, a quote, a line break, a flow collection, a tag or an anchor,
 * or a value that does not read, on its own, as one plain scalar spanning all of its text (a
 * typed `: `, ` #`, a leading `-`, `[`, `&`, `*`, `!`, `%`, `|`, `>`...). The caller then parses in full.
 */
import { Alias, Document, isAlias, isMap, isPair, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node, ParsedNode } from 'yaml';

/** Longer edits are pastes, not keystrokes: they are parsed in full. */
const MAX_EDIT = 64;

type ParsedDocument = Document.Parsed;
/** Where the edit starts, and where an offset into the previous text lies in the new one. */
interface Shift {
  start: number;
  move(offset: number): number;
}

/** `previous` parsed with `options`; undefined when `text` must be parsed in full. */
export function reparseScalarEdit(previous: { text: string; doc: ParsedDocument }, text: string, options: Parameters<typeof parseDocument>[1]): ParsedDocument | undefined {
  const { doc } = previous;
  const before = previous.text;
  if (doc.errors.length > 0 || doc.warnings.length > 0 || before === text) return undefined;
  // The value is read alone under the default schema: a `%YAML 1.1` section reads `yes` otherwise.
  if (doc.directives.yaml.explicit || doc.schema.name !== 'core') return undefined;
  const shorter = Math.min(before.length, text.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === text.charCodeAt(start)) start++;
  let same = 0;
  while (same < shorter - start && before.charCodeAt(before.length - 1 - same) === text.charCodeAt(text.length - 1 - same)) same++;
  const oldEnd = before.length - same;
  const delta = text.length - before.length;
  if (oldEnd - start > MAX_EDIT || oldEnd + delta - start > MAX_EDIT) return undefined;

  const found = doc.contents ? valueAt(doc.contents, start, oldEnd) : undefined;
  if (!found) return undefined;
  const [from, valueEnd, nodeEnd] = found.range;
  if (found.type !== Scalar.PLAIN || found.tag !== undefined || found.anchor !== undefined || valueEnd <= from) return undefined;
  const source = text.slice(from, valueEnd + delta);
  if (source.length === 0 || /[\r\n]/.test(source) || /[\r\n]/.test(before.slice(from, valueEnd))) return undefined;
  const alone = readAlone(source, options);
  if (!alone) return undefined;

  // A pure insertion at the value's first character leaves what starts there in place.
  const move = (offset: number): number => {
    if (offset < start || (offset === start && (start < oldEnd || start === from))) return offset;
    if (offset >= oldEnd) return offset + delta;
    throw new NotAValueEdit();
  };
  const edited = Object.assign(new Scalar(alone.value), found, {
    value: alone.value,
    source: alone.source,
    range: [from, valueEnd + delta, nodeEnd + delta],
  }) as Scalar;
  delete edited.format;
  delete edited.minFractionDigits;
  if (alone.format !== undefined) edited.format = alone.format;
  if (alone.minFractionDigits !== undefined) edited.minFractionDigits = alone.minFractionDigits;
  try {
    const copy = Object.assign(Object.create(Document.prototype) as ParsedDocument, doc, {
      errors: [],
      warnings: [],
      range: doc.range.map(move),
      contents: doc.contents ? copyNode(doc.contents, { start, move }, found, edited) : null,
    });
    Object.defineProperty(copy, NODE_TYPE, { value: (doc as unknown as Record<symbol, unknown>)[NODE_TYPE] });
    return copy;
  } catch (cause) {
    if (cause instanceof NotAValueEdit) return undefined;
    throw cause;
  }
}

class NotAValueEdit extends Error {}

/** yaml's own type marker, set by its constructors; a document made without one needs it set. */
const NODE_TYPE = Object.getOwnPropertySymbols(new Document()).find((symbol) => symbol.description === 'yaml.node.type') ?? Symbol.for('yaml.node.type');

/** The new value read as a document of its own: one plain scalar spanning it all, or undefined. */
function readAlone(source: string, options: Parameters<typeof parseDocument>[1]): Scalar | undefined {
  const alone = parseDocument(source, options);
  const scalar = alone.contents;
  if (alone.errors.length > 0 || alone.warnings.length > 0 || alone.directives.docStart || alone.comment || alone.commentBefore) return undefined;
  if (!isScalar(scalar) || scalar.type !== Scalar.PLAIN || scalar.tag !== undefined || scalar.anchor !== undefined || scalar.comment || scalar.commentBefore) return undefined;
  const range = scalar.range;
  return range && range[0] === 0 && range[1] === source.length ? scalar : undefined;
}

/**
 * The block map value or block sequence item whose value holds the edit `[start, end)` (edges
 * included), when it is a scalar; undefined when the edit touches anything else (a key, a
 * comment, the space between nodes) or lies in a flow collection.
 */
function valueAt(node: ParsedNode, start: number, end: number): (Scalar & { range: [number, number, number] }) | undefined {
  if (!isMap(node) && !isSeq(node)) return undefined;
  if (node.flow) return undefined;
  for (const item of node.items) {
    const value = isPair(item) ? item.value : item;
    if (isPair(item)) {
      const key = item.key as ParsedNode | null;
      if (!key?.range) return undefined;
      if (start <= key.range[2] && key.range[0] <= end) return undefined;
    }
    const range = (value as ParsedNode | null)?.range;
    if (!value || !range) continue;
    if (end < range[0] || start > range[2]) continue;
    if (isScalar(value)) return range[0] <= start && end <= range[1] ? (value as Scalar & { range: [number, number, number] }) : undefined;
    if (isAlias(value)) return undefined;
    return valueAt(value as ParsedNode, start, end);
  }
  return undefined;
}

/**
 * A copy of `node` with its positions moved, `target` replaced by `replacement`. Objects are built
 * as yaml builds them. What ends before the edit is shared with the previous parse, not copied:
 * its positions stay, and parsed documents are never modified (parse/yaml.ts).
 */
function copyNode(node: Node, shift: Shift, target: Scalar, replacement: Scalar): Node {
  if (node === target) return replacement;
  if (endsBeforeEdit(node, shift)) return node;
  if (isScalar(node)) return withRange(Object.assign(new Scalar(node.value), node), node, shift);
  if (isAlias(node)) return withRange(Object.assign(new Alias(node.source), node), node, shift);
  if (isMap(node)) {
    const map = Object.assign(new YAMLMap(node.schema), node);
    map.items = node.items.map((pair) => copyPair(pair, shift, target, replacement));
    return withRange(map, node, shift);
  }
  if (isSeq(node)) {
    const seq = Object.assign(new YAMLSeq(node.schema), node);
    seq.items = node.items.map((item) => (isPair(item) ? copyPair(item, shift, target, replacement) : isNodeLike(item) ? copyNode(item, shift, target, replacement) : item));
    return withRange(seq, node, shift);
  }
  throw new NotAValueEdit();
}

function copyPair(pair: Pair, shift: Shift, target: Scalar, replacement: Scalar): Pair {
  if ((pair.key === null || endsBeforeEdit(pair.key, shift)) && (pair.value === null || endsBeforeEdit(pair.value, shift))) return pair;
  const key = isNodeLike(pair.key) ? copyNode(pair.key, shift, target, replacement) : pair.key;
  const value = isNodeLike(pair.value) ? copyNode(pair.value, shift, target, replacement) : pair.value;
  return Object.assign(new Pair(key, value), pair, { key, value });
}

/** A node whose every position lies before the edit: the same in the new parse. */
function endsBeforeEdit(node: unknown, shift: Shift): boolean {
  const range = (node as Partial<ParsedNode> | null)?.range;
  return range !== undefined && range[2] < shift.start;
}

function isNodeLike(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}

function withRange<N extends Node>(copy: N, node: Node, { move }: Shift): N {
  if (node.range) copy.range = [move(node.range[0]), move(node.range[1]), move(node.range[2])];
  return copy;
}
