import { defineContainerRule } from '../define';
import { booleanOf, scalarString } from '../../source/yaml-view';

/** The PSS version (v1.35) from which baseline admits any procMount in a pod with its own user namespace. */
const USER_NAMESPACE_EXEMPTION_SINCE = 35;

export default defineContainerRule({
  meta: {
    id: 'proc-mount-unmasked',
    title: 'Containers must keep the default masked /proc',
    description:
      'procMount: Unmasked turns off the masking and read-only paths the container runtime puts over /proc (such as /proc/kcore, /proc/sys and /proc/sysrq-trigger). A process in the container can then read kernel memory information and change kernel settings of the node.',
    severity: 'error',
    alternateSeverity: 'warning', // in a user namespace (`hostUsers: false`), reported from restricted on
    profile: 'baseline',
    hardening: true,
    pssControl: '/proc Mount Type',
    fix: 'Set procMount: Default',
    messages: {
      unmasked: 'Container "{name}" sets procMount: Unmasked: the kernel files the runtime masks in /proc are exposed.',
      notDefault: 'Container "{name}" sets procMount: {value}; only Default keeps the masked /proc that the Pod Security Standards require.',
      unmaskedInUserNamespace:
        'Container "{name}" sets procMount: Unmasked in a user namespace (hostUsers: false): PSS baseline allows it there, restricted does not.',
      notDefaultInUserNamespace:
        'Container "{name}" sets procMount: {value} in a user namespace (hostUsers: false): PSS baseline allows it there, restricted requires Default.',
    },
  },
  check(container, { report, pssVersion }) {
    // PSS "/proc Mount Type": procMount must be unset or Default; Pod Security Admission compares
    // exactly, so any other value (`Unmasked`, `unmasked`, a typo) is rejected too. Since v1.35
    // PSA baseline admits any procMount in a pod with its own user namespace (the unmasked /proc
    // belongs to that namespace, not the node); only restricted still requires Default there.
    const setting = container.security.own('procMount');
    const value = setting && !setting.templated ? scalarString(setting.value) : undefined;
    if (!setting || value === undefined || value === '' || value === 'Default') return;
    const pod = container.pod;
    // Before v1.35, PSA baseline made no exception for user namespaces.
    const inUserNamespace = booleanOf(pod.resource.view.get(pod.spec, 'hostUsers')) === false && (pssVersion === undefined || pssVersion >= USER_NAMESPACE_EXEMPTION_SINCE);
    const messageId = value === 'Unmasked' ? 'unmasked' : 'notDefault';
    report({
      messageId: inUserNamespace ? `${messageId}InUserNamespace` : messageId,
      data: { name: container.name, value },
      at: setting.valueSpan,
      ...(inUserNamespace ? { severity: 'warning', fromProfile: 'restricted' } : {}),
      fix: { apply: (edit) => edit.replaceValue(setting, 'Default') },
    });
  },
});
