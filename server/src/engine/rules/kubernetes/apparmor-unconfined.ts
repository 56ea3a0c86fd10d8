import { definePodRule } from '../define';
import { scalarString } from '../../source/yaml-view';
import { APPARMOR_CONTAINER_ANNOTATION_PREFIX, podAnnotations, unconfinedProfiles } from '../../kubernetes/security-profiles';

export default definePodRule({
  meta: {
    id: 'apparmor-unconfined',
    title: 'AppArmor must not be turned off',
    description:
      'An AppArmor profile of type Unconfined removes the mandatory access control that the runtime default profile applies: writes to /proc and /sys, mounts and raw kernel interfaces become reachable, which is how many container escapes start.',
    severity: 'error',
    profile: 'baseline',
    hardening: true,
    pssControl: 'AppArmor',
    fix: 'Set the AppArmor profile to RuntimeDefault',
    messages: {
      container: 'Container "{name}" sets appArmorProfile.type: Unconfined; AppArmor no longer confines it.',
      pod: 'The pod sets appArmorProfile.type: Unconfined; AppArmor no longer confines its containers.',
      annotation: 'The annotation {annotation}: unconfined turns AppArmor off for container "{name}".',
    },
  },
  check(pod, { report }) {
    // Windows has no AppArmor: RULES.md exempts Windows pods, as the restricted profile does for Linux-only controls.
    if (pod.isWindows) return;
    const { view } = pod.resource;
    for (const { type, container } of unconfinedProfiles(pod, 'appArmorProfile')) {
      report({
        messageId: container ? 'container' : 'pod',
        ...(container ? { data: { name: container.name }, containerKey: container.key } : {}),
        at: type.valueSpan,
        fix: { apply: (edit) => edit.replaceValue(type, 'RuntimeDefault') },
      });
    }
    const annotations = podAnnotations(pod);
    for (const annotation of view.fields(annotations.map)) {
      if (!annotation.key.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX)) continue;
      if (annotation.templated || scalarString(annotation.value) !== 'unconfined') continue;
      const name = annotation.key.slice(APPARMOR_CONTAINER_ANNOTATION_PREFIX.length);
      const container = pod.containers.find((c) => c.name === name);
      report({
        messageId: 'annotation',
        data: { annotation: annotation.key, name },
        at: annotation.valueSpan,
        ...(container ? { containerKey: container.key } : {}),
        // The annotation's own runtime default: the API requires an annotation and a field set
        // for one container to agree, so the value is changed in place rather than moved.
        fix: { apply: (edit) => edit.replaceValue(annotation, 'runtime/default') },
      });
    }
  },
});
