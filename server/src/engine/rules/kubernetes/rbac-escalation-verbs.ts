import { defineResourceRule } from '../define';
import type { ReportData } from '../../types';
import type { Span } from '../../types';
import { displayName } from '../../kubernetes/resource-name';
import { CORE_GROUP, coversGroup, firstWritten, hasItem, inWords, policyRules, WILDCARD, type PolicyItem, type PolicyRule } from '../../kubernetes/rbac';

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

/** One way a rules[] entry escalates: its message, and how the combined message says it. */
interface Grant {
  messageId: 'verb' | 'wildcardVerb' | 'exec';
  data: ReportData;
  at: Span;
  phrase: string;
}

export default defineResourceRule({
  meta: {
    id: 'rbac-escalation-verbs',
    title: 'RBAC rules should not grant escalate, bind, impersonate or pod exec',
    description:
      'escalate and bind let a subject create or bind roles with permissions it does not hold, impersonate lets it act as any user, group or service account, and exec or attach on pods runs commands inside containers with their service account and Secrets. Each one turns a limited role into a path to cluster-admin.',
    severity: 'warning',
    profile: 'strict',
    messages: {
      verb: '{kind} "{name}" grants {verbs}: escalate, bind and impersonate bypass RBAC privilege-escalation checks.',
      wildcardVerb: '{kind} "{name}" grants every verb ("*") on {resources}, {verbs} included.',
      exec: '{kind} "{name}" grants {verbs} on {resource}, which runs commands inside containers.',
      several: '{kind} "{name}" grants, in one rule: {grants}. Each is a path to cluster-admin.',
    },
  },
  check(resource, { report }) {
    const names = { kind: resource.kind, name: displayName(resource) };
    // One finding per rules[] entry: when it escalates in several ways, one message names them all.
    for (const rule of policyRules(resource)) {
      const grants = [namedVerbs(rule), wildcardVerbs(rule), podExec(rule)].filter((grant): grant is Grant => grant !== undefined);
      const [only] = grants;
      if (!only) continue;
      if (grants.length === 1) {
        report({ messageId: only.messageId, data: { ...names, ...only.data }, at: only.at });
        continue;
      }
      const at = grants.reduce((first, grant) => (grant.at.start < first.start ? grant.at : first), only.at);
      report({ messageId: 'several', data: { ...names, grants: grants.map((grant) => grant.phrase).join('; ') }, at });
    }
  },
});

function quoted(items: readonly PolicyItem[]): string {
  return inWords([...new Set(items.map((item) => `"${item.value}"`))]);
}

function namedVerbs(rule: PolicyRule): Grant | undefined {
  const verbs = rule.verbs.filter((verb) => ESCALATION_VERBS.includes(verb.value));
  const first = firstWritten(verbs);
  if (!first) return undefined;
  return { messageId: 'verb', data: { verbs: quoted(verbs) }, at: first.span, phrase: `${quoted(verbs)} (they bypass RBAC privilege-escalation checks)` };
}

function wildcardVerbs(rule: PolicyRule): Grant | undefined {
  const wildcard = rule.verbs.find((verb) => verb.value === WILDCARD);
  if (!wildcard) return undefined;
  const targets = ESCALATION_TARGETS.filter((target) => coversGroup(rule, target.group) && hasItem(rule.resources, target.resource, WILDCARD));
  if (targets.length === 0) return undefined;
  const resources = inWords(targets.map((target) => target.resource));
  const verbs = inWords([...new Set(targets.flatMap((target) => target.verbs))]);
  return { messageId: 'wildcardVerb', data: { resources, verbs }, at: wildcard.span, phrase: `every verb ("*") on ${resources} (${verbs} included)` };
}

/** `create` or `get` on the resource items that cover pods/exec or pods/attach: named, `pods/*`, or `*`. */
function podExec(rule: PolicyRule): Grant | undefined {
  if (!coversGroup(rule, CORE_GROUP)) return undefined;
  const items = rule.resources.filter((item) => EXEC_SUBRESOURCES.includes(item.value) || item.value === 'pods/*' || item.value === WILDCARD);
  const verbs = rule.verbs.filter((verb) => verb.value === WILDCARD || EXEC_VERBS.includes(verb.value));
  const first = firstWritten(items);
  if (!first || verbs.length === 0) return undefined;
  const resource = inWords(items.map(describeExecResource));
  return { messageId: 'exec', data: { verbs: quoted(verbs), resource }, at: first.span, phrase: `${quoted(verbs)} on ${resource}` };
}

function describeExecResource(item: PolicyItem): string {
  return EXEC_SUBRESOURCES.includes(item.value) ? item.value : `"${item.value}" (pods/exec and pods/attach included)`;
}
