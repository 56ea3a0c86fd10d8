import type { Span } from '../types';
import { scalarString, type Field, type YamlView } from '../source/yaml-view';
import { containsValueMask } from '../parse/helm-mask';
import type { KubeResource } from './walker';

/** One string of a policy rule's list, with where it is written. */
export interface PolicyItem {
  value: string;
  span: Span;
}

/** A `rules[]` entry of a Role or ClusterRole (rbac.authorization.k8s.io PolicyRule). */
export interface PolicyRule {
  apiGroups: PolicyItem[];
  resources: PolicyItem[];
  verbs: PolicyItem[];
  resourceNames: PolicyItem[];
}

const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

export const WILDCARD = '*';

/** The core API group (`""`), which holds pods, secrets, serviceaccounts, users and groups. */
export const CORE_GROUP = '';

export function isRbacResource(resource: KubeResource, kinds: readonly string[]): boolean {
  return kinds.includes(resource.kind) && resource.apiVersion.startsWith(`${RBAC_API_GROUP}/`);
}

/**
 * The policy rules of a Role or ClusterRole. An aggregated ClusterRole's `rules` are filled by
 * the controller, but any written in the file are granted as well, so they are read the same way.
 * Items produced by Helm actions are left out: what they grant is unknown.
 */
export function policyRules(resource: KubeResource): PolicyRule[] {
  if (!isRbacResource(resource, ['Role', 'ClusterRole'])) return [];
  const { view } = resource;
  return view.items(view.getSeq(resource.root, 'rules')).flatMap((item) => {
    const rule = view.asMap(item.node);
    if (!rule) return [];
    const list = (key: string): PolicyItem[] => policyItems(view, resource.text, view.field(rule, key));
    return [{ apiGroups: list('apiGroups'), resources: list('resources'), verbs: list('verbs'), resourceNames: list('resourceNames') }];
  });
}

/** A list reached through an alias (`verbs: *read`) puts its items where the alias is written. */
function policyItems(view: YamlView, text: string, list: Field | undefined): PolicyItem[] {
  if (!list || list.templated) return [];
  return view.items(view.asSeq(list.value)).flatMap((item) => {
    const value = scalarString(item.node);
    if (value === undefined || containsValueMask(text.slice(item.span.start, item.span.end))) return [];
    return [{ value, span: list.editable ? item.span : list.valueSpan }];
  });
}

export function hasItem(items: readonly PolicyItem[], ...values: string[]): boolean {
  return items.some((item) => values.includes(item.value));
}

/** `a`, `a and b`, `a, b and c`: several things a message names. */
export function inWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** The item written first: where a finding about several items of one rule entry lands. */
export function firstWritten(items: readonly PolicyItem[]): PolicyItem | undefined {
  return items.reduce<PolicyItem | undefined>((first, item) => (first === undefined || item.span.start < first.span.start ? item : first), undefined);
}

/** The rule applies to the API group (`*` matches every group). */
export function coversGroup(rule: PolicyRule, group: string): boolean {
  return hasItem(rule.apiGroups, group, WILDCARD);
}
