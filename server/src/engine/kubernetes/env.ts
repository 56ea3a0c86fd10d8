import type { YAMLMap } from 'yaml';
import type { Span } from '../types';
import { scalarString, type Field, type YamlView } from '../source/yaml-view';
import { isCredentialValue } from '../secrets/credential-names';
import type { ContainerSite } from './walker';

/** An item of a container's `env` or `envFrom` list. */
export interface EnvItem {
  map: YAMLMap;
  editable: boolean;
  /**
   * Where the item is written when it is reached through an alias (`env: *shared` or `- *entry`):
   * findings land there, not in the anchored text that other containers share.
   */
  aliasSpan?: Span;
}

/** The map items of the container's `env` (or `envFrom`) list. */
export function envItems(container: ContainerSite, listKey: 'env' | 'envFrom'): EnvItem[] {
  const { view } = container.pod.resource;
  const list = view.field(container.map, listKey);
  if (!list) return [];
  const listEditable = container.editable && list.editable;
  return view.items(view.asSeq(list.value), listEditable).flatMap((item) => {
    const map = view.asMap(item.node);
    if (!map) return [];
    const aliasSpan = !container.editable ? container.nameSpan : !list.editable ? list.valueSpan : item.editable ? undefined : item.span;
    return [{ map, editable: item.editable, ...(aliasSpan ? { aliasSpan } : {}) }];
  });
}

/** An env entry that writes a credential in clear: secret-in-env's finding. */
export interface LiteralCredentialEnv {
  name: string;
  valueField: Field;
}

/**
 * The entry's name says it holds a credential and its value is written literally (RULES.md,
 * secret-in-env). A name or value a Helm action produces is not literal.
 */
export function literalCredentialEnv(view: YamlView, entry: EnvItem): LiteralCredentialEnv | undefined {
  const nameField = view.field(entry.map, 'name');
  const valueField = view.field(entry.map, 'value');
  const name = scalarString(nameField?.value);
  if (!nameField || !valueField || name === undefined || nameField.templated || valueField.templated) return undefined;
  const value = scalarString(valueField.value);
  return value !== undefined && isCredentialValue(name, value) ? { name, valueField } : undefined;
}
