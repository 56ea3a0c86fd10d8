import { defineContainerRule } from '../define';
import { scalarString } from '../../source/yaml-view';

export default defineContainerRule({
  meta: {
    id: 'proc-mount-unmasked',
    title: 'Containers must keep the default masked /proc',
    description:
      'procMount: Unmasked turns off the masking and read-only paths the container runtime puts over /proc (such as /proc/kcore, /proc/sys and /proc/sysrq-trigger). A process in the container can then read kernel memory information and change kernel settings of the node.',
    severity: 'error',
    profile: 'baseline',
    hardening: true,
    pssControl: '/proc Mount Type',
    fix: 'Set procMount: Default',
    messages: {
      unmasked: 'Container "{name}" sets procMount: Unmasked: the kernel files the runtime masks in /proc are exposed.',
      notDefault: 'Container "{name}" sets procMount: {value}; only Default keeps the masked /proc that the Pod Security Standards require.',
    },
  },
  check(container, { report }) {
    // PSS baseline "/proc Mount Type": procMount must be unset or Default; Pod Security Admission
    // compares exactly, so any other value (`Unmasked`, `unmasked`, a typo) is rejected too.
    const setting = container.security.own('procMount');
    const value = setting && !setting.templated ? scalarString(setting.value) : undefined;
    if (!setting || value === undefined || value === '' || value === 'Default') return;
    report({
      messageId: value === 'Unmasked' ? 'unmasked' : 'notDefault',
      data: { name: container.name, value },
      at: setting.valueSpan,
      fix: { apply: (edit) => edit.replaceValue(setting, 'Default') },
    });
  },
});
