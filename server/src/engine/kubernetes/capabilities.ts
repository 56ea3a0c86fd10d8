import { isNode, type YAMLMap } from 'yaml';
import type { Span } from '../types';
import { scalarString, spanOf, type Field } from '../source/yaml-view';
import { containsValueMask } from '../parse/helm-mask';
import type { ContainerSite } from './walker';

/**
 * Capabilities the PSS baseline profile lets a container add ("Capabilities" control): the
 * Docker/containerd default set. Pod Security Admission compares names exactly, so these are
 * the only spellings it accepts.
 */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** How a capability name is spelt, against the form Pod Security Admission compares with. */
export interface CapabilitySpelling {
  /** Upper case without the `CAP_` prefix: the name PSA and the PSS lists use. */
  canonical: string;
  hasCapPrefix: boolean;
  /** Written in lower or mixed case (the container runtime upper-cases it, PSA does not). */
  isNotUpperCase: boolean;
}

export function spellingOf(name: string): CapabilitySpelling {
  const upper = name.toUpperCase();
  const hasCapPrefix = upper.startsWith('CAP_');
  return { canonical: hasCapPrefix ? upper.slice(4) : upper, hasCapPrefix, isNotUpperCase: name !== upper };
}

/** One item of a `capabilities.add` or `.drop` list, as written. */
export interface CapabilityItem {
  name: string;
  span: Span;
  /** Index in the list's items, for `removeListItem`. */
  index: number;
}

/** A container's own `capabilities.add` or `.drop` list (capabilities are never set at pod level). */
export interface CapabilityList {
  /** The `add`/`drop` key, editable only when nothing on the way is reached through an alias. */
  field: Field;
  /** The `capabilities` map holding it (editable as `field` is), so that an emptied list can take its key along. */
  owner: { map: YAMLMap; editable: boolean };
  /** Literal string items; templated and non-string items are left out. */
  items: CapabilityItem[];
  /** Some item (or the whole list) is produced by a Helm action: what the list holds is unknown. */
  hasTemplatedContent: boolean;
  /**
   * Set when the list is reached through an alias or merge key: where that is written. Findings
   * land there (the items' spans are set to it too), as the walker does for container names.
   */
  aliasSpan?: Span;
}

export function capabilityList(container: ContainerSite, key: 'add' | 'drop'): CapabilityList | undefined {
  const { view, text } = container.pod.resource;
  const capabilities = container.security.own('capabilities');
  const capabilitiesMap = view.asMap(capabilities?.value);
  const found = view.field(capabilitiesMap, key);
  if (!capabilities || !capabilitiesMap || !found) return undefined;
  const field: Field = { ...found, editable: found.editable && capabilities.editable };
  const aliasSpan = firstAliasSpan(container, capabilities, found);
  const seq = view.asSeq(found.value);
  const items: CapabilityItem[] = [];
  let hasTemplatedContent = found.templated || capabilities.templated;
  (seq?.items ?? []).forEach((raw: unknown, index) => {
    if (!isNode(raw)) return;
    const span = spanOf(raw);
    if (containsValueMask(text.slice(span.start, span.end))) {
      hasTemplatedContent = true;
      return;
    }
    const name = scalarString(view.resolve(raw));
    if (name !== undefined && name !== '') items.push({ name, span: aliasSpan ?? span, index });
  });
  return { field, owner: { map: capabilitiesMap, editable: capabilities.editable }, items, hasTemplatedContent, ...(aliasSpan ? { aliasSpan } : {}) };
}

/** Where the first alias on the way from the container to the list is written, if any. */
function firstAliasSpan(container: ContainerSite, capabilities: Field, list: Field): Span | undefined {
  if (!container.editable) return container.nameSpan;
  if (!capabilities.editable) return capabilities.valueSpan;
  if (!list.editable) return list.valueSpan;
  return undefined;
}
