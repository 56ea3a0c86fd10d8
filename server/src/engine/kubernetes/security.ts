import type { YAMLMap } from 'yaml';
import type { Field, YamlView } from '../source/yaml-view';
import { hasOpaqueLines } from '../parse/helm-mask';

export type SecurityLevel = 'pod' | 'container';

/** Fields of a container's securityContext that the pod's securityContext supplies by default. */
export type InheritedSecurityField =
  | 'runAsUser'
  | 'runAsGroup'
  | 'runAsNonRoot'
  | 'seLinuxOptions'
  | 'seccompProfile'
  | 'appArmorProfile'
  | 'windowsOptions';

/** A securityContext field as written, and at which level. */
export interface SecuritySetting extends Field {
  level: SecurityLevel;
}

interface SecurityContextSite {
  /** The `securityContext` key, when present. */
  field?: Field;
  map?: YAMLMap;
  /**
   * The securityContext's content cannot be known: it is a Helm action, or a Helm action on a
   * line of its own may add keys to it. Rules about missing settings stay silent then.
   */
  unknown: boolean;
}

export interface PodSecurity extends SecurityContextSite {
  get(name: string): SecuritySetting | undefined;
}

export interface ContainerSecurity extends SecurityContextSite {
  /** The container's own setting; `effectiveSetting` (security-profiles.ts) adds the pod's. */
  own(name: string): SecuritySetting | undefined;
  /** The effective setting may come from content that a Helm action supplies. */
  effectiveUnknown: boolean;
}

function readSite(view: YamlView, owner: YAMLMap, text: string): SecurityContextSite {
  const field = view.field(owner, 'securityContext');
  const map = view.asMap(field?.value);
  // `templated` also covers `securityContext:` whose value an action on the next line writes.
  const templatedValue = field?.templated ?? false;
  const unknown = templatedValue || hasOpaqueLines(text, owner) || (map !== undefined && hasOpaqueLines(text, map));
  return { ...(field ? { field } : {}), ...(map ? { map } : {}), unknown };
}

/**
 * A setting of the site's map. Inside a securityContext that is an alias (`securityContext: *sc`)
 * it is reported where the alias is written, as merge keys are, and it is not editable there; in
 * an owner reached through an alias it is not editable either (the edit would change every user
 * of the anchor).
 */
function settingOf(view: YamlView, site: SecurityContextSite, ownerEditable: boolean, name: string, level: SecurityLevel): SecuritySetting | undefined {
  const field = view.field(site.map, name);
  if (!field) return undefined;
  const aliasSpan = site.field && !site.field.editable ? site.field.valueSpan : undefined;
  const located = aliasSpan ? { keySpan: aliasSpan, valueSpan: aliasSpan } : {};
  return { ...field, ...located, editable: field.editable && ownerEditable && aliasSpan === undefined, level };
}

export function resolvePodSecurity(view: YamlView, spec: YAMLMap, text: string, specEditable: boolean): PodSecurity {
  const site = readSite(view, spec, text);
  return { ...site, get: (name) => settingOf(view, site, specEditable, name, 'pod') };
}

export function resolveContainerSecurity(
  view: YamlView,
  container: YAMLMap,
  pod: PodSecurity,
  text: string,
  containerEditable: boolean,
): ContainerSecurity {
  const site = readSite(view, container, text);
  return {
    ...site,
    own: (name) => settingOf(view, site, containerEditable, name, 'container'),
    effectiveUnknown: site.unknown || pod.unknown,
  };
}
