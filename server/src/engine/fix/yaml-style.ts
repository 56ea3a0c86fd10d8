import { isMap, isPair, isScalar, isSeq, Scalar, visit } from 'yaml';
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import { spanOf, type YamlView } from '../source/yaml-view';
import { detectEol } from '../source/text';

export type YamlValue = string | number | boolean | readonly YamlValue[] | { readonly [key: string]: YamlValue };

/** How a YAML section is written, so that what a fix adds looks like its neighbours. */
export interface YamlStyle {
  /** The line ending most lines use. */
  eol: '\n' | '\r\n';
  /** How much deeper a nested map's keys sit than their parent's. */
  indentUnit: number;
  /** How far right of its key a block list's `-` sits (0 for kubectl's `key:\n- a`). */
  sequenceIndent: number;
  /** Lists of scalars are mostly written `[a, b]`, not as `- a` lines. */
  flowScalarLists: boolean;
  /** The quote every key is written with, when the file quotes them all alike. */
  keyQuote?: Scalar.Type;
  /** The quote every string value is written with, when the file quotes them all alike. */
  stringQuote?: Scalar.Type;
}

const styles = new WeakMap<YamlView, YamlStyle>();

/** The section's style, read once per parsed section for all the fixes of its findings. */
export function styleOf(view: YamlView, text: string): YamlStyle {
  let style = styles.get(view);
  if (!style) {
    style = readStyle(view, text);
    styles.set(view, style);
  }
  return style;
}

/** Quote styles seen, counted. */
class QuoteTally {
  private readonly counts = new Map<Scalar.Type | undefined, number>();

  add(type: Scalar.Type | undefined): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
  }

  /** The one quote all are written with, if they are all quoted alike. */
  unanimousQuote(): Scalar.Type | undefined {
    if (this.counts.size !== 1) return undefined;
    const [only] = this.counts.keys();
    return only === Scalar.QUOTE_DOUBLE || only === Scalar.QUOTE_SINGLE ? only : undefined;
  }
}

function readStyle(view: YamlView, text: string): YamlStyle {
  const keys = new QuoteTally();
  const strings = new QuoteTally();
  let flowLists = 0;
  let blockLists = 0;
  let sequenceIndent: number | undefined;
  const root = view.root;
  if (root) {
    visit(root, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.source !== '<<') keys.add(pair.key.type);
        if (isScalar(pair.value) && typeof pair.value.value === 'string') stringTallyAdd(strings, pair.value);
        if (sequenceIndent === undefined && isSeq(pair.value) && !pair.value.flow && isScalar(pair.key)) {
          const first = pair.value.items[0] as Node | undefined;
          if (first) sequenceIndent = dashColumn(text, spanOf(first).start) - columnOf(text, spanOf(pair.key).start);
        }
      },
      Seq(_key, seq) {
        if (isScalarList(seq)) {
          if (seq.flow) flowLists++;
          else blockLists++;
        }
        for (const item of seq.items) if (isScalar(item) && typeof item.value === 'string') stringTallyAdd(strings, item);
      },
    });
  }
  const indentUnit = readIndentUnit(view, text);
  return {
    eol: detectEol(text),
    indentUnit,
    sequenceIndent: Math.max(0, sequenceIndent ?? indentUnit),
    flowScalarLists: flowLists > blockLists,
    ...quoteOf('keyQuote', keys.unanimousQuote()),
    ...quoteOf('stringQuote', strings.unanimousQuote()),
  };
}

function quoteOf<K extends 'keyQuote' | 'stringQuote'>(key: K, quote: Scalar.Type | undefined): Partial<Record<K, Scalar.Type>> {
  return quote === undefined ? {} : ({ [key]: quote } as Partial<Record<K, Scalar.Type>>);
}

/** Block scalars say nothing about how one-line strings are quoted. */
function stringTallyAdd(tally: QuoteTally, scalar: Scalar): void {
  if (scalar.type === Scalar.BLOCK_FOLDED || scalar.type === Scalar.BLOCK_LITERAL) return;
  tally.add(scalar.type);
}

