import { definePodRule } from '../define';
import { booleanOf } from '../../source/yaml-view';
import { podSpecField } from '../../kubernetes/walker';

export default definePodRule({
  meta: {
    id: 'host-pid',
    title: 'Pods must not share the host process namespace',
    description:
      'With hostPID: true the pod\'s containers see every process on the node, can read their environment and command lines (often holding secrets) and, with enough privilege, signal or ptrace them. It is a common step from a compromised container to the node.',
    severity: 'error',
    profile: 'baseline',
    pssControl: 'Host Namespaces',
    fix: 'Set hostPID: false',
    messages: {
      hostPid: 'The pod shares the host\'s process namespace (hostPID: true): its containers can see and signal every process on the node.',
    },
  },
  check(pod, { report }) {
    // PSS baseline "Host Namespaces": spec.hostPID must be unset or false.
    const field = podSpecField(pod, 'hostPID');
    if (!field || field.templated || booleanOf(field.value) !== true) return;
    report({ messageId: 'hostPid', at: field.valueSpan, fix: { apply: (edit) => edit.replaceValue(field, false) } });
  },
});
