import { defineResourceRule } from '../define';
import { displayName } from '../../kubernetes/resource-name';
import { CORE_GROUP, coversGroup, hasItem, policyRules, WILDCARD, type PolicyItem, type PolicyRule } from '../../kubernetes/rbac';

/** Verbs that bypass RBAC's own escalation checks (Kubernetes RBAC, "Privilege escalation prevention"). */
const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];

/** The resources on which a `*` verb includes escalation verbs, with their API group. */
const ESCALATION_TARGETS: ReadonlyArray<{ resource: string; group: string; verbs: readonly string[] }> = [
  { resource: 'roles', group: 'rbac.authorization.k8s.io', verbs: ['escalate', 'bind'] },
  { resource: 'clusterroles', group: 'rbac.authorization.k8s.io', verbs: ['escalate', 'bind'] },
  { resource: 'users', group: CORE_GROUP, verbs: ['impersonate'] },
  { resource: 'groups', group: CORE_GROUP, verbs: ['impersonate'] },
  { resource: 'serviceaccounts', group: CORE_GROUP, verbs: ['impersonate'] },
];

/** Subresources that run commands in a container; exec over WebSocket is authorised as `get` on older clusters. */
const EXEC_SUBRESOURCES = ['pods/exec', 'pods/attach'];
const EXEC_VERBS = ['create', 'get'];

export default defineResourceRule({
  meta: {
    id: 'rbac-escalation-verbs',
    title: 'RBAC rules should not grant escalate, bind, impersonate or pod exec',
    description:
      'escalate and bind let a subject create or bind roles with permissions it does not hold, impersonate lets it act as any user, group or service account, and exec or attach on pods runs commands inside containers with their service account and Secrets. Each one turns a limited role into a path to cluster-admin.',
    severity: 'warning',
    profile: 'strict',
    messages: {
      verb: '{kind} "{name}" grants the "{verb}" verb, which bypasses RBAC privilege-escalation checks.',
      wildcardVerb: '{kind} "{name}" grants every verb ("*") on {resources}, {verbs} included.',
      exec: '{kind} "{name}" grants {verbs} on {resource}, which runs commands inside containers.',
    },
  },
  check(resource, { report }) {
    const data = { kind: resource.kind, name: displayName(resource) };
    for (const rule of policyRules(resource)) {
      for (const verb of rule.verbs) {
        if (ESCALATION_VERBS.includes(verb.value)) report({ messageId: 'verb', data: { ...data, verb: verb.value }, at: verb.span });
      }
      const wildcardVerb = rule.verbs.find((verb) => verb.value === WILDCARD);
      if (wildcardVerb) {
        const targets = ESCALATION_TARGETS.filter((target) => coversGroup(rule, target.group) && hasItem(rule.resources, target.resource, WILDCARD));
        if (targets.length > 0) {
          report({
            messageId: 'wildcardVerb',
            data: {
              ...data,
              resources: targets.map((target) => target.resource).join(', '),
              verbs: [...new Set(targets.flatMap((target) => target.verbs))].join(', '),
            },
            at: wildcardVerb.span,
          });
        }
      }
      for (const item of execResources(rule)) {
        const verbs = rule.verbs.filter((verb) => verb.value === WILDCARD || EXEC_VERBS.includes(verb.value)).map((verb) => `"${verb.value}"`);
        if (verbs.length === 0) continue;
        report({ messageId: 'exec', data: { ...data, verbs: verbs.join(', '), resource: describeExecResource(item) }, at: item.span });
      }
    }
  },
});

/** The resource items that cover pods/exec or pods/attach: named, `pods/*`, or `*`. */
function execResources(rule: PolicyRule): PolicyItem[] {
  if (!coversGroup(rule, CORE_GROUP)) return [];
  return rule.resources.filter((item) => EXEC_SUBRESOURCES.includes(item.value) || item.value === 'pods/*' || item.value === WILDCARD);
}

function describeExecResource(item: PolicyItem): string {
  return EXEC_SUBRESOURCES.includes(item.value) ? item.value : `"${item.value}" (pods/exec and pods/attach included)`;
}
