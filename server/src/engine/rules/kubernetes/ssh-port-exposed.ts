import { defineContainerRule } from '../define';
import { integerOf, scalarString } from '../../source/yaml-view';

/** The port sshd listens on (IANA). */
const SSH_PORT = 22;

export default defineContainerRule({
  meta: {
    id: 'ssh-port-exposed',
    title: 'Containers should not expose the SSH port',
    description:
      'A container that listens on port 22 usually runs an SSH daemon: a second way in with its own credentials and keys to leak, outside the audit trail of kubectl exec. Debug with kubectl exec or an ephemeral container instead.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      ssh: 'Container "{name}" exposes port 22 (SSH); use kubectl exec or an ephemeral debug container instead of an SSH daemon.',
    },
  },
  check(container, { report }) {
    // The API forbids ports on ephemeral containers.
    if (container.kind === 'ephemeralContainer') return;
    const { view } = container.pod.resource;
    for (const port of view.items(view.getSeq(container.map, 'ports'))) {
      const field = view.field(view.asMap(port.node), 'containerPort');
      if (!field || field.templated) continue;
      // A quoted "22" (common in templated manifests) states the same intent, so it counts too.
      const isSsh = integerOf(field.value) === SSH_PORT || scalarString(field.value)?.trim() === String(SSH_PORT);
      if (!isSsh) continue;
      report({ messageId: 'ssh', data: { name: container.name }, at: port.editable ? field.valueSpan : port.span });
    }
  },
});
