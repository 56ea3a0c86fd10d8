import { isNode, isScalar, isSeq } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { OffsetEdit, Span } from '../types';
import { spanOf, type Field, type YamlView } from '../source/yaml-view';
import { containsAnyMask, controlLines, type ControlLine } from '../parse/helm-mask';
import { isPlainObject, listsInFlow, styleOf, YamlWriter, type YamlStyle, type YamlValue } from './yaml-style';

export type { YamlValue } from './yaml-style';

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
  private readonly style: YamlStyle;
  private readonly write: YamlWriter;

  constructor(
    private readonly text: string,
    private readonly view: YamlView,
    readOnly = false,
  ) {
    this.style = styleOf(view, text);
    this.write = new YamlWriter(this.style);
    if (readOnly) this.refusedReason = 'JSON manifests get no fixes';
  }

  private get eol(): string {
    return this.style.eol;
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
    this.push(field.valueSpan.start, field.valueSpan.end, this.write.inline(value, original?.type));
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
    if (!this.canEdit(field.editable, start, end, node)) return;
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
      this.push(start, end, `${this.write.key(key)}: ${this.write.inline(value)}`);
      return;
    }
    const lines = this.write.block(key, value, this.columnOf(start), listsInFlow(this.style, map.map));
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
      else if (isNullField(field)) this.fillNullKey(field, value, target.map);
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
    if (isNullField(field)) this.fillNullKey(field, nest(rest, value), target.map);
    else this.refuse(`"${key}" is not a mapping`);
  }

  /**
   * Appends an item to the sequence held by `field`, in the sequence's own style; a key with no
   * list yet (`drop:`, `drop: ~`) gets one. `owner`, the map holding `field`, tells a flow map.
   */
  appendToList(field: Field, value: YamlValue, owner?: MapTarget): void {
    const seq = this.view.asSeq(field.value);
    if (!seq) {
      if (isNullField(field)) this.fillNullKey(field, [value], owner?.map);
      else this.refuse(`"${field.key}" is not a list`);
      return;
    }
    const span = spanOf(seq);
    if (!this.canEdit(field.editable, span.start, span.end, seq, false)) return;
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (seq.flow) {
      const closing = this.text.lastIndexOf(']', span.end);
      if (!last) this.push(closing, closing, this.write.inline(value));
      else this.push(spanOf(last).end, spanOf(last).end, `, ${this.write.inline(value)}`);
      return;
    }
    if (!last) return;
    const dashIndent = this.dashIndentOf(spanOf(seq.items[0] as Node).start);
    this.insertLines(spanOf(last).end, [`${dashIndent}- ${this.write.inline(value)}`]);
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
    this.push(span.start, span.end, this.write.inline(value, item.type));
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
    if (!this.canEdit(target.editable, span.start, span.end, target.map, false)) return;
    const items = target.map.items;
    if (target.map.flow) {
      const closing = this.text.lastIndexOf('}', span.end);
      const last = items[items.length - 1];
      const pairs = entries.map(([key, value]) => `${this.write.key(key)}: ${this.write.inline(value)}`).join(', ');
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
    const flowLists = listsInFlow(this.style, target.map);
    this.insertLines(this.pairEndOf(last), entries.flatMap(([key, value]) => this.write.block(key, value, indent, flowLists)));
  }

  /**
   * `key:` with no value, `~` or `null`: the value takes the null's place. A block map goes on the
   * lines below, one level deeper, and anything after the null on its line (a comment) stays.
   */
  private fillNullKey(field: Field, value: YamlValue, owner: YAMLMap | undefined): void {
    const inFlowMap = owner?.flow === true;
    const colon = this.valueIndicatorOf(field);
    if (colon === undefined) {
      // A flow map's key written alone (`{a, securityContext}`) gets its colon and value.
      if (this.canEdit(field.editable, field.keySpan.start, field.keySpan.end, field.pair.key, false)) this.push(field.keySpan.end, field.keySpan.end, `: ${this.write.inline(value)}`);
      return;
    }
    const written = field.pair.value as Node | null;
    // An empty value's node is an empty range somewhere after the colon: nothing to replace there.
    const nullEnd = written?.range && written.range[1] > written.range[0] ? written.range[1] : colon + 1;
    if (!this.canEdit(field.editable, field.keySpan.start, nullEnd, field.pair.key)) return;
    const keyColumn = this.columnOf(field.keySpan.start);
    const flowLists = listsInFlow(this.style, owner);
    let lines: string[];
    if (!inFlowMap && isPlainObject(value) && Object.keys(value).length > 0) {
      lines = Object.entries(value).flatMap(([k, v]) => this.write.block(k, v, keyColumn + this.style.indentUnit, flowLists));
    } else if (!inFlowMap && Array.isArray(value) && value.length > 0 && !flowLists) {
      lines = this.write.listLines(value, keyColumn + this.style.sequenceIndent);
    } else {
      this.push(colon + 1, nullEnd, ` ${this.write.inline(value)}`);
      return;
    }
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
   * Whether an edit in `target` around [start, end) may be made: not through an alias or merge
   * key, not inside an anchored node that an alias uses, nor (when it `removes` [start, end))
   * removing one, not over a Helm action.
   */
  private canEdit(editable: boolean, start: number, end: number, target: unknown, removes = true): boolean {
    if (this.refusedReason) return false;
    if (!editable) {
      this.refuse('the setting is reached through a YAML alias or merge key');
      return false;
    }
    if (this.touchesAliasedNode(target, removes ? { start, end } : undefined)) {
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

  /** `target` lies inside a node that an alias refers to, or the `removed` text holds one. */
  private touchesAliasedNode(target: unknown, removed: Span | undefined): boolean {
    const aliased = this.view.aliasedNodes();
    if (aliased.length === 0 || !isNode(target)) return false;
    const at = spanOf(target);
    return aliased.some((node) => {
      const anchored = spanOf(node);
      const inside = anchored.start <= at.start && at.end <= anchored.end;
      const removes = removed !== undefined && removed.start < removed.end && removed.start <= anchored.start && anchored.end <= removed.end;
      return inside || removes;
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
