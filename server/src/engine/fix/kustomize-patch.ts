/**
 * "Fix in overlay X": the change a fix makes to a base resource, written as a strategic merge
 * patch in the overlay's kustomization instead. The patch is the difference between the base
 * object before and after the fix (lists with a Kubernetes merge key as items named by that
 * key), appended to the overlay's `patches` as an inline patch, or under a new `patches:` key.
 */
import { isMap, isSeq, parseDocument, stringify } from 'yaml';
import type { OffsetEdit, Span } from '../types';
import { applyEdits } from './apply';
import { detectEol } from '../source/text';
import { splitYamlSections } from '../parse/yaml';
import { MERGE_KEYS } from '../kustomize/merge-keys';


const UNCHANGED = Symbol('unchanged');
type Plain = null | string | number | boolean | Plain[] | { [key: string]: Plain };

function isObject(value: unknown): value is { [key: string]: Plain } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The strategic merge patch that turns `before` into `after`. */
function diff(before: Plain | undefined, after: Plain, field: string | undefined): Plain | typeof UNCHANGED {
  if (isObject(before) && isObject(after)) {
    const patch: { [key: string]: Plain } = {};
    for (const [key, value] of Object.entries(after)) {
      const change = key in before ? diff(before[key], value, key) : value;
      if (change !== UNCHANGED) patch[key] = change;
    }
    for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
    return Object.keys(patch).length > 0 ? patch : UNCHANGED;
  }
  const mergeKey = field === undefined ? undefined : MERGE_KEYS[field];
  if (Array.isArray(before) && Array.isArray(after) && mergeKey !== undefined && [...before, ...after].every((item) => isObject(item) && mergeKey in item)) {
    const patch: Plain[] = [];
    const keyOf = (item: Plain): string => JSON.stringify((item as { [key: string]: Plain })[mergeKey]);
    for (const item of after) {
      const previous = before.find((candidate) => keyOf(candidate) === keyOf(item));
      if (!previous) {
        patch.push(item);
        continue;
      }
      const change = diff(previous, item, undefined);
      if (change !== UNCHANGED && isObject(change)) patch.push({ [mergeKey]: (item as { [key: string]: Plain })[mergeKey] ?? null, ...change });
    }
    for (const item of before) {
      if (!after.some((candidate) => keyOf(candidate) === keyOf(item))) patch.push({ [mergeKey]: (item as { [key: string]: Plain })[mergeKey] ?? null, $patch: 'delete' });
    }
    return patch.length > 0 ? patch : UNCHANGED;
  }
  return same(before, after) ? UNCHANGED : after;
}

/**
 * The patch document for a base fix: the object's identity and what the fix changes in it.
 * Undefined when the fix changes nothing this way can express (or the base does not parse).
 */
export function patchForBaseFix(baseText: string, edits: readonly OffsetEdit[], at: Span): string | undefined {
  const sections = splitYamlSections(baseText);
  const index = sections.findIndex((section) => at.start >= section.start && at.start <= section.start + section.text.length);
  if (index < 0 || edits.length === 0) return undefined;
  const afterSections = splitYamlSections(applyEdits(baseText, [...edits]));
  if (afterSections.length !== sections.length) return undefined;
  const before = plainOf(sections[index]?.text);
  const after = plainOf(afterSections[index]?.text);
  if (!isObject(before) || !isObject(after)) return undefined;
  const metadata = before.metadata;
  const name = isObject(metadata) ? metadata.name : undefined;
  if (typeof before.kind !== 'string' || typeof before.apiVersion !== 'string' || typeof name !== 'string') return undefined;
  const change = diff(before, after, undefined);
  if (change === UNCHANGED || !isObject(change)) return undefined;
  delete change.apiVersion;
  delete change.kind;
  const changedMetadata = isObject(change.metadata) ? change.metadata : {};
  delete change.metadata;
  const patch = { apiVersion: before.apiVersion, kind: before.kind, metadata: { ...changedMetadata, name }, ...change };
  return stringify(patch, { lineWidth: 0 }).trimEnd();
}

function plainOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const doc = parseDocument(text, { merge: true });
  return doc.errors.length > 0 ? undefined : (doc.toJS({ maxAliasCount: 100 }) as unknown);
}

/**
 * Edits that add `patch` to a kustomization's `patches` (as an inline `patch: |-`), in the
 * list's own indentation; undefined when `patches` is written in flow style or is not a list.
 */
export function addPatchEdits(kustomizationText: string, patch: string): OffsetEdit[] | undefined {
  const eol = detectEol(kustomizationText);
  const doc = parseDocument(kustomizationText);
  if (doc.errors.length > 0) return undefined;
  const root = doc.contents;
  if (root !== null && !isMap(root)) return undefined;
  const pair = root?.items.find((item) => isScalarKey(item.key, 'patches'));
  if (!pair || pair.value === null) {
    const block = ['patches:', '  - patch: |-', ...patch.split('\n').map((line) => (line === '' ? '' : `      ${line}`))].join(eol);
    if (pair) {
      // `patches:` with nothing after it: the list goes in its place.
      const [start] = (pair.key as { range?: [number, number, number] }).range ?? [0];
      const lineEnd = lineEndAt(kustomizationText, start);
      return [{ start, end: lineEnd, text: block }];
    }
    const end = kustomizationText.length;
    const needsBreak = end > 0 && !kustomizationText.endsWith('\n');
    return [{ start: end, end, text: `${needsBreak ? eol : ''}${block}${eol}` }];
  }
  const seq = pair.value;
  if (!isSeq(seq) || seq.flow || seq.items.length === 0) return undefined;
  const first = seq.items[0] as { range?: [number, number, number] } | undefined;
  const itemStart = first?.range?.[0] ?? 0;
  const lineStart = kustomizationText.lastIndexOf('\n', itemStart - 1) + 1;
  const dash = kustomizationText.slice(lineStart, itemStart).replace(/-\s*$/, '');
  if (/\S/.test(dash)) return undefined;
  const indent = dash;
  const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] } | undefined;
  const lastEnd = last?.range?.[2] ?? itemStart;
  // After the line the last item's content ends on.
  const contentEnd = kustomizationText.slice(0, lastEnd).trimEnd().length;
  const lineEnd = lineEndAt(kustomizationText, contentEnd);
  const insertAt = lineEnd < kustomizationText.length ? lineEnd + lineBreakLength(kustomizationText, lineEnd) : kustomizationText.length;
  const body = patch.split('\n').map((line) => (line === '' ? '' : `${indent}    ${line}`));
  const lines = [`${indent}- patch: |-`, ...body];
  const atEnd = insertAt >= kustomizationText.length && !kustomizationText.endsWith('\n');
  return [{ start: insertAt, end: insertAt, text: atEnd ? `${eol}${lines.join(eol)}${eol}` : `${lines.join(eol)}${eol}` }];
}

function isScalarKey(key: unknown, name: string): boolean {
  return typeof key === 'object' && key !== null && 'value' in key && (key as { value: unknown }).value === name;
}

function lineEndAt(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

function lineBreakLength(text: string, lineEnd: number): number {
  return text[lineEnd] === '\r' ? 2 : 1;
}
