import { isCollection, isPair, type YAMLMap } from 'yaml';
import type { Span } from '../types';
import { spanOf } from '../source/yaml-view';

/**
 * Characters that stand in for Helm template actions once a template is masked (one UTF-16 unit
 * each, so masking keeps every offset). Private-use code points never occur in real manifests.
 */

/** Replaces an action that stands where a value is written: `image: {{ .Values.image }}`. */
export const VALUE_MASK = '\uE000';

/** Fills a comment that replaces an action standing on a line of its own (`{{- include … }}`). */
export const LINE_MASK = '\uE001';

export function containsValueMask(text: string): boolean {
  return text.includes(VALUE_MASK);
}

export function containsLineMask(text: string): boolean {
  return text.includes(LINE_MASK);
}

/**
 * True when a Helm action on a line of its own may add keys to this map: a masked line inside
 * the map's own text, not inside one of its nested collections.
 */
export function hasOpaqueLines(text: string, map: YAMLMap): boolean {
  const { start, end } = spanOf(map);
  if (!containsLineMask(text.slice(start, end))) return false;
  let cursor = start;
  for (const pair of map.items) {
    const value: unknown = isPair(pair) ? pair.value : undefined;
    if (!isCollection(value) || value.flow) continue;
    const inner = spanOf(value);
    if (containsLineMask(text.slice(cursor, inner.start))) return true;
    cursor = Math.max(cursor, inner.end);
  }
  return containsLineMask(text.slice(cursor, end));
}

/** True when a scalar is, or contains, a Helm action: its real value is unknown. */
export function isTemplated(text: string, span: Span): boolean {
  return containsValueMask(text.slice(span.start, span.end));
}
