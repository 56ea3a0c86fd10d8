/** Small readers and writers of built nodes (sources.ts): plain data access with spans. */
import { isMap, isPair, isScalar, isSeq, Pair, Scalar as ScalarNode, YAMLMap, YAMLSeq } from 'yaml';
import type { Node, Scalar } from 'yaml';
import type { Span } from '../types';
import { scalarString, spanOf } from '../source/yaml-view';

/** A built YAML node: maps, sequences and scalars whose ranges are virtual-text offsets (sources.ts). */
export type BuiltNode = YAMLMap | YAMLSeq | Scalar;

export function keyOf(pair: Pair): string | undefined {
  return scalarString(pair.key as Node);
}

export function pairOf(map: YAMLMap | undefined, key: string): Pair | undefined {
  if (!map) return undefined;
  for (const pair of map.items) if (isPair(pair) && keyOf(pair) === key) return pair;
  return undefined;
}

export function valueOf(map: YAMLMap | undefined, key: string): BuiltNode | undefined {
  const value = pairOf(map, key)?.value;
  return isMap(value) || isSeq(value) || isScalar(value) ? value : undefined;
}

export function mapAt(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  const value = valueOf(map, key);
  return isMap(value) ? value : undefined;
}

export function seqAt(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const value = valueOf(map, key);
  return isSeq(value) ? value : undefined;
}

export function stringAt(map: YAMLMap | undefined, key: string): string | undefined {
  return scalarString(valueOf(map, key) as Node | undefined);
}

/** The span of a key's value, else of its key, else of the map. */
export function spanAt(map: YAMLMap, key: string): Span {
  const pair = pairOf(map, key);
  if (pair && pair.value) return spanOf(pair.value as Node);
  if (pair) return spanOf(pair.key as Node);
  return spanOf(map);
}

export function keySpan(pair: Pair): Span {
  return spanOf(pair.key as Node);
}

/** Sets (or adds) a key, keeping the pair's place when it is there. */
export function setValue(map: YAMLMap, key: Scalar, value: BuiltNode): void {
  const name = scalarString(key);
  const index = map.items.findIndex((pair) => isPair(pair) && keyOf(pair) === name);
  const pair = new Pair(key, value);
  if (index >= 0) map.items[index] = pair;
  else map.items.push(pair);
}

export function deleteKey(map: YAMLMap, key: string): void {
  const index = map.items.findIndex((pair) => isPair(pair) && keyOf(pair) === key);
  if (index >= 0) map.items.splice(index, 1);
}

/** A deep copy (built nodes are shared between builds and changed in place by transformers), moved by `shift`. */
export function cloneNode<N extends BuiltNode | null>(node: N, shift = 0): N {
  if (node === null) return node;
  const range = (from: BuiltNode): [number, number, number] | null => (from.range ? [from.range[0] + shift, from.range[1] + shift, from.range[2] + shift] : null);
  if (isMap(node)) {
    const copy = new YAMLMap();
    copy.range = range(node);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = shift === 0 ? pair.key : cloneNode(pair.key as BuiltNode, shift);
      copy.items.push(new Pair(key, cloneNode(pair.value as BuiltNode | null, shift)));
    }
    return copy as N;
  }
  if (isSeq(node)) {
    const copy = new YAMLSeq();
    copy.range = range(node);
    for (const item of node.items) copy.items.push(cloneNode(item as BuiltNode, shift));
    return copy as N;
  }
  // By hand: yaml's own clone() copies property descriptors, several times slower.
  const scalar = node as Scalar;
  const copy = new ScalarNode(scalar.value);
  if (scalar.type) copy.type = scalar.type;
  copy.range = range(node);
  return copy as N;
}

/** A built node as plain data (JSON-like), for comparisons, hashes and the differential test. */
export function toPlain(node: unknown): unknown {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = keyOf(pair);
      if (key !== undefined) out[key] = toPlain(pair.value);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item));
  if (isScalar(node)) return node.value ?? null;
  return null;
}
