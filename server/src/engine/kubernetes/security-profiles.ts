import type { YAMLMap } from 'yaml';
import { isNullValue, scalarString, type Field, type YamlView } from '../source/yaml-view';
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

/** The pod's annotations (the template's for a workload), where legacy seccomp and AppArmor settings live. */
/** A profile type written as `Unconfined`, and the container it is written on (none: the pod). */
export interface UnconfinedProfile {
  type: Field;
  container?: ContainerSite;
}

/**
 * Every explicit `<profile>.type: Unconfined`, pod level first, then each container's own, each
 * where it is written: PSS baseline rejects it at either level, even when every container
 * overrides the pod's value.
 */
export function unconfinedProfiles(pod: PodSpecSite, profile: 'seccompProfile' | 'appArmorProfile'): UnconfinedProfile[] {
  const { view } = pod.resource;
  const unconfinedType = (setting: SecuritySetting | undefined): Field | undefined => {
    const explicit = explicitSetting(setting);
    const type = explicit ? profileTypeField(view, explicit) : undefined;
    return type && !type.templated && scalarString(type.value) === 'Unconfined' ? type : undefined;
  };
  const found: UnconfinedProfile[] = [];
  const podType = unconfinedType(pod.security.get(profile));
  if (podType) found.push({ type: podType });
  for (const container of pod.containers) {
    const type = unconfinedType(container.security.own(profile));
    if (type) found.push({ type, container });
  }
  return found;
}

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
