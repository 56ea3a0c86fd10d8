import { defineContainerRule } from '../define';
import { requiredContainerBoolean } from '../../kubernetes/security-profiles';
import { conflictsWithNoNewPrivileges } from '../../kubernetes/privilege-conflicts';

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
    pssSince: 'v1.8',
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
    const found = requiredContainerBoolean(container, 'allowPrivilegeEscalation', false);
    // The API rejects the setting beside privileged or SYS_ADMIN: no fix on its own then
    // (Harden container removes those first, and offers it in its next pass).
    const fixable = !conflictsWithNoNewPrivileges(container);
    if (found.state === 'missing') {
      report({
        messageId: 'unset',
        data: { name: container.name },
        at: container.nameSpan,
        ...(fixable ? { fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'allowPrivilegeEscalation'], false) } } : {}),
      });
    } else if (found.state === 'wrong') {
      // `true`, and anything PSA would not read as false (a quoted "false" is a string).
      const { setting } = found;
      report({
        messageId: found.value === true ? 'enabled' : 'unset',
        severity: found.value === true ? 'error' : 'warning',
        data: { name: container.name },
        at: setting.valueSpan,
        ...(fixable ? { fix: { apply: (edit) => edit.replaceValue(setting, false) } } : {}),
      });
    }
  },
});