/** A non-empty list of scalars (`drop: [ALL]`, `args:` lines), the kind a fix writes. */
export function isScalarList(seq: YAMLSeq): boolean {
  return seq.items.length > 0 && seq.items.every((item) => isScalar(item));
}

/** How a new list of scalars in `map` is written: like a list of scalars beside it, else like the file's. */
export function listsInFlow(style: YamlStyle, map: YAMLMap | undefined): boolean {
  for (const pair of map?.items ?? []) {
    if (isPair(pair) && isSeq(pair.value) && isScalarList(pair.value)) return pair.value.flow === true;
  }
  return style.flowScalarLists;
}

function columnOf(text: string, offset: number): number {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  return offset - start;
}

/** The column of the `-` before a block list item. */
function dashColumn(text: string, itemStart: number): number {
  const dash = text.lastIndexOf('-', itemStart);
  return columnOf(text, dash >= 0 ? dash : itemStart);
}

/** The indentation step: how much deeper the first nested block map's keys sit than their parent's. */
function readIndentUnit(view: YamlView, text: string): number {
  const root = view.asMap(view.root);
  for (const pair of root?.items ?? []) {
    const child = pair.value;
    if (!isMap(child) || child.flow) continue;
    const childKey = child.items[0]?.key as Node | undefined;
    if (!childKey) continue;
    const step = columnOf(text, spanOf(childKey).start) - columnOf(text, spanOf(pair.key as Node).start);
    if (step > 0) return step;
    break;
  }
  return 2;
}

export function isPlainObject(value: YamlValue): value is { readonly [key: string]: YamlValue } {
  return typeof value === 'object' && !Array.isArray(value);
}

const PLAIN_SAFE = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
const PLAIN_AMBIGUOUS = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
/**
 * Plain text YAML 1.1 or 1.2 would read as a number (`10`, `1e3`, `0x1F`, `012`, `1_000`, `.5`):
 * such strings are quoted, while quantities like `500m` and `512Mi` stay plain, as people write them.
 */
const NUMBER_LIKE = /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

/**
 * Writes YAML for the fixes of one section in its style: keys and strings quoted as the file
 * quotes them, lists of scalars in the file's flow or block form, block lines at its indentation.
 */
export class YamlWriter {
  constructor(private readonly style: YamlStyle) {}

  key(key: string): string {
    return this.scalar(key, this.style.keyQuote);
  }

  /** A scalar, in `quote` when given (a replaced value keeps its own), else as the file writes strings. */
  scalar(value: string | number | boolean, quote?: Scalar.Type): string {
    if (typeof value !== 'string') return String(value);
    const as = quote ?? this.style.stringQuote;
    if (as === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
    if (as === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    return PLAIN_SAFE.test(value) && !PLAIN_AMBIGUOUS.test(value) && !NUMBER_LIKE.test(value) ? value : JSON.stringify(value);
  }

  /** A value on one line: scalars as written, collections in flow style. */
  inline(value: YamlValue, quote?: Scalar.Type): string {
    if (Array.isArray(value)) return `[${value.map((item: YamlValue) => this.inline(item)).join(', ')}]`;
    if (isPlainObject(value)) return `{${Object.entries(value).map(([k, v]) => `${this.key(k)}: ${this.inline(v)}`).join(', ')}}`;
    return this.scalar(value as string | number | boolean, quote);
  }

  /** `key: value` as block lines at `indent`; maps nest one unit deeper, lists of scalars in `flowLists` form or as `-` lines. */
  block(key: string, value: YamlValue, indent: number, flowLists: boolean): string[] {
    const pad = ' '.repeat(indent);
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      return [`${pad}${this.key(key)}:`, ...Object.entries(value).flatMap(([k, v]) => this.block(k, v, indent + this.style.indentUnit, flowLists))];
    }
    if (Array.isArray(value) && value.length > 0 && !flowLists) {
      return [`${pad}${this.key(key)}:`, ...this.listLines(value, indent + this.style.sequenceIndent)];
    }
    return [`${pad}${this.key(key)}: ${this.inline(value)}`];
  }

  /** Block list lines with their `-` at `column`. */
  listLines(items: readonly YamlValue[], column: number): string[] {
    return items.map((item) => `${' '.repeat(column)}- ${this.inline(item)}`);
  }
}
