import { defineContainerRule } from '../define';
import { requiredContainerBoolean } from '../../kubernetes/security-profiles';

export default defineContainerRule({
  meta: {
    id: 'read-only-root-filesystem',
    title: 'Containers should set readOnlyRootFilesystem: true',
    description:
      "A writable root filesystem lets an attacker who gets code execution drop tools, change the application's binaries and configuration, or persist until the container is replaced. A read-only root with emptyDir volumes for the paths the app writes to keeps the image as it was built.",
    severity: 'warning',
    profile: 'recommended',
    hardening: true,
    fix: 'Set readOnlyRootFilesystem: true',
    messages: {
      unset: 'Container "{name}" does not set readOnlyRootFilesystem: true; its root filesystem is writable.',
      disabled: 'Container "{name}" sets readOnlyRootFilesystem: false; its root filesystem is writable.',
      notBoolean: 'Container "{name}" sets readOnlyRootFilesystem to {value}, which is not the boolean true; its root filesystem is writable.',
    },
  },
  check(container, { report }) {
    // The API rejects readOnlyRootFilesystem in Windows pods (spec.os.name: windows), so the
    // fix could not be applied there.
    if (container.pod.isWindows) return;
    // A container-only field: the pod securityContext has no readOnlyRootFilesystem.
    const found = requiredContainerBoolean(container, 'readOnlyRootFilesystem', true);
    if (found.state === 'missing') {
      report({
        messageId: 'unset',
        data: { name: container.name },
        at: container.nameSpan,
        fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'readOnlyRootFilesystem'], true) },
      });
    } else if (found.state === 'wrong') {
      const { setting } = found;
      report({
        messageId: found.value === false ? 'disabled' : 'notBoolean',
        data: { name: container.name, value: found.written },
        at: setting.valueSpan,
        fix: { apply: (edit) => edit.replaceValue(setting, true) },
      });
    }
  },
});
