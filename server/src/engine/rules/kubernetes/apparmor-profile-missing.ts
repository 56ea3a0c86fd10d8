import { definePodRule } from '../define';
import { APPARMOR_CONTAINER_ANNOTATION_PREFIX, effectiveSetting, explicitSetting, podAnnotations, profileTypeField } from '../../kubernetes/security-profiles';

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
    },
  },
  check(pod, { report }) {
    // Windows has no AppArmor: RULES.md exempts Windows pods, as the restricted profile does for Linux-only controls.
    if (pod.isWindows) return;
    const { view } = pod.resource;
    const annotations = podAnnotations(pod);
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
