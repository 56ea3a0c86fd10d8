import { defineResourceRule } from '../define';
import { displayName } from '../../kubernetes/resource-name';
import { policyRules, WILDCARD } from '../../kubernetes/rbac';

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
    for (const rule of policyRules(resource)) {
      for (const list of LISTS) {
        for (const item of rule[list]) {
          if (item.value !== WILDCARD) continue;
          report({ messageId: 'wildcard', data: { kind: resource.kind, name: displayName(resource), list }, at: item.span });
        }
      }
    }
  },
});
