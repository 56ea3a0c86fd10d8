import { definePodRule } from '../define';
import { scalarString } from '../../source/yaml-view';
import {
  explicitSetting,
  podAnnotations,
  profileTypeField,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  unconfinedProfiles,
} from '../../kubernetes/security-profiles';

export default definePodRule({
  meta: {
    id: 'seccomp-unconfined',
    title: 'Seccomp must not be turned off',
    description:
      'A seccomp profile of type Unconfined lets the container make every system call the kernel offers, including the rarely used ones through which most kernel exploits reach the host. The runtime default profile blocks them and costs a working app nothing.',
    severity: 'error',
    profile: 'baseline',
    hardening: true,
    pssControl: 'Seccomp',
    fix: 'Set the seccomp profile to RuntimeDefault',
    messages: {
      container: 'Container "{name}" sets seccompProfile.type: Unconfined; every system call is allowed.',
      pod: 'The pod sets seccompProfile.type: Unconfined; every system call is allowed in its containers.',
      annotation:
        'The annotation {annotation}: unconfined asks for no seccomp filtering; current Kubernetes ignores these annotations, so set securityContext.seccompProfile.type instead.',
    },
  },
  check(pod, { report }) {
    const { view } = pod.resource;
    for (const { type, container } of unconfinedProfiles(pod, 'seccompProfile')) {
      report({
        messageId: container ? 'container' : 'pod',
        ...(container ? { data: { name: container.name }, containerKey: container.key } : {}),
        at: type.valueSpan,
        fix: { apply: (edit) => edit.replaceValue(type, 'RuntimeDefault') },
      });
    }
    const annotations = podAnnotations(pod);
    const { map } = annotations;
    if (!map) return;
    for (const annotation of view.fields(map)) {
      const isSeccompKey = annotation.key === SECCOMP_POD_ANNOTATION || annotation.key.startsWith(SECCOMP_CONTAINER_ANNOTATION_PREFIX);
      if (!isSeccompKey || annotation.templated || scalarString(annotation.value) !== 'unconfined') continue;
      report({
        messageId: 'annotation',
        data: { annotation: annotation.key },
        at: annotation.valueSpan,
        fix: {
          apply: (edit) => {
            edit.removeField(annotation, { map, editable: annotations.editable });
            // The field replaces the annotation: the runtime default for the pod, unless the pod
            // already names a profile (an Unconfined one gets the same edit from the finding above).
            const current = explicitSetting(pod.security.get('seccompProfile'));
            const named = scalarString(current ? profileTypeField(view, current)?.value : undefined);
            if (named === 'RuntimeDefault' || named === 'Localhost') return;
            edit.setIn({ map: pod.spec, editable: pod.editable }, ['securityContext', 'seccompProfile', 'type'], 'RuntimeDefault');
          },
        },
      });
    }
  },
});
