/**
 * Where every built value comes from. The files a build reads are laid end to end in one
 * virtual text; each built YAML node carries its range in that text (its source map), so the
 * walker and the rules read a built object exactly as they read a file, and a finding's span
 * maps back to the file and offset that provide the value.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import type { Span } from '../types';
import { stripBom } from '../source/text';
import { parseYamlSection, splitYamlSections } from '../parse/yaml';
import { cloneNode, keyOf, type BuiltNode } from './nodes';

export { keyOf, type BuiltNode } from './nodes';


/** Maps an offset in some parsed text to an offset in the virtual text. */
export type OffsetMap = (offset: number) => number;

interface Placed {
  path: string;
  start: number;
  text: string;
}

interface ParsedFile {
  /** Nodes placed at the file's own offsets: shifted to the file's place when handed out. */
  nodes: BuiltNode[];
  problem?: { message: string; offset: number };
}

/**
 * Parsed files by their text, kept between analyses (the language server: a keystroke in a base
 * leaves the overlays' files as they were). `sweep` forgets what the last analysis did not use.
 */
export class KustomizeCache {
  private readonly entries = new Map<string, ParsedFile>();
  private readonly used = new Set<string>();

  get(text: string): ParsedFile | undefined {
    const entry = this.entries.get(text);
    if (entry) this.used.add(text);
    return entry;
  }

  set(text: string, entry: ParsedFile): void {
    this.used.add(text);
    this.entries.set(text, entry);
  }

  sweep(): void {
    for (const text of this.entries.keys()) if (!this.used.has(text)) this.entries.delete(text);
    this.used.clear();
  }
}

/** One text per file, placed end to end. */
export class SourceSet {
  private readonly placed: Placed[] = [];
  private readonly byPath = new Map<string, Placed>();
  private length = 0;
  private joined: string | undefined;

  constructor(
    private readonly files: ReadonlyMap<string, string>,
    private readonly cache: KustomizeCache = new KustomizeCache(),
  ) {}

  has(path: string): boolean {
    return this.files.has(path);
  }

  private readonly memos = new Map<string, unknown>();

  /** What `compute` makes of a file once per analysis (a kustomization ten builds read); never changed by its users. */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** The file's text (without BOM), placed in the virtual text on first use. */
  place(path: string): Placed | undefined {
    const known = this.byPath.get(path);
    if (known) return known;
    const raw = this.files.get(path);
    if (raw === undefined) return undefined;
    const placed = { path, start: this.length, text: stripBom(raw).text };
    this.placed.push(placed);
    this.byPath.set(path, placed);
    // A line break between files keeps one file's last line apart from the next one's first.
    this.length += placed.text.length + 1;
    this.joined = undefined;
    return placed;
  }

  /** The virtual text: every placed file, each followed by a line break. */
  get text(): string {
    this.joined ??= this.placed.map((p) => `${p.text}\n`).join('');
    return this.joined;
  }

  /** The file and local span of a virtual span; undefined for a span that is in no file. */
  locate(span: Span): { path: string; span: Span } | undefined {
    let low = 0;
    let high = this.placed.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const candidate = this.placed[mid];
      if (!candidate) break;
      if (span.start < candidate.start) high = mid - 1;
      else if (span.start > candidate.start + candidate.text.length) low = mid + 1;
      else {
        const end = Math.min(span.end, candidate.start + candidate.text.length);
        return { path: candidate.path, span: { start: span.start - candidate.start, end: Math.max(end, span.start) - candidate.start } };
      }
    }
    return undefined;
  }

  /**
   * The file's YAML documents as built nodes (aliases and merge keys expanded); a document that
   * does not parse is reported through `problems` with its local offset.
   */
  documents(path: string): { nodes: BuiltNode[]; problem?: { message: string; offset: number } } {
    const placed = this.place(path);
    if (!placed) return { nodes: [] };
    // Parsed once (a base ten overlays build), handed out as copies: transformers change them.
    let parsed = this.cache.get(placed.text);
    if (!parsed) {
      parsed = parseFile(placed.text);
      this.cache.set(placed.text, parsed);
    }
    return { nodes: parsed.nodes.map((node) => cloneNode(node, placed.start)), ...(parsed.problem ? { problem: parsed.problem } : {}) };
  }
}

function parseFile(text: string): ParsedFile {
  const nodes: BuiltNode[] = [];
  for (const section of splitYamlSections(text)) {
    const parsed = parseText(section.text, (offset) => section.start + offset);
    if ('problem' in parsed) return { nodes, problem: { message: parsed.problem.message, offset: section.start + parsed.problem.offset } };
    if (parsed.node) nodes.push(parsed.node);
  }
  return { nodes };
}

/** Parses one YAML document and copies it into built nodes placed by `map`. */
export function parseText(text: string, map: OffsetMap): { node: BuiltNode | undefined } | { problem: { message: string; offset: number } } {
  const doc = parseYamlSection(text);
  const error = doc.errors[0];
  if (error) return { problem: { message: (error.message.split('\n')[0] ?? error.message).replace(/\.$/, ''), offset: error.pos[0] } };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return { node: undefined };
  const anchors = new Map<string, Node>();
  try {
    return { node: copyNode(root, map, anchors, 0, { left: MAX_NODES }) };
  } catch (cause) {
    if (cause instanceof TooLarge) return { problem: { message: cause.message, offset: 0 } };
    throw cause;
  }
}

