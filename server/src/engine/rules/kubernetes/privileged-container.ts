import { defineContainerRule } from '../define';
import { booleanOf } from '../../source/yaml-view';

export default defineContainerRule({
  meta: {
    id: 'privileged-container',
    title: 'Containers must not run privileged',
    description:
      'A privileged container gets every capability, all host devices and no seccomp, AppArmor or SELinux confinement: it is root on the node in all but name. Anyone who runs code in it can load kernel modules, mount the host disk and take over the node.',
    severity: 'error',
    profile: 'baseline',
    hardening: true,
    pssControl: 'Privileged Containers',
    fix: 'Set privileged: false',
    messages: {
      privileged: 'Container "{name}" runs privileged: it has full access to the node\'s devices and kernel.',
    },
  },
  check(container, { report }) {
    // PSS baseline "Privileged Containers": securityContext.privileged must be unset or false.
    const setting = container.security.own('privileged');
    if (!setting || setting.templated || booleanOf(setting.value) !== true) return;
    report({
      messageId: 'privileged',
      data: { name: container.name },
      at: setting.valueSpan,
      fix: { apply: (edit) => edit.replaceValue(setting, false) },
    });
  },
});
