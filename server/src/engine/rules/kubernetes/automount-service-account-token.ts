import { definePodRule, type FixRequest } from '../define';
import type { PodSpecSite } from '../../kubernetes/walker';
import type { YamlEditor } from '../../fix/yaml-edits';
import { booleanOf, isNullValue, scalarString } from '../../source/yaml-view';

export default definePodRule({
  meta: {
    id: 'automount-service-account-token',
    title: 'Pods should set automountServiceAccountToken: false',
    description:
      'Unless turned off, every pod gets a token for its service account mounted at /var/run/secrets/kubernetes.io/serviceaccount. Most apps never call the Kubernetes API, but anyone who compromises the container can use the token with all the permissions bound to that account.',
    severity: 'info',
    profile: 'recommended',
    fix: 'Set automountServiceAccountToken: false',
    safeFix: true,
    safeFixOnlyWhen: 'the pod runs as the default ServiceAccount and does not set the field (a named account may be bound to a Role; an explicit true is the author\'s choice)',
    messages: {
      unset: 'The pod does not set automountServiceAccountToken: false; its containers get a Kubernetes API token they may not need.',
      enabled: 'The pod sets automountServiceAccountToken: true; its containers get a Kubernetes API token. Keep it only if the app calls the API.',
      notBoolean: 'The pod sets automountServiceAccountToken to {value}, which is not the boolean false; its containers get a Kubernetes API token.',
    },
  },
  check(pod, { report }) {
    // The pod's field wins over the ServiceAccount's; only `false` on the pod settles it whatever
    // account the pod runs as (Kubernetes, "Configure Service Accounts for Pods").
    const field = pod.resource.view.field(pod.spec, 'automountServiceAccountToken');
    if (field?.templated) return;
    // Turning the token off is safe on save only where nothing written says the pod needs it:
    // an explicit `true` is the author's choice, and a named account may be bound to a Role
    // (ingress controllers, operators), so there it is a quick fix a person chooses (RULES.md, "Fix-all").
    const fix = (safe: boolean): FixRequest<YamlEditor> => ({
      apply: (edit) => edit.setIn({ map: pod.spec, editable: pod.editable }, ['automountServiceAccountToken'], false),
      safe,
    });
    if (!field || isNullValue(field.value)) {
      if (pod.hasOpaqueContent) return;
      report({ messageId: 'unset', at: field ? field.keySpan : pod.specKeySpan, fix: fix(runsAsDefaultAccount(pod)) });
      return;
    }
    const value = booleanOf(field.value);
    if (value === false) return;
    if (value === true) {
      report({ messageId: 'enabled', at: field.valueSpan, fix: fix(false) });
      return;
    }
    const written = scalarString(field.value);
    report({ messageId: 'notBoolean', data: { value: written === undefined ? 'a collection' : JSON.stringify(written) }, at: field.valueSpan, fix: fix(false) });
  },
});

/**
 * The pod runs as its namespace's `default` ServiceAccount: `serviceAccountName` (and the
 * deprecated `serviceAccount`) unset, empty or `default`. A name a Helm action writes is unknown.
 */
function runsAsDefaultAccount(pod: PodSpecSite): boolean {
  const { view } = pod.resource;
  return ['serviceAccountName', 'serviceAccount'].every((key) => {
    const field = view.field(pod.spec, key);
    if (!field || isNullValue(field.value)) return true;
    if (field.templated) return false;
    const name = scalarString(field.value);
    return name === '' || name === 'default';
  });
}
