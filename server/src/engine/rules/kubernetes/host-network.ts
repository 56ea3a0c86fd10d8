import { definePodRule } from '../define';
import { booleanOf } from '../../source/yaml-view';
import { podSpecField } from '../../kubernetes/walker';

export default definePodRule({
  meta: {
    id: 'host-network',
    title: 'Pods must not use the host network namespace',
    description:
      'With hostNetwork: true the pod uses the node\'s network stack: it can bind any port of the node, reach services that listen only on localhost (such as the kubelet\'s or a cloud metadata endpoint), sniff the node\'s traffic with enough privilege, and it bypasses NetworkPolicies.',
    severity: 'error',
    profile: 'baseline',
    pssControl: 'Host Namespaces',
    fix: 'Set hostNetwork: false',
    messages: {
      hostNetwork: 'The pod uses the host\'s network namespace (hostNetwork: true): it can reach node-local services and is not isolated by NetworkPolicies.',
    },
  },
  check(pod, { report }) {
    // PSS baseline "Host Namespaces": spec.hostNetwork must be unset or false.
    const field = podSpecField(pod, 'hostNetwork');
    if (!field || field.templated || booleanOf(field.value) !== true) return;
    report({ messageId: 'hostNetwork', at: field.valueSpan, fix: { apply: (edit) => edit.replaceValue(field, false) } });
  },
});
