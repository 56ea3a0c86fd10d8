import { defineContainerRule } from '../define';
import { booleanOf, isNullValue, scalarString } from '../../source/yaml-view';

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
    const setting = container.security.own('readOnlyRootFilesystem');
    if (setting?.templated) return;
    if (setting === undefined || isNullValue(setting.value)) {
      if (container.security.unknown) return;
      report({
        messageId: 'unset',
        data: { name: container.name },
        at: container.nameSpan,
        fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'readOnlyRootFilesystem'], true) },
      });
      return;
    }
    const value = booleanOf(setting.value);
    if (value === true) return;
    const written = scalarString(setting.value);
    report({
      messageId: value === false ? 'disabled' : 'notBoolean',
      data: { name: container.name, value: written === undefined ? 'a collection' : JSON.stringify(written) },
      at: setting.valueSpan,
      fix: { apply: (edit) => edit.replaceValue(setting, true) },
    });
  },
});
