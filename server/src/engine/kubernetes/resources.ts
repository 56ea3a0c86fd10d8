import { isScalar, type YAMLMap } from 'yaml';
import { hasOpaqueLines } from '../parse/helm-mask';
import { isNullValue, scalarString, type Field } from '../source/yaml-view';
import { parseQuantity } from './quantity';
import type { ContainerSite, PodSpecSite } from './walker';

export type ResourceName = 'cpu' | 'memory';

export const RESOURCE_NAMES: readonly ResourceName[] = ['cpu', 'memory'];

export type ResourceSection = 'limits' | 'requests';

/**
 * One `resources.<section>.<name>` value. `absent`: not written (or null); `zero`: written as
 * an empty value or a zero quantity, which reserves or bounds nothing; `unknown`: produced by a
 * Helm action; `set`: anything else (`quantity` is undefined when it does not parse).
 */
export type ResourceAmount =
  | { state: 'absent' }
  | { state: 'zero'; field: Field }
  | { state: 'unknown' }
  | { state: 'set'; field: Field; quantity: number | undefined; written: string | number };

/**
 * Reads `resources.<section>.<name>` of a container, or of a PodSpec (pod-level resources,
 * which bound and reserve for all containers together).
 */
export function readResourceAmount(owner: ContainerSite | PodSpecSite, section: ResourceSection, name: ResourceName): ResourceAmount {
  const { view, text } = 'spec' in owner ? owner.resource : owner.pod.resource;
  const ownerMap = 'spec' in owner ? owner.spec : owner.map;
  const resources = view.field(ownerMap, 'resources');
  if (resources?.templated) return { state: 'unknown' };
  const sectionField = view.field(view.asMap(resources?.value), section);
  if (sectionField?.templated) return { state: 'unknown' };
  const sectionMap = view.asMap(sectionField?.value);
  const field = view.field(sectionMap, name);
  if (field?.templated) return { state: 'unknown' };
  if (!field || isNullValue(field.value)) {
    return mayHoldHelmContent(text, [ownerMap, view.asMap(resources?.value), sectionMap]) ? { state: 'unknown' } : { state: 'absent' };
  }
  const written = writtenValue(field);
  if (written === undefined || written === '') return { state: 'zero', field };
  const quantity = parseQuantity(String(written));
  if (quantity === 0) return { state: 'zero', field };
  return { state: 'set', field, quantity, written };
}

/** A Helm action on a line of its own inside one of these maps may add the missing key. */
function mayHoldHelmContent(text: string, maps: ReadonlyArray<YAMLMap | undefined>): boolean {
  return maps.some((map) => map !== undefined && hasOpaqueLines(text, map));
}

/** The value as the fix should copy it: numbers stay numbers, so `cpu: 2` is not quoted. */
function writtenValue(field: Field): string | number | undefined {
  if (isScalar(field.value) && typeof field.value.value === 'number') return field.value.value;
  return scalarString(field.value);
}

/**
 * Whether the PodSpec's own `resources.<section>.<name>` (pod-level resources, Kubernetes 1.32+)
 * is set: it bounds or reserves for all containers together. A Helm action elsewhere in the pod
 * spec does not count, or any templated chart would silence the container rules.
 */
export function podLevelCovers(pod: PodSpecSite, section: ResourceSection, name: ResourceName): boolean {
  return readResourceAmount(pod, section, name).state === 'set';
}

/** `cpu`, `memory`, or `cpu and memory`, for messages. */
export function describeResources(names: readonly ResourceName[]): string {
  return names.join(' and ');
}
