import { isCollection, isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import type { OffsetEdit } from '../types';
import { spanOf, type Field, type YamlView } from '../source/yaml-view';
import { containsAnyMask } from '../parse/helm-mask';
import { detectEol } from '../source/text';

export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** A map to edit, and whether it may be edited (false when reached through an alias). */
export interface MapTarget {
  map: YAMLMap;
  editable: boolean;
}

/**
 * Minimal text edits on one YAML section: each touches only the span it targets and reuses the
 * file's indentation, quoting and line endings, so comments and key order elsewhere survive.
 * An edit whose target is behind an alias or merge key, inside a Helm action, or in a JSON file
 * marks the editor refused, and the engine then offers no fix at all.
 */
export class YamlEditor {
  readonly edits: OffsetEdit[] = [];
  private refusedReason: string | undefined;
  private readonly eol: string;
  private unit: number | undefined;

  constructor(
    private readonly text: string,
    private readonly view: YamlView,
    readOnly = false,
  ) {
    this.eol = detectEol(text);
    if (readOnly) this.refusedReason = 'JSON manifests get no fixes';
  }

  get refused(): string | undefined {
    return this.refusedReason;
  }

  refuse(reason: string): void {
    this.refusedReason ??= reason;
  }

  /** Replaces a scalar value, keeping its quote style when the new value is a string. */
  replaceValue(field: Field, value: YamlValue): void {
    if (!this.canEdit(field.editable, field.valueSpan.start, field.valueSpan.end)) return;
    const node = field.pair.value;
    const original = isScalar(node) ? node : undefined;
    this.push(field.valueSpan.start, field.valueSpan.end, renderInline(value, original?.type));
  }

  /**
   * Replaces parts of a string value, given as offsets into the value: the rest of it, its quotes
   * and its comment stay as written. Refused where the source is not the value character for
   * character (escapes, folded lines, block scalars), and for an anchored value.
   */
  replaceInString(field: Field, edits: readonly OffsetEdit[]): void {
    const node = field.pair.value;
    if (!isScalar(node) || typeof node.value !== 'string') {
      this.refuse(`"${field.key}" does not hold a string written here`);
      return;
    }
    if (node.anchor) {
      this.refuse('the value is anchored, and aliases elsewhere may use it');
      return;
    }
    const { start, end } = field.valueSpan;
    if (!this.canEdit(field.editable, start, end)) return;
    const source = this.text.slice(start, end);
    const quoted = source === `"${node.value}"` || source === `'${node.value}'`;
    if (source !== node.value && !quoted) {
      this.refuse(`"${field.key}" is written with escapes or over several lines`);
      return;
    }
    const valueStart = start + (quoted ? 1 : 0);
    for (const edit of edits) this.push(valueStart + edit.start, valueStart + edit.end, edit.text);
  }

  /** Removes a key and its value, with the lines they occupy. */
  removeField(field: Field, map: MapTarget): void {
    const keyStart = field.keySpan.start;
    const valueEnd = valueEndOf(field);
    if (!this.canEdit(field.editable && map.editable, keyStart, valueEnd)) return;
    if (map.map.flow) {
      this.removeFlowItem(map.map.items.indexOf(field.pair), map.map.items.map((p) => spanOf(p.key as Node).start), valueEnd);
      return;
    }
    const lineStart = this.lineStartOf(keyStart);
    const before = this.text.slice(lineStart, keyStart);
    if (before.trim() === '') {
      this.push(lineStart, this.endOfLineAfter(valueEnd), '');
      return;
    }
    // The key follows a `- ` on its line: pull the next key up, or leave an empty map.
    const index = map.map.items.indexOf(field.pair);
    const next = map.map.items[index + 1];
    if (next) this.push(keyStart, spanOf(next.key as Node).start, '');
    else this.push(keyStart, valueEnd, '{}');
  }

  /**
   * Replaces a key and its value with another key and value at the same place in the map
   * (`value: x` -> `valueFrom: {...}`): other keys keep their order, a block map gets the new
   * value as block lines at the key's indent, a flow map gets it inline.
   */
  replaceField(field: Field, map: MapTarget, key: string, value: YamlValue): void {
    const start = field.keySpan.start;
    const end = valueEndOf(field);
    if (!this.canEdit(field.editable && map.editable, start, end)) return;
    if (holdsAnchor(field.pair.value)) {
      this.refuse('the value is anchored, and aliases elsewhere may use it');
      return;
    }
    if (map.map.flow) {
      this.push(start, end, `${renderKey(key)}: ${renderInline(value)}`);
      return;
    }
    const lines = renderBlock(key, value, this.columnOf(start), this.indentUnit());
    lines[0] = lines[0]?.trimStart() ?? '';
    // A block scalar's value ends after its last line break; the replacement must end one too.
    const endsWithLineBreak = end > start && this.text[end - 1] === '\n';
    this.push(start, end, lines.join(this.eol) + (endsWithLineBreak ? this.eol : ''));
  }

  /**
   * Sets `path` under `target` to `value`, creating the maps that are missing. An existing
   * scalar is replaced; an object value is merged key by key into an existing map.
   */
  setIn(target: MapTarget, path: readonly string[], value: YamlValue): void {
    const [key, ...rest] = path;
    if (key === undefined) return;
    const field = this.view.field(target.map, key);
    if (!field) {
      this.insertIntoMap(target, [[key, nest(rest, value)]]);
      return;
    }
    if (!field.editable || !target.editable) {
      this.refuse('the setting is reached through a YAML alias or merge key');
      return;
    }
    const child = this.view.asMap(field.value);
    if (rest.length === 0 && !isPlainObject(value)) {
      if (child || isSeq(field.value)) this.refuse(`"${key}" holds a collection, not a value`);
      else if (isEmptyValue(field)) this.insertUnderKey(field, value);
      else this.replaceValue(field, value);
      return;
    }
    if (child) {
      if (rest.length === 0 && isPlainObject(value)) {
        // New keys go in with one edit, so that several added to an empty flow map are separated.
        const childTarget = { map: child, editable: true };
        const added: Array<[string, YamlValue]> = [];
        for (const [innerKey, innerValue] of Object.entries(value)) {
          if (this.view.field(child, innerKey)) this.setIn(childTarget, [innerKey], innerValue);
          else added.push([innerKey, innerValue]);
        }
        if (added.length > 0) this.insertIntoMap(childTarget, added);
      } else {
        this.setIn({ map: child, editable: true }, rest, value);
      }
      return;
    }
    if (isEmptyValue(field)) this.insertUnderKey(field, nest(rest, value));
    else this.refuse(`"${key}" is not a mapping`);
  }

  /** Appends an item to the sequence held by `field`, in the sequence's own style. */
  appendToList(field: Field, value: YamlValue): void {
    const seq = this.view.asSeq(field.value);
    if (!seq) {
      if (isEmptyValue(field)) this.insertUnderKey(field, [value]);
      else this.refuse(`"${field.key}" is not a list`);
      return;
    }
    const span = spanOf(seq);
    if (!this.canEdit(field.editable, span.start, span.end)) return;
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (seq.flow) {
      const closing = this.text.lastIndexOf(']', span.end);
      if (!last) this.push(closing, closing, renderInline(value));
      else this.push(spanOf(last).end, spanOf(last).end, `, ${renderInline(value)}`);
      return;
    }
    if (!last) return;
    const dashIndent = this.dashIndentOf(spanOf(seq.items[0] as Node).start);
    this.insertLines(spanOf(last).end, [`${dashIndent}- ${renderInline(value)}`]);
  }

  /** Replaces one scalar item of the sequence held by `field`, keeping its quote style. */
  replaceListItem(field: Field, index: number, value: YamlValue): void {
    const seq = this.view.asSeq(field.value);
    const item: unknown = seq?.items[index];
    if (!seq || !isScalar(item)) {
      this.refuse(`"${field.key}" has no plain item ${index} to replace`);
      return;
    }
    const span = spanOf(item);
    if (!this.canEdit(field.editable, span.start, span.end)) return;
    this.push(span.start, span.end, renderInline(value, item.type));
  }

  /** Removes one item of the sequence held by `field`. */
  removeListItem(field: Field, index: number): void {
    const seq = this.view.asSeq(field.value);
    const item = seq?.items[index] as Node | undefined;
    if (!seq || !item) return;
    const span = spanOf(item);
    if (!this.canEdit(field.editable, span.start, span.end)) return;
    if (seq.items.length === 1) {
      const seqStart = spanOf(seq).start;
      const seqEnd = trimEnd(this.text, spanOf(seq).end);
      // A block list's lines go with its last item: `add:\n  - X` becomes `add: []`.
      const afterColon = this.text.indexOf(':', field.keySpan.end) + 1;
      const onKeyLine = !seq.flow && afterColon > 0 && afterColon <= seqStart && this.text.slice(afterColon, seqStart).trim() === '';
      if (onKeyLine) this.push(afterColon, seqEnd, ' []');
      else this.push(seqStart, seqEnd, '[]');
      return;
    }
    if (seq.flow) {
      this.removeFlowItem(index, seq.items.map((i) => spanOf(i as Node).start), span.end);
      return;
    }
    const lineStart = this.lineStartOf(span.start);
    this.push(lineStart, this.endOfLineAfter(span.end), '');
  }

  /** Removes a flow item with the comma that separates it from its neighbour. */
  private removeFlowItem(index: number, starts: number[], itemEnd: number): void {
    const start = starts[index];
    if (start === undefined) return;
    const next = starts[index + 1];
    if (next !== undefined) this.push(start, next, '');
    else if (index > 0) this.push(this.text.lastIndexOf(',', start), itemEnd, '');
    else this.push(start, itemEnd, '');
  }

  private insertIntoMap(target: MapTarget, entries: ReadonlyArray<readonly [string, YamlValue]>): void {
    const span = spanOf(target.map);
    if (!this.canEdit(target.editable, span.start, span.end)) return;
    const items = target.map.items;
    if (target.map.flow) {
      const closing = this.text.lastIndexOf('}', span.end);
      const last = items[items.length - 1];
      const pairs = entries.map(([key, value]) => `${renderKey(key)}: ${renderInline(value)}`).join(', ');
      if (!last) this.push(closing, closing, pairs);
      else this.push(valueEndOfPair(last), valueEndOfPair(last), `, ${pairs}`);
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      this.refuse('the mapping is empty');
      return;
    }
    const keyStart = spanOf(first.key as Node).start;
    const indent = this.columnOf(keyStart);
    this.insertLines(valueEndOfPair(last), entries.flatMap(([key, value]) => renderBlock(key, value, indent, this.indentUnit())));
  }

  /** `key:` with nothing after it: the new content goes on the lines below, one level deeper. */
  private insertUnderKey(field: Field, value: YamlValue): void {
    if (!this.canEdit(field.editable, field.keySpan.start, field.valueSpan.end)) return;
    const keyColumn = this.columnOf(field.keySpan.start);
    const lineEnd = this.endOfLineBefore(field.valueSpan.end);
    const start = this.text.indexOf(':', field.keySpan.end) + 1;
    if (isPlainObject(value)) {
      const lines = Object.entries(value).flatMap(([k, v]) => renderBlock(k, v, keyColumn + this.indentUnit(), this.indentUnit()));
      this.push(start, lineEnd, this.eol + lines.join(this.eol));
    } else {
      this.push(start, lineEnd, ` ${renderInline(value)}`);
    }
  }

  /** Inserts whole lines after the line on which `after` falls. */
  private insertLines(offset: number, lines: string[]): void {
    const block = lines.join(this.eol);
    // yaml can end a collection inside the next line's indentation (after a comment line).
    const lineStart = this.lineStartOf(offset);
    const after = lineStart > 0 && this.text.slice(lineStart, offset).trim() === '' ? lineStart : offset;
    if (after > 0 && this.text[after - 1] === '\n') {
      // Collections and block scalars end after their last line break.
      this.push(after, after, block + this.eol);
      return;
    }
    this.push(this.endOfLineBefore(after), this.endOfLineBefore(after), this.eol + block);
  }

  private canEdit(editable: boolean, start: number, end: number): boolean {
    if (this.refusedReason) return false;
    if (!editable) {
      this.refuse('the setting is reached through a YAML alias or merge key');
      return false;
    }
    const slice = this.text.slice(start, end);
    if (containsAnyMask(slice)) {
      this.refuse('the setting is produced by a Helm template action');
      return false;
    }
    return true;
  }

  private push(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  private lineStartOf(offset: number): number {
    // Walks back to the nearest break: `lastIndexOf('\r')` would scan to the file's start when
    // it has none, which made fixes quadratic in the file's length.
    let start = offset;
    while (start > 0 && this.text[start - 1] !== '\n' && this.text[start - 1] !== '\r') start--;
    return start;
  }

  private columnOf(offset: number): number {
    return offset - this.lineStartOf(offset);
  }

  /** End of the line holding `offset`, before its line break. */
  private endOfLineBefore(offset: number): number {
    let end = offset;
    while (end < this.text.length && this.text[end] !== '\n' && this.text[end] !== '\r') end++;
    return end;
  }

  /** End of the line holding `offset`, after its line break (or `offset` if one ends there). */
  private endOfLineAfter(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === '\n') return offset;
    let end = this.endOfLineBefore(offset);
    if (this.text[end] === '\r') end++;
    if (this.text[end] === '\n') end++;
    return end;
  }

  private dashIndentOf(itemStart: number): string {
    const lineStart = this.lineStartOf(itemStart);
    const dash = this.text.lastIndexOf('-', itemStart);
    return this.text.slice(lineStart, dash >= lineStart ? dash : itemStart).replace(/[^\t ]/g, ' ');
  }

  /** The file's indentation step: how much deeper a nested map's keys sit than their parent's. */
  private indentUnit(): number {
    if (this.unit !== undefined) return this.unit;
    this.unit = 2;
    const root = this.view.asMap(this.view.root);
    for (const pair of root?.items ?? []) {
      const child = pair.value;
      if (!isMap(child) || child.flow) continue;
      const childKey = child.items[0]?.key as Node | undefined;
      const parentKey = pair.key as Node;
      if (!childKey) continue;
      const step = this.columnOf(spanOf(childKey).start) - this.columnOf(spanOf(parentKey).start);
      if (step > 0) this.unit = step;
      break;
    }
    return this.unit;
  }
}

function isPlainObject(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && !Array.isArray(value);
}

/** The node, or a node inside it, carries an `&anchor` that aliases may refer to. */
function holdsAnchor(node: unknown): boolean {
  if (isScalar(node) || isCollection(node)) {
    if (node.anchor) return true;
  }
  if (!isCollection(node)) return false;
  return node.items.some((item) => (isPair(item) ? holdsAnchor(item.key) || holdsAnchor(item.value) : holdsAnchor(item)));
}

function isEmptyValue(field: Field): boolean {
  const value = field.pair.value;
  return value === null || (isScalar(value) && (value.value === null || value.value === undefined) && (value.source ?? '') === '');
}

function valueEndOf(field: Field): number {
  const value = field.pair.value as Node | null;
  return value ? spanOf(value).end : field.keySpan.end;
}

function valueEndOfPair(pair: { key: unknown; value: unknown }): number {
  const value = pair.value as Node | null;
  if (value && value.range) return value.range[1];
  return spanOf(pair.key as Node).end + 1;
}

function trimEnd(text: string, end: number): number {
  let cursor = end;
  while (cursor > 0 && /\s/.test(text[cursor - 1] ?? '')) cursor--;
  return cursor;
}

function nest(path: readonly string[], value: YamlValue): YamlValue {
  return path.reduceRight<YamlValue>((inner, key) => ({ [key]: inner }), value);
}

const PLAIN_SAFE = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
const PLAIN_AMBIGUOUS = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
/**
 * Plain text YAML 1.1 or 1.2 would read as a number (`10`, `1e3`, `0x1F`, `012`, `1_000`, `.5`):
 * such strings are quoted, while quantities like `500m` and `512Mi` stay plain, as people write them.
 */
const NUMBER_LIKE = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

function renderKey(key: string): string {
  return renderScalar(key);
}

function renderScalar(value: string | number | boolean, quote?: Scalar.Type): string {
  if (typeof value !== 'string') return String(value);
  if (quote === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (quote === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  return PLAIN_SAFE.test(value) && !PLAIN_AMBIGUOUS.test(value) && !NUMBER_LIKE.test(value) ? value : JSON.stringify(value);
}

/** A value on one line: scalars as written, collections in flow style. */
function renderInline(value: YamlValue, quote?: Scalar.Type): string {
  if (Array.isArray(value)) return `[${value.map((item: YamlValue) => renderInline(item)).join(', ')}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${renderKey(k)}: ${renderInline(v)}`).join(', ')}}`;
  }
  return renderScalar(value as string | number | boolean, quote);
}

/** `key: value` as block lines at `indent`; maps nest one `unit` deeper, lists of scalars stay flow. */
function renderBlock(key: string, value: YamlValue, indent: number, unit: number): string[] {
  const pad = ' '.repeat(indent);
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    return [`${pad}${renderKey(key)}:`, ...Object.entries(value).flatMap(([k, v]) => renderBlock(k, v, indent + unit, unit))];
  }
  return [`${pad}${renderKey(key)}: ${renderInline(value)}`];
}
