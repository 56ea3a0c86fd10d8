import { defineContainerRule } from '../define';
import { booleanOf, isNullValue } from '../../source/yaml-view';

export default defineContainerRule({
  meta: {
    id: 'privilege-escalation-allowed',
    title: 'Containers must set allowPrivilegeEscalation: false',
    description:
      'Unless allowPrivilegeEscalation is false, a process in the container can gain more privileges than its parent through setuid binaries or file capabilities (no_new_privs is not set). An attacker who gets code execution can then climb to root inside the container.',
    severity: 'warning',
    alternateSeverity: 'error',
    profile: 'restricted',
    hardening: true,
    pssControl: 'Privilege Escalation',
    fix: 'Set allowPrivilegeEscalation: false',
    safeFix: true,
    messages: {
      unset: 'Container "{name}" does not set allowPrivilegeEscalation: false; setuid binaries can gain privileges.',
      enabled: 'Container "{name}" sets allowPrivilegeEscalation: true; setuid binaries can gain privileges.',
    },
  },
  check(container, { report }) {
    // PSS restricted exempts Windows pods: Windows has no setuid.
    if (container.pod.isWindows) return;
    const setting = container.security.own('allowPrivilegeEscalation');
    if (setting?.templated) return;
    if (setting === undefined || isNullValue(setting.value)) {
      if (container.security.unknown) return;
      report({
        messageId: 'unset',
        data: { name: container.name },
        at: container.nameSpan,
        fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'allowPrivilegeEscalation'], false) },
      });
      return;
    }
    const value = booleanOf(setting.value);
    if (value === false) return;
    // `true`, and anything PSA would not read as false (a quoted "false" is a string).
    report({
      messageId: value === true ? 'enabled' : 'unset',
      severity: value === true ? 'error' : 'warning',
      data: { name: container.name },
      at: setting.valueSpan,
      fix: { apply: (edit) => edit.replaceValue(setting, false) },
    });
  },
});
