import { definePodRule } from '../define';
import { booleanOf } from '../../source/yaml-view';
import { podSpecField } from '../../kubernetes/walker';

export default definePodRule({
  meta: {
    id: 'host-ipc',
    title: 'Pods must not share the host IPC namespace',
    description:
      'With hostIPC: true the pod\'s containers share System V IPC and POSIX message queues and shared memory with every process on the node. They can read or tamper with the shared memory of host processes and other pods that use the host IPC namespace.',
    severity: 'error',
    profile: 'baseline',
    pssControl: 'Host Namespaces',
    fix: 'Set hostIPC: false',
    messages: {
      hostIpc: 'The pod shares the host\'s IPC namespace (hostIPC: true): its containers can reach the shared memory of processes on the node.',
    },
  },
  check(pod, { report }) {
    // PSS baseline "Host Namespaces": spec.hostIPC must be unset or false.
    const field = podSpecField(pod, 'hostIPC');
    if (!field || field.templated || booleanOf(field.value) !== true) return;
    report({ messageId: 'hostIpc', at: field.valueSpan, fix: { apply: (edit) => edit.replaceValue(field, false) } });
  },
});
