import { defineResourceRule } from '../define';
import { displayName } from '../../kubernetes/resource-name';
import { firstWritten, inWords, policyRules, WILDCARD } from '../../kubernetes/rbac';

const LISTS = ['verbs', 'resources', 'apiGroups'] as const;

export default defineResourceRule({
  meta: {
    id: 'rbac-wildcard',
    title: 'RBAC rules should not use the * wildcard',
    description:
      'A `*` in verbs, resources or apiGroups grants everything that exists now and everything added later: new verbs, new resources, the API groups of CRDs installed next year. Least privilege means listing what the subject needs.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      wildcard: '{kind} "{name}" grants "*" in {list}; list the {list} the subject needs.',
    },
  },
  check(resource, { report }) {
    // One finding per rules[] entry, naming every list with a wildcard (`*`/`*`/`*` is one mistake).
    for (const rule of policyRules(resource)) {
      const wildcards = LISTS.flatMap((list) => rule[list].filter((item) => item.value === WILDCARD).map((item) => ({ list, item })));
      const first = firstWritten(wildcards.map(({ item }) => item));
      if (!first) continue;
      const lists = LISTS.filter((list) => wildcards.some((wildcard) => wildcard.list === list));
      report({ messageId: 'wildcard', data: { kind: resource.kind, name: displayName(resource), list: inWords(lists) }, at: first.span });
    }
  },
});