const MAX_DEPTH = 200;
/** Aliases are expanded, as kustomize does: an alias bomb stops here instead of filling memory. */
const MAX_NODES = 200_000;

class TooLarge extends Error {}

/**
 * A deep copy with ranges moved into the virtual text. Aliases are copied as the node they
 * name and merge keys as the keys they bring (kustomize expands both), at the alias's place.
 */
function copyNode(node: unknown, map: OffsetMap, anchors: Map<string, Node>, depth: number, budget: { left: number }, at?: readonly [number, number, number]): BuiltNode {
  if (depth > MAX_DEPTH) throw new TooLarge('the YAML nests too deeply to be built');
  if (--budget.left < 0) throw new TooLarge(`expanding its aliases makes more than ${MAX_NODES} nodes`);
  const own = (node as { range?: [number, number, number] | null }).range ?? undefined;
  const range = at ?? own;
  const placed: [number, number, number] = range ? [map(range[0]), map(range[1]), map(range[2])] : [0, 0, 0];
  if (isScalar(node) || isMap(node) || isSeq(node)) {
    if (node.anchor) anchors.set(node.anchor, node);
  }
  if (isAlias(node)) {
    const target = anchors.get(node.source);
    if (!target) return scalar(null, placed);
    return copyNode(target, map, anchors, depth + 1, budget, placed);
  }
  if (isMap(node)) {
    const copy = new YAMLMap();
    copy.range = placed;
    const merged: Pair[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && (keyNode.source === '<<' || (typeof keyNode.value === 'symbol' && keyNode.value.description === '<<'))) {
        const sources = copyNode(pair.value, map, anchors, depth + 1, budget);
        const maps = isMap(sources) ? [sources] : isSeq(sources) ? sources.items.filter((item): item is YAMLMap => isMap(item)) : [];
        for (const source of maps) for (const inner of source.items) if (isPair(inner)) merged.push(inner);
        continue;
      }
      const key = copyNode(keyNode, map, anchors, depth + 1, budget);
      const value = pair.value === null ? null : copyNode(pair.value, map, anchors, depth + 1, budget);
      copy.items.push(new Pair(key, value));
    }
    const own = new Set(copy.items.map((pair) => keyOf(pair)));
    for (const pair of merged) {
      const key = keyOf(pair);
      if (key !== undefined && !own.has(key)) {
        own.add(key);
        copy.items.push(pair);
      }
    }
    return copy;
  }
  if (isSeq(node)) {
    const copy = new YAMLSeq();
    copy.range = placed;
    for (const item of node.items) copy.items.push(copyNode(item, map, anchors, depth + 1, budget));
    return copy;
  }
  if (isScalar(node)) {
    const copy = scalar(node.value, placed);
    if (node.type) copy.type = node.type;
    return copy;
  }
  return scalar(null, placed);
}

export function scalar(value: unknown, range: readonly [number, number, number] | Span): Scalar {
  const node = new Scalar(value);
  node.range = Array.isArray(range) ? [range[0], range[1], range[2]] : [(range as Span).start, (range as Span).end, (range as Span).end];
  return node;
}

/** A plain string scalar placed at `span`: a value a transformer writes (a namespace, an image). */
export function plainScalar(value: string, span: Span): Scalar {
  const node = scalar(value, span);
  node.type = Scalar.PLAIN;
  return node;
}

/**
 * The text of a string scalar as parsed, with an offset map back to the file: exact, line by
 * line, for a literal block (`|`, `|-`), the usual form of an inline patch; otherwise every
 * offset maps to the scalar's start.
 */
export function inlineText(node: Scalar, fileText: string, fileStart: number): { text: string; map: OffsetMap } | undefined {
  if (typeof node.value !== 'string') return undefined;
  const value = node.value;
  const [start, end] = node.range ?? [0, 0];
  const localStart = start - fileStart;
  const flat: OffsetMap = () => start;
  if (node.type !== Scalar.BLOCK_LITERAL) return { text: value, map: flat };
  const source = fileText.slice(localStart, end - fileStart);
  const header = source.indexOf('\n');
  if (header < 0) return { text: value, map: flat };
  const bodyLines = source.slice(header + 1).split('\n');
  const indent = Math.min(...bodyLines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  const lineStarts: number[] = [];
  const rebuilt: string[] = [];
  let offset = localStart + header + 1;
  for (const line of bodyLines) {
    const cut = Math.min(indent, line.length - line.trimStart().length);
    lineStarts.push(fileStart + offset + cut);
    rebuilt.push(line.slice(cut).replace(/\r$/, ''));
    offset += line.length + 1;
  }
  const text = rebuilt.join('\n');
  if (!text.startsWith(value.replace(/\n+$/, ''))) return { text: value, map: flat };
  const valueLineStarts: number[] = [0];
  for (let i = 0; i < value.length; i++) if (value[i] === '\n') valueLineStarts.push(i + 1);
  return {
    text: value,
    map: (at) => {
      let line = 0;
      while (line + 1 < valueLineStarts.length && (valueLineStarts[line + 1] ?? Infinity) <= at) line++;
      return (lineStarts[line] ?? start) + (at - (valueLineStarts[line] ?? 0));
    },
  };
}
