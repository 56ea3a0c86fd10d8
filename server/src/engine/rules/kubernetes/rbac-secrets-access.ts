import { defineResourceRule } from '../define';
import { displayName } from '../../kubernetes/resource-name';
import { CORE_GROUP, coversGroup, firstWritten, policyRules, WILDCARD } from '../../kubernetes/rbac';

/** Verbs that read Secret values. */
const READ_VERBS = ['get', 'list', 'watch'];
/** `resourceNames` narrows `get`, but a list or watch request names no object, so it is not limited. */
const UNNARROWED_READ_VERBS = ['list', 'watch'];

export default defineResourceRule({
  meta: {
    id: 'rbac-secrets-access',
    title: 'RBAC rules should not grant read access to all Secrets',
    description:
      'Reading Secrets gives away every credential they hold: service account tokens, database passwords, TLS keys. A subject that can get, list or watch all Secrets of a namespace (or of the cluster) can usually take over what those credentials protect. Grant `get` on the named Secrets the app needs instead.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      read: '{kind} "{name}" grants {verbs} on {target}; grant `get` on the Secrets the app needs, named in resourceNames.',
      unnarrowed: '{kind} "{name}" grants {verbs} on {target}; resourceNames does not limit list or watch, so every Secret is readable.',
    },
  },
  check(resource, { report }) {
    for (const rule of policyRules(resource)) {
      if (!coversGroup(rule, CORE_GROUP)) continue;
      const narrowed = rule.resourceNames.length > 0;
      const readVerbs = narrowed ? UNNARROWED_READ_VERBS : READ_VERBS;
      const verbs = rule.verbs.map((verb) => verb.value).filter((verb) => verb === WILDCARD || readVerbs.includes(verb));
      if (verbs.length === 0) continue;
      // One finding per rules[] entry, on the first item that reaches Secrets.
      const reaching = rule.resources.filter((item) => item.value === 'secrets' || item.value === WILDCARD);
      const first = firstWritten(reaching);
      if (!first) continue;
      report({
        messageId: narrowed ? 'unnarrowed' : 'read',
        data: {
          kind: resource.kind,
          name: displayName(resource),
          verbs: verbs.map((verb) => `"${verb}"`).join(', '),
          target: reaching.some((item) => item.value === WILDCARD) ? 'every resource, Secrets included' : 'Secrets',
        },
        at: first.span,
      });
    }
  },
});
