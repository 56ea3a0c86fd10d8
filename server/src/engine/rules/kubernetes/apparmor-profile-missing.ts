import { definePodRule } from '../define';
import { scalarString } from '../../source/yaml-view';
import {
  APPARMOR_CONTAINER_ANNOTATION_PREFIX,
  effectiveSetting,
  explicitSetting,
  podAnnotations,
  profileTypeField,
  unknownProfileTypes,
} from '../../kubernetes/security-profiles';

/**
 * Whether the API accepts an AppArmor annotation value: `runtime/default`, `unconfined` (that one
 * is apparmor-unconfined's finding) or `localhost/<profile>`, as Pod Security Admission reads it.
 */
function isKnownAnnotationProfile(value: string): boolean {
  return value === 'runtime/default' || value === 'unconfined' || (value.startsWith('localhost/') && value.length > 'localhost/'.length);
}

export default definePodRule({
  meta: {
    id: 'apparmor-profile-missing',
    title: 'Containers should name an AppArmor profile',
    description:
      'Without an AppArmor profile in the manifest, whether a container is confined depends on the node: the runtime default applies only where AppArmor is enabled and the runtime chooses it. Naming RuntimeDefault makes the confinement explicit and lets admission checks see it.',
    severity: 'info',
    profile: 'strict',
    pssControl: 'AppArmor',
    fix: 'Add appArmorProfile.type: RuntimeDefault to the pod',
    messages: {
      unset: 'Container "{name}" names no AppArmor profile; set appArmorProfile.type: RuntimeDefault (or Localhost).',
      unknownTypeContainer: 'Container "{name}" sets appArmorProfile.type: {type}, which is not an AppArmor profile type; set RuntimeDefault (or Localhost).',
      unknownTypePod: 'The pod sets appArmorProfile.type: {type}, which is not an AppArmor profile type; set RuntimeDefault (or Localhost).',
      unknownAnnotation:
        'The annotation {annotation}: {value} names no AppArmor profile (runtime/default or localhost/<profile>); set appArmorProfile.type: RuntimeDefault (or Localhost) instead.',
    },
  },
  check(pod, { report }) {
    // Windows has no AppArmor: RULES.md exempts Windows pods, as the restricted profile does for Linux-only controls.
    if (pod.isWindows) return;
    const { view } = pod.resource;
    const annotations = podAnnotations(pod);
    // A profile written with a value the API does not know confines nothing: reported where it is
    // written, field or annotation, without a fix (which profile was meant is the author's call).
    for (const { type, value, container } of unknownProfileTypes(pod, 'appArmorProfile')) {
      report({
        messageId: container ? 'unknownTypeContainer' : 'unknownTypePod',
        data: { type: JSON.stringify(value), ...(container ? { name: container.name } : {}) },
        at: type.valueSpan,
        ...(container ? { containerKey: container.key } : {}),
      });
    }
    for (const annotation of view.fields(annotations.map)) {
      if (!annotation.key.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX) || annotation.templated) continue;
      const value = scalarString(annotation.value);
      if (value === undefined || value === '' || isKnownAnnotationProfile(value)) continue;
      const container = pod.containers.find((c) => c.name === annotation.key.slice(APPARMOR_CONTAINER_ANNOTATION_PREFIX.length));
      report({
        messageId: 'unknownAnnotation',
        data: { annotation: annotation.key, value },
        at: annotation.valueSpan,
        ...(container ? { containerKey: container.key } : {}),
      });
    }
    // The API rejects a pod whose AppArmor annotation and field disagree for a container, so a
    // pod-level RuntimeDefault is only added when no annotation names another profile.
    const podFixConflicts = pod.containers.some((c) => {
      const annotated = annotations.value(APPARMOR_CONTAINER_ANNOTATION_PREFIX + c.name);
      return annotated !== undefined && annotated !== 'runtime/default';
    });
    for (const container of pod.containers) {
      if (container.security.effectiveUnknown) continue;
      const setting = effectiveSetting(container, 'appArmorProfile');
      if (setting?.templated) continue;
      // Any written type is in force here: Unconfined is apparmor-unconfined's finding, another
      // unknown type was reported above, where it is written.
      if (setting && profileTypeField(view, setting)) continue;
      // The annotation still counts until the field replaces it (RULES.md, legacy annotations).
      const annotationKey = APPARMOR_CONTAINER_ANNOTATION_PREFIX + container.name;
      if (annotations.unknown || annotations.get(annotationKey)?.templated || annotations.value(annotationKey)) continue;
      const ownProfile = explicitSetting(container.security.own('appArmorProfile'));
      report({
        messageId: 'unset',
        data: { name: container.name },
        at: container.nameSpan,
        containerKey: container.key,
        fix: {
          apply: (edit) => {
            // A container's own profile without a type hides the pod's: complete it there.
            if (ownProfile || podFixConflicts) edit.setIn(container, ['securityContext', 'appArmorProfile', 'type'], 'RuntimeDefault');
            else edit.setIn({ map: pod.spec, editable: pod.editable }, ['securityContext', 'appArmorProfile', 'type'], 'RuntimeDefault');
          },
        },
      });
    }
  },
});
