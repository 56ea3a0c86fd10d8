/**
 * JSON patches (RFC 6902) on built nodes: add, remove, replace, move, copy and test, with JSON
 * pointers (RFC 6901). A value an operation writes keeps the operation's range.
 */
import { isMap, isPair, isScalar, isSeq, Pair, YAMLMap } from 'yaml';
import type { YAMLSeq } from 'yaml';
import { scalarString } from '../source/yaml-view';
import { cloneNode, pairOf, toPlain } from './nodes';
import { keyOf, plainScalar, type BuiltNode } from './sources';

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: BuiltNode | null;
  /** The operation's `path` value: where a key it adds is placed. */
  pathNode: BuiltNode;
}

/** The operations of a patch document, or why it is not one. */
export function readOperations(document: BuiltNode): JsonPatchOperation[] | string {
  if (!isSeq(document)) return 'a JSON patch must be a list of operations';
  const operations: JsonPatchOperation[] = [];
  for (const item of document.items) {
    if (!isMap(item)) return 'each JSON patch operation must be a mapping';
    const op = scalarString(pairOf(item, 'op')?.value as BuiltNode | undefined);
    const pathPair = pairOf(item, 'path');
    const path = scalarString(pathPair?.value as BuiltNode | undefined);
    if (op === undefined || path === undefined || !pathPair) return 'a JSON patch operation needs `op` and `path`';
    const from = scalarString(pairOf(item, 'from')?.value as BuiltNode | undefined);
    const valuePair = pairOf(item, 'value');
    operations.push({
      op,
      path,
      pathNode: pathPair.value as BuiltNode,
      ...(from !== undefined ? { from } : {}),
      ...(valuePair ? { value: (valuePair.value as BuiltNode | null) ?? null } : {}),
    });
  }
  return operations;
}

/** Applies the operations to `root` in place; returns why one failed, or undefined. */
export function applyOperations(root: YAMLMap, operations: readonly JsonPatchOperation[]): string | undefined {
  for (const operation of operations) {
    const failure = applyOperation(root, operation);
    if (failure !== undefined) return `${operation.op} ${operation.path}: ${failure}`;
  }
  return undefined;
}

function pointer(path: string): string[] | undefined {
  if (path === '') return [];
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Location {
  parent: YAMLMap | YAMLSeq;
  token: string;
}

function locate(root: YAMLMap, path: string): Location | string {
  const tokens = pointer(path);
  if (!tokens || tokens.length === 0) return 'the path must point inside the resource';
  let node: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    node = child(node, token);
    if (node === undefined) return 'the path does not exist';
  }
  if (!isMap(node) && !isSeq(node)) return 'the path does not exist';
  return { parent: node, token: tokens[tokens.length - 1] ?? '' };
}

function child(node: unknown, token: string): unknown {
  if (isMap(node)) return node.items.find((pair) => isPair(pair) && keyOf(pair) === token)?.value ?? undefined;
  if (isSeq(node)) {
    if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
    return node.items[Number(token)];
  }
  return undefined;
}

function read(location: Location): BuiltNode | null | undefined {
  return child(location.parent, location.token) as BuiltNode | null | undefined;
}

function applyOperation(root: YAMLMap, operation: JsonPatchOperation): string | undefined {
  const target = locate(root, operation.path);
  if (typeof target === 'string') return target;
  switch (operation.op) {
    case 'add':
      if (operation.value === undefined) return 'no value';
      return insert(target, cloneNode(operation.value), operation.pathNode, false);
    case 'replace':
      if (operation.value === undefined) return 'no value';
      if (read(target) === undefined) return 'the path does not exist';
      return insert(target, cloneNode(operation.value), operation.pathNode, true);
    case 'remove':
      return remove(target);
    case 'move':
    case 'copy': {
      if (operation.from === undefined) return 'no from';
      const source = locate(root, operation.from);
      if (typeof source === 'string') return source;
      const value = read(source);
      if (value === undefined) return 'the from path does not exist';
      if (operation.op === 'move') {
        const failure = remove(source);
        if (failure !== undefined) return failure;
      }
      return insert(target, cloneNode(value), operation.pathNode, false);
    }
    case 'test': {
      const value = read(target);
      const expected = operation.value === undefined ? undefined : toPlain(operation.value);
      return value !== undefined && JSON.stringify(toPlain(value)) === JSON.stringify(expected) ? undefined : 'the test failed';
    }
    default:
      return `unknown operation "${operation.op}"`;
  }
}

function insert(location: Location, value: BuiltNode | null, pathNode: BuiltNode, replace: boolean): string | undefined {
  const { parent, token } = location;
  if (isMap(parent)) {
    const index = parent.items.findIndex((pair) => isPair(pair) && keyOf(pair) === token);
    // The key a patch adds is placed at the operation's `path`: a finding about it points there.
    const key = index >= 0 ? (parent.items[index] as Pair).key : plainScalar(token, { start: pathNode.range?.[0] ?? 0, end: pathNode.range?.[1] ?? 0 });
    const pair = new Pair(key, value ?? plainScalar('', { start: 0, end: 0 }));
    if (value === null || (isScalar(value) && value.value === null)) pair.value = null;
    if (index >= 0) parent.items[index] = pair;
    else parent.items.push(pair);
    return undefined;
  }
  const items = parent.items;
  const index = token === '-' ? items.length : /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
  if (index < 0 || index > items.length || (replace && index >= items.length)) return 'the index is out of range';
  items.splice(index, replace ? 1 : 0, value);
  return undefined;
}

function remove(location: Location): string | undefined {
  const { parent, token } = location;
  if (isMap(parent)) {
    const index = parent.items.findIndex((pair) => isPair(pair) && keyOf(pair) === token);
    if (index < 0) return 'the path does not exist';
    parent.items.splice(index, 1);
    return undefined;
  }
  const index = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : -1;
  if (index < 0 || index >= parent.items.length) return 'the index is out of range';
  parent.items.splice(index, 1);
  return undefined;
}
