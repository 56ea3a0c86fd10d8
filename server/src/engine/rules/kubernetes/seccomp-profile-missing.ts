import { definePodRule } from '../define';
import {
  effectiveSetting,
  explicitSetting,
  podAnnotations,
  profileTypeField,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  unknownProfileTypes,
} from '../../kubernetes/security-profiles';

export default definePodRule({
  meta: {
    id: 'seccomp-profile-missing',
    title: 'Containers must run with a seccomp profile',
    description:
      'Without a seccomp profile a container may make every system call the kernel offers, including the rarely used ones through which most kernel exploits reach the host. The RuntimeDefault profile of the container runtime blocks them and costs a working app nothing.',
    severity: 'warning',
    profile: 'restricted',
    hardening: true,
    pssControl: 'Seccomp',
    pssSince: 'v1.19',
    fix: 'Add seccompProfile.type: RuntimeDefault to the pod',
    safeFix: true,
    messages: {
      unset: 'Container "{name}" runs without a seccomp profile; set seccompProfile.type: RuntimeDefault (or Localhost).',
      annotationIgnored:
        'Container "{name}" runs without a seccomp profile: the annotation {annotation} is ignored by current Kubernetes; set securityContext.seccompProfile.type: RuntimeDefault instead.',
      unknownTypeContainer: 'Container "{name}" sets seccompProfile.type: {type}, which is not a seccomp profile type; set RuntimeDefault (or Localhost).',
      unknownTypePod: 'The pod sets seccompProfile.type: {type}, which is not a seccomp profile type; set RuntimeDefault (or Localhost).',
    },
  },
  check(pod, { report }) {
    // PSS restricted exempts Windows pods: seccomp is a Linux kernel feature.
    if (pod.isWindows) return;
    const { view } = pod.resource;
    // PSS restricted accepts only RuntimeDefault and Localhost, compared exactly: another type names
    // no profile. It is reported where it is written (Unconfined is seccomp-unconfined's finding).
    // No fix: the author wrote a profile, and which one was meant is theirs to say.
    for (const { type, value, container } of unknownProfileTypes(pod, 'seccompProfile')) {
      report({
        messageId: container ? 'unknownTypeContainer' : 'unknownTypePod',
        data: { type: JSON.stringify(value), ...(container ? { name: container.name } : {}) },
        at: type.valueSpan,
        ...(container ? { containerKey: container.key } : {}),
      });
    }
    const annotations = podAnnotations(pod);
    for (const container of pod.containers) {
      if (container.security.effectiveUnknown) continue;
      const setting = effectiveSetting(container, 'seccompProfile');
      if (setting?.templated) continue;
      // Any written type is in force here: Unconfined is seccomp-unconfined's finding, another
      // unknown type was reported above, where it is written.
      if (setting && profileTypeField(view, setting)) continue;
      const legacyKey = [SECCOMP_CONTAINER_ANNOTATION_PREFIX + container.name, SECCOMP_POD_ANNOTATION].find((key) => annotations.value(key) !== undefined);
      const ownProfile = explicitSetting(container.security.own('seccompProfile'));
      report({
        messageId: legacyKey ? 'annotationIgnored' : 'unset',
        data: { name: container.name, ...(legacyKey ? { annotation: `${legacyKey}: ${annotations.value(legacyKey) ?? ''}` } : {}) },
        at: container.nameSpan,
        containerKey: container.key,
        fix: {
          apply: (edit) => {
            // A container's own profile without a type hides the pod's: complete it there.
            // Otherwise one pod-level edit serves every container (identical edits apply once).
            if (ownProfile) edit.setIn(container, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault');
            else edit.setIn({ map: pod.spec, editable: pod.editable }, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault');
          },
        },
      });
    }
  },
});
