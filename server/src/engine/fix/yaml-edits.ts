import { isMap, isNode, isScalar, isSeq, Scalar } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { OffsetEdit } from '../types';
import { spanOf, type Field, type YamlView } from '../source/yaml-view';
import { containsAnyMask, controlLines, type ControlLine } from '../parse/helm-mask';
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
    if (!this.canEdit(field.editable, field.valueSpan.start, field.valueSpan.end, field.pair.key)) return;
    const node = field.pair.value;
    const original = isScalar(node) ? node : undefined;
    this.push(field.valueSpan.start, field.valueSpan.end, renderInline(value, original?.type));
  }

  /** Removes a key and its value, with the lines they occupy. */
  removeField(field: Field, map: MapTarget): void {
    const keyStart = this.pairStartOf(field);
    const valueEnd = valueEndOf(field);
    if (!this.canEdit(field.editable && map.editable, keyStart, valueEnd, field.pair.key)) return;
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
    if (next) this.push(keyStart, this.pairStartOf({ keySpan: spanOf(next.key as Node) }), '');
    else this.push(keyStart, valueEnd, '{}');
  }

  /**
   * Replaces a key and its value with another key and value at the same place in the map
   * (`value: x` -> `valueFrom: {...}`): other keys keep their order, a block map gets the new
   * value as block lines at the key's indent, a flow map gets it inline.
   */
  replaceField(field: Field, map: MapTarget, key: string, value: YamlValue): void {
    const start = this.pairStartOf(field);
    const end = valueEndOf(field);
    if (!this.canEdit(field.editable && map.editable, start, end, field.pair.key)) return;
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
      else if (isNullField(field)) this.fillNullKey(field, value, target.map.flow === true);
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
    if (isNullField(field)) this.fillNullKey(field, nest(rest, value), target.map.flow === true);
    else this.refuse(`"${key}" is not a mapping`);
  }

  /**
   * Appends an item to the sequence held by `field`, in the sequence's own style; a key with no
   * list yet (`drop:`, `drop: ~`) gets one. `owner`, the map holding `field`, tells a flow map.
   */
  appendToList(field: Field, value: YamlValue, owner?: MapTarget): void {
    const seq = this.view.asSeq(field.value);
    if (!seq) {
      if (isNullField(field)) this.fillNullKey(field, [value], owner?.map.flow === true);
      else this.refuse(`"${field.key}" is not a list`);
      return;
    }
    const span = spanOf(seq);
    if (!this.canEdit(field.editable, span.start, span.end, seq)) return;
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
    if (!this.canEdit(field.editable, span.start, span.end, item)) return;
    this.push(span.start, span.end, renderInline(value, item.type));
  }

  /**
   * Removes one item of the sequence held by `field`. Given `owner`, the map holding `field`, the
   * last item takes its key along (`add: [SYS_ADMIN]` goes, rather than leaving `add: []`).
   */
  removeListItem(field: Field, index: number, owner?: MapTarget): void {
    const seq = this.view.asSeq(field.value);
    const item = seq?.items[index] as Node | undefined;
    if (!seq || !item) return;
    const span = spanOf(item);
    if (!this.canEdit(field.editable, span.start, span.end, item)) return;
    if (seq.items.length === 1 && owner) {
      this.removeField(field, owner);
      return;
    }
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
    if (!this.canEdit(target.editable, span.start, span.end, target.map)) return;
    const items = target.map.items;
    if (target.map.flow) {
      const closing = this.text.lastIndexOf('}', span.end);
      const last = items[items.length - 1];
      const pairs = entries.map(([key, value]) => `${renderKey(key)}: ${renderInline(value)}`).join(', ');
      if (!last) this.push(closing, closing, pairs);
      else this.push(this.pairEndOf(last), this.pairEndOf(last), `, ${pairs}`);
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      this.refuse('the mapping is empty');
      return;
    }
    // The map's own column: its first key's, or the `?` before an explicit key.
    const indent = this.columnOf(spanOf(target.map).start);
    this.insertLines(this.pairEndOf(last), entries.flatMap(([key, value]) => renderBlock(key, value, indent, this.indentUnit())));
  }

  /**
   * `key:` with no value, `~` or `null`: the value takes the null's place. A block map goes on the
   * lines below, one level deeper, and anything after the null on its line (a comment) stays.
   */
  private fillNullKey(field: Field, value: YamlValue, inFlowMap: boolean): void {
    const colon = this.valueIndicatorOf(field);
    if (colon === undefined) {
      // A flow map's key written alone (`{a, securityContext}`) gets its colon and value.
      if (this.canEdit(field.editable, field.keySpan.start, field.keySpan.end, field.pair.key)) this.push(field.keySpan.end, field.keySpan.end, `: ${renderInline(value)}`);
      return;
    }
    const written = field.pair.value as Node | null;
    // An empty value's node is an empty range somewhere after the colon: nothing to replace there.
    const nullEnd = written?.range && written.range[1] > written.range[0] ? written.range[1] : colon + 1;
    if (!this.canEdit(field.editable, field.keySpan.start, nullEnd, field.pair.key)) return;
    if (inFlowMap || !isPlainObject(value) || Object.keys(value).length === 0) {
      this.push(colon + 1, nullEnd, ` ${renderInline(value)}`);
      return;
    }
    const unit = this.indentUnit();
    const lines = Object.entries(value).flatMap(([k, v]) => renderBlock(k, v, this.columnOf(field.keySpan.start) + unit, unit));
    // One edit from the colon to the line's end: what follows the null (a comment) is kept.
    const lineEnd = this.endOfLineBefore(nullEnd);
    this.push(colon + 1, lineEnd, this.text.slice(nullEnd, lineEnd) + this.eol + lines.join(this.eol));
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

  /**
   * Whether an edit of [start, end) in `target` may be made: not through an alias or merge key, not
   * inside an anchored node that an alias uses (nor removing one), not over a Helm action.
   */
  private canEdit(editable: boolean, start: number, end: number, target: unknown): boolean {
    if (this.refusedReason) return false;
    if (!editable) {
      this.refuse('the setting is reached through a YAML alias or merge key');
      return false;
    }
    if (this.touchesAliasedNode(target, start, end)) {
      this.refuse('the setting lies in an anchored node that aliases use; the edit would change them all');
      return false;
    }
    const slice = this.text.slice(start, end);
    if (containsAnyMask(slice)) {
      this.refuse('the setting is produced by a Helm template action');
      return false;
    }
    if (this.insideHelmConditional(start)) {
      this.refuse('the setting sits inside a Helm conditional block: that switch is the chart user\'s');
      return false;
    }
    return true;
  }

  /**
   * `offset` lies in an `{{ if }}`/`{{ with }}` block opened inside the document. A block opened
   * before the document's first key (a chart's `{{- if .Values.rbac.create }}` around a whole
   * resource) switches the resource, not the setting, and does not count.
   */
  private insideHelmConditional(offset: number): boolean {
    const lines = controlLinesOf(this.view, this.text);
    if (lines.length === 0) return false;
    const depthAt = (at: number): number => {
      let depth = 0;
      for (const line of lines) {
        if (line.offset >= at) break;
        depth = line.depth;
      }
      return depth;
    };
    const root = this.view.root;
    return depthAt(offset) > depthAt(root?.range?.[0] ?? 0);
  }

  /** `target` lies inside a node that an alias refers to, or [start, end) holds one. */
  private touchesAliasedNode(target: unknown, start: number, end: number): boolean {
    const aliased = this.view.aliasedNodes();
    if (aliased.length === 0) return false;
    const at = isNode(target) ? spanOf(target) : { start, end };
    return aliased.some((node) => {
      const anchored = spanOf(node);
      const inside = anchored.start <= at.start && at.end <= anchored.end;
      const removed = start < end && start <= anchored.start && anchored.end <= end;
      return inside || removed;
    });
  }

  private push(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  /** Where a pair's text ends: after its value, or after `key:` (or a lone flow key) when it has none. */
  private pairEndOf(pair: Pair): number {
    const value = pair.value as Node | null;
    if (value?.range && value.range[1] > value.range[0]) return value.range[1];
    const keyEnd = spanOf(pair.key as Node).end;
    const colon = this.valueIndicatorOf({ keySpan: { start: keyEnd, end: keyEnd } });
    return colon === undefined ? keyEnd : colon + 1;
  }

  /** The `:` after a key (on a later line for an explicit `? key`), or undefined when it has none. */
  private valueIndicatorOf(field: Pick<Field, 'keySpan'>): number | undefined {
    let cursor = field.keySpan.end;
    while (cursor < this.text.length) {
      const ch = this.text[cursor];
      if (ch === '#') cursor = this.endOfLineBefore(cursor);
      else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') cursor++;
      else break;
    }
    return this.text[cursor] === ':' ? cursor : undefined;
  }

  /** Where a pair's text starts: its key, or the `? ` indicator of an explicit key (`? key` / `: value`). */
  private pairStartOf(field: Pick<Field, 'keySpan'>): number {
    let cursor = field.keySpan.start;
    while (cursor > 0 && (this.text[cursor - 1] === ' ' || this.text[cursor - 1] === '\t')) cursor--;
    return this.text[cursor - 1] === '?' ? cursor - 1 : field.keySpan.start;
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

/** Masked control lines by section, found once for all the fixes of its findings. */
const controlLinesByView = new WeakMap<YamlView, ControlLine[]>();

function controlLinesOf(view: YamlView, text: string): ControlLine[] {
  let lines = controlLinesByView.get(view);
  if (!lines) {
    lines = controlLines(text);
    controlLinesByView.set(view, lines);
  }
  return lines;
}

function isPlainObject(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && !Array.isArray(value);
}


/** `key:` with nothing after it, `~` or `null`: a key the API reads as absent. */
function isNullField(field: Field): boolean {
  const value = field.pair.value;
  return value === null || (isScalar(value) && (value.value === null || value.value === undefined));
}

function valueEndOf(field: Field): number {
  const value = field.pair.value as Node | null;
  return value ? spanOf(value).end : field.keySpan.end;
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
