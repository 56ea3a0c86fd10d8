/**
 * Strategic merge patches as kustomize applies them: maps merge key by key, `null` deletes a
 * key, lists of built-in kinds merge their items by the Kubernetes merge key (containers,
 * volumes, env by `name`, ports by `containerPort`, ...) and every other list is replaced;
 * `$patch: delete` / `replace` and `$deleteFromPrimitiveList` directives. Values a patch brings
 * keep the patch's ranges: a finding about them points at the patch.
 */
import { isMap, isPair, isScalar, isSeq, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { scalarString } from '../source/yaml-view';
import { cloneNode, toPlain } from './nodes';
import { keyOf, type BuiltNode } from './sources';
import { MERGE_KEYS } from './merge-keys';


/** What merging decided about a node: keep this value, or delete it where it is. */
export const DELETED = Symbol('deleted');
export type MergeResult = BuiltNode | typeof DELETED;

export interface MergeContext {
  /** Built-in kinds merge lists by merge key; custom resources have no schema here, and lists are replaced. */
  builtIn: boolean;
  /** The resource kind, for lists whose merge key depends on it (a Service's ports merge by `port`). */
  kind: string;
}

/** Merges `patch` into a copy of `target`; the result may be DELETED (`$patch: delete`). */
export function mergePatch(target: YAMLMap, patch: YAMLMap, context: MergeContext): MergeResult {
  return mergeMaps(target, patch, context, undefined);
}

function directive(map: YAMLMap): string | undefined {
  for (const pair of map.items) if (isPair(pair) && keyOf(pair) === '$patch') return scalarString(pair.value as Node);
  return undefined;
}

function mergeMaps(target: YAMLMap, patch: YAMLMap, context: MergeContext, field: string | undefined): MergeResult {
  const action = directive(patch);
  if (action === 'delete') return DELETED;
  if (action === 'replace') return withoutDirectives(patch);
  const result = new YAMLMap();
  result.range = target.range ? [...target.range] : null;
  for (const pair of target.items) if (isPair(pair)) result.items.push(new Pair(pair.key, pair.value));
  for (const pair of patch.items) {
    if (!isPair(pair)) continue;
    const key = keyOf(pair);
    if (key === undefined) continue;
    if (key.startsWith('$')) {
      const list = /^\$deleteFromPrimitiveList\/(.+)$/.exec(key)?.[1];
      if (list !== undefined) deleteFromPrimitiveList(result, list, pair.value);
      continue;
    }
    const index = result.items.findIndex((existing) => isPair(existing) && keyOf(existing) === key);
    const existing = index >= 0 ? (result.items[index] as Pair) : undefined;
    const value = pair.value as BuiltNode | null;
    if (value === null || (isScalar(value) && value.value === null)) {
      if (index >= 0) result.items.splice(index, 1);
      continue;
    }
    const current = existing?.value as BuiltNode | null | undefined;
    // A value the patch repeats (a merge key, an unchanged setting) still comes from the target.
    if (isScalar(current) && isScalar(value) && current.value === value.value) continue;
    let merged: MergeResult;
    if (isMap(current) && isMap(value)) merged = mergeMaps(current, value, context, key);
    else if (isSeq(current) && isSeq(value)) merged = mergeLists(current, value, context, key, field);
    else merged = isMap(value) ? withoutDirectives(value) : isSeq(value) ? listWithoutDirectives(value) : cloneNode(value);
    if (merged === DELETED) {
      if (index >= 0) result.items.splice(index, 1);
      continue;
    }
    // A value the patch replaces is reported at the patch's key; a merged map keeps the target's.
    const keyNode = isMap(current) && isMap(value) ? existing?.key : pair.key;
    if (existing && index >= 0) result.items[index] = new Pair(keyNode, merged);
    else result.items.push(new Pair(pair.key, merged));
  }
  return result;
}

function mergeKeyOf(key: string, parentField: string | undefined, context: MergeContext): string | undefined {
  if (!context.builtIn) return undefined;
  // A Service's ports merge by `port`; a container's by `containerPort`.
  if (key === 'ports' && context.kind === 'Service' && parentField === 'spec') return 'port';
  return MERGE_KEYS[key];
}

function mergeLists(target: YAMLSeq, patch: YAMLSeq, context: MergeContext, key: string, parentField: string | undefined): MergeResult {
  const mergeKey = mergeKeyOf(key, parentField, context);
  const patchItems = patch.items as BuiltNode[];
  if (patchItems.some((item) => isMap(item) && directive(item) === 'replace')) {
    return listWithoutDirectives(patch, true);
  }
  if (mergeKey === undefined || !patchItems.every((item) => isMap(item))) return listWithoutDirectives(patch);
  const result = new YAMLSeq();
  result.range = target.range ? [...target.range] : null;
  result.items = [...(target.items as BuiltNode[])];
  // kustomize merges with MergeOptionsListPrepend: items only the patch has come first, in its order.
  const added: BuiltNode[] = [];
  for (const item of patchItems as YAMLMap[]) {
    const wanted = plainKey(item, mergeKey);
    const index = wanted === undefined ? -1 : result.items.findIndex((candidate) => isMap(candidate) && plainKey(candidate, mergeKey) === wanted);
    if (directive(item) === 'delete') {
      if (index >= 0) result.items.splice(index, 1);
      continue;
    }
    if (index < 0) {
      added.push(withoutDirectives(item));
      continue;
    }
    const merged = mergeMaps(result.items[index] as YAMLMap, item, context, key);
    if (merged === DELETED) result.items.splice(index, 1);
    else result.items[index] = merged;
  }
  result.items.unshift(...added);
  return result;
}

function plainKey(map: YAMLMap, key: string): string | undefined {
  for (const pair of map.items) if (isPair(pair) && keyOf(pair) === key) return JSON.stringify(toPlain(pair.value));
  return undefined;
}

function deleteFromPrimitiveList(map: YAMLMap, key: string, values: unknown): void {
  const index = map.items.findIndex((pair) => isPair(pair) && keyOf(pair) === key);
  const pair = map.items[index];
  if (!pair || !isSeq(pair.value) || !isSeq(values)) return;
  const drop = new Set(values.items.map((item) => JSON.stringify(toPlain(item))));
  const kept = new YAMLSeq();
  kept.range = pair.value.range ? [...pair.value.range] : null;
  kept.items = pair.value.items.filter((item) => !drop.has(JSON.stringify(toPlain(item))));
  map.items[index] = new Pair(pair.key, kept);
}

/** A copy of a patch's map without `$` directives, at any depth. */
function withoutDirectives(map: YAMLMap): YAMLMap {
  const copy = new YAMLMap();
  copy.range = map.range ? [...map.range] : null;
  for (const pair of map.items) {
    if (!isPair(pair)) continue;
    const key = keyOf(pair);
    if (key === undefined || key.startsWith('$')) continue;
    const value = pair.value as BuiltNode | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    copy.items.push(new Pair(pair.key, isMap(value) ? withoutDirectives(value) : isSeq(value) ? listWithoutDirectives(value) : cloneNode(value)));
  }
  return copy;
}

function listWithoutDirectives(seq: YAMLSeq, dropMarkers = false): YAMLSeq {
  const copy = new YAMLSeq();
  copy.range = seq.range ? [...seq.range] : null;
  for (const item of seq.items as BuiltNode[]) {
    if (isMap(item)) {
      const action = directive(item);
      if (action === 'delete' || (dropMarkers && action === 'replace' && item.items.length === 1)) continue;
      copy.items.push(withoutDirectives(item));
    } else copy.items.push(cloneNode(item));
  }
  return copy;
}
