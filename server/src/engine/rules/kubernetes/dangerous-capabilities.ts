import { defineContainerRule } from '../define';
import { BASELINE_CAPABILITIES, capabilityList, spellingOf } from '../../kubernetes/capabilities';

export default defineContainerRule({
  meta: {
    id: 'dangerous-capabilities',
    title: 'Containers must not add capabilities beyond the baseline set',
    description:
      'Capabilities such as SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE or SYS_MODULE give a process in the container parts of root\'s power over the kernel: mounting file systems, reconfiguring or sniffing the network, tracing other processes, loading kernel modules. Most container escapes start from one of them.',
    severity: 'error',
    profile: 'baseline',
    hardening: true,
    pssControl: 'Capabilities',
    fix: 'Remove the capability',
    messages: {
      notAllowed: 'Container "{name}" adds capability {capability}, which is not in the Pod Security Standards baseline allowed list.',
      capPrefix:
        'Container "{name}" adds capability {capability}, which is not in the Pod Security Standards baseline allowed list: Pod Security Admission compares names exactly and rejects the CAP_ form (it would expect {canonical}).',
      notUpperCase:
        'Container "{name}" adds capability {capability}, which is not in the Pod Security Standards baseline allowed list: Pod Security Admission compares names exactly, in upper case (it would expect {canonical}).',
    },
  },
  check(container, { report }) {
    // PSS baseline "Capabilities": capabilities.add may hold only the names of the baseline set,
    // compared exactly as Pod Security Admission does.
    const added = capabilityList(container, 'add');
    if (!added) return;
    for (const item of added.items) {
      if (BASELINE_CAPABILITIES.has(item.name)) continue;
      const spelling = spellingOf(item.name);
      const messageId = spelling.hasCapPrefix ? 'capPrefix' : spelling.isNotUpperCase ? 'notUpperCase' : 'notAllowed';
      report({
        messageId,
        data: { name: container.name, capability: item.name, canonical: spelling.canonical },
        at: item.span,
        fix: { apply: (edit) => edit.removeListItem(added.field, item.index, added.owner) },
      });
    }
  },
});
