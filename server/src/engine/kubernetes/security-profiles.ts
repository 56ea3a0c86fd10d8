import type { YAMLMap } from 'yaml';
import { booleanOf, isNullValue, scalarString, type Field, type YamlView } from '../source/yaml-view';
import { hasOpaqueLines } from '../parse/helm-mask';
import type { ContainerSite, PodSpecSite } from './walker';
import type { InheritedSecurityField, SecuritySetting } from './security';

/**
 * A container's setting in force, as the kubelet resolves it: the container's own value, else
 * the pod's. A key written with no value (`runAsNonRoot:` or `~`) is unset, so the pod's value
 * still applies (the API drops nulls before the kubelet merges the two levels).
 */
export function effectiveSetting(container: ContainerSite, name: InheritedSecurityField): SecuritySetting | undefined {
  const own = container.security.own(name);
  if (own && !isNullValue(own.value)) return own;
  const pod = container.pod.security.get(name);
  return pod && !isNullValue(pod.value) ? pod : undefined;
}

/** A setting as written at one level, or undefined when it is absent or null. */
export function explicitSetting(setting: SecuritySetting | undefined): SecuritySetting | undefined {
  return setting && !isNullValue(setting.value) ? setting : undefined;
}

/**
 * A key inside a setting's map (`seccompProfile.type`, `seLinuxOptions.user`), or undefined when
 * absent or null. Reached through an alias or merge key, it is placed where the alias is written
 * and is not editable, like any other field behind an anchor.
 */
export function nestedField(view: YamlView, setting: SecuritySetting, key: string): Field | undefined {
  const field = view.field(view.asMap(setting.value), key);
  if (!field || isNullValue(field.value)) return undefined;
  return setting.editable ? field : { ...field, keySpan: setting.valueSpan, valueSpan: setting.valueSpan, editable: false };
}

/** The `type` of a seccompProfile or appArmorProfile setting. */
export function profileTypeField(view: YamlView, setting: SecuritySetting): Field | undefined {
  return nestedField(view, setting, 'type');
}

/** A setting written at one level: the pod's (no container) or a container's own. */
export interface WrittenSetting {
  setting: SecuritySetting;
  container?: ContainerSite;
}

/**
 * Every explicit `name` setting, pod level first, then each container's own, each where it is
 * written: Pod Security Admission judges both levels, even when every container overrides the
 * pod's value.
 */
export function writtenSettings(pod: PodSpecSite, name: string): WrittenSetting[] {
  const written: WrittenSetting[] = [];
  const podSetting = explicitSetting(pod.security.get(name));
  if (podSetting) written.push({ setting: podSetting });
  for (const container of pod.containers) {
    const own = explicitSetting(container.security.own(name));
    if (own) written.push({ setting: own, container });
  }
  return written;
}

/** A profile type as written (a literal string), and the container it is written on (none: the pod). */
export interface WrittenProfileType {
  type: Field;
  value: string;
  container?: ContainerSite;
}

/** Every explicit, literal `<profile>.type`, where it is written (see `writtenSettings`). */
function writtenProfileTypes(pod: PodSpecSite, profile: 'seccompProfile' | 'appArmorProfile'): WrittenProfileType[] {
  const { view } = pod.resource;
  const types: WrittenProfileType[] = [];
  for (const { setting, container } of writtenSettings(pod, profile)) {
    const type = profileTypeField(view, setting);
    const value = type && !type.templated ? scalarString(type.value) : undefined;
    if (type && value !== undefined) types.push({ type, value, ...(container ? { container } : {}) });
  }
  return types;
}

/**
 * The profile types the API accepts for `seccompProfile` and `appArmorProfile`. Pod Security
 * Admission compares them exactly; any other value (`runtime/default`, `LocalPort`) names no profile.
 */
const KNOWN_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost', 'Unconfined']);

/** Every explicit `<profile>.type` naming no profile the API knows, where it is written. */
export function unknownProfileTypes(pod: PodSpecSite, profile: 'seccompProfile' | 'appArmorProfile'): WrittenProfileType[] {
  return writtenProfileTypes(pod, profile).filter((written) => !KNOWN_PROFILE_TYPES.has(written.value));
}

/** Every explicit `<profile>.type: Unconfined`, where it is written: PSS baseline rejects it at either level. */
export function unconfinedProfiles(pod: PodSpecSite, profile: 'seccompProfile' | 'appArmorProfile'): WrittenProfileType[] {
  return writtenProfileTypes(pod, profile).filter((written) => written.value === 'Unconfined');
}

/** The pod's annotations (the template's for a workload), where legacy seccomp and AppArmor settings live. */
export interface PodAnnotations {
  map?: YAMLMap;
  editable: boolean;
  /** A Helm action may add annotations: rules about a missing annotation stay silent. */
  unknown: boolean;
  get(key: string): Field | undefined;
  /** The annotation's value as a string, or undefined when absent, null or templated. */
  value(key: string): string | undefined;
}

export function podAnnotations(pod: PodSpecSite): PodAnnotations {
  const { view, text } = pod.resource;
  const field = view.field(pod.podMetadata, 'annotations');
  const map = view.asMap(field?.value);
  const unknown =
    (field?.templated ?? false) || (pod.podMetadata !== undefined && hasOpaqueLines(text, pod.podMetadata)) || (map !== undefined && hasOpaqueLines(text, map));
  const get = (key: string): Field | undefined => view.field(map, key);
  return {
    ...(map ? { map } : {}),
    editable: pod.editable && (field?.editable ?? false),
    unknown,
    get,
    value: (key) => {
      const annotation = get(key);
      return annotation && !annotation.templated ? scalarString(annotation.value) : undefined;
    },
  };
}

/** Legacy seccomp annotations (before the v1.19 field); current Kubernetes ignores them. */
export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** The AppArmor annotation (before the v1.30 field), which Kubernetes still honours. */
export const APPARMOR_CONTAINER_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** What a container's own boolean securityContext field says against the value it must have. */
export type RequiredBoolean =
  /** It holds the required value, or its value is unknown (a Helm action): nothing to report. */
  | { state: 'satisfied' }
  /** Absent (or `key:` with nothing): reported on the container's name. */
  | { state: 'missing' }
  /** Written with another value: reported where written. `value` is undefined for a non-boolean. */
  | { state: 'wrong'; setting: SecuritySetting; value: boolean | undefined; written: string };

/**
 * Reads a container-only boolean field (`allowPrivilegeEscalation`, `readOnlyRootFilesystem`)
 * once for the rules that require a value: missing stays silent when Helm may supply the
 * securityContext, and a quoted "false" is a string, not a boolean, as the API reads it.
 */
export function requiredContainerBoolean(container: ContainerSite, field: string, required: boolean): RequiredBoolean {
  const setting = container.security.own(field);
  if (setting?.templated) return { state: 'satisfied' };
  if (setting === undefined || isNullValue(setting.value)) return container.security.unknown ? { state: 'satisfied' } : { state: 'missing' };
  const value = booleanOf(setting.value);
  if (value === required) return { state: 'satisfied' };
  const written = scalarString(setting.value);
  return { state: 'wrong', setting, value, written: written === undefined ? 'a collection' : JSON.stringify(written) };
}
