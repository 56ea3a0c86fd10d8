import { definePodRule, type FixRequest } from '../define';
import type { YamlEditor } from '../../fix/yaml-edits';
import { booleanOf, isNullValue, scalarString } from '../../source/yaml-view';
import { containsAnyMask } from '../../parse/helm-mask';
import type { PodSpecSite } from '../../kubernetes/walker';

export default definePodRule({
  meta: {
    id: 'automount-service-account-token',
    title: 'Pods should set automountServiceAccountToken: false',
    description:
      'Unless turned off, every pod gets a token for its service account mounted at /var/run/secrets/kubernetes.io/serviceaccount. Most apps never call the Kubernetes API, but anyone who compromises the container can use the token with all the permissions bound to that account.',
    severity: 'info',
    profile: 'recommended',
    crossFile: true,
    fix: 'Set automountServiceAccountToken: false',
    safeFix: true,
    safeFixOnlyWhen: 'the pod runs as the default ServiceAccount and does not set the field (a named account may be bound to a Role; an explicit true is the author\'s choice)',
    messages: {
      accountEnabled: 'The pod runs as service account "{account}", whose manifest sets automountServiceAccountToken: true; its containers get a Kubernetes API token they may not need.',
      unset: 'The pod does not set automountServiceAccountToken: false; its containers get a Kubernetes API token they may not need.',
      enabled: 'The pod sets automountServiceAccountToken: true; its containers get a Kubernetes API token. Keep it only if the app calls the API.',
      notBoolean: 'The pod sets automountServiceAccountToken to {value}, which is not the boolean false; its containers get a Kubernetes API token.',
    },
  },
  check(pod, { report, workspace }) {
    // The pod's field wins over the ServiceAccount's; only `false` on the pod settles it whatever
    // account the pod runs as (Kubernetes, "Configure Service Accounts for Pods").
    const field = pod.resource.view.field(pod.spec, 'automountServiceAccountToken');
    if (field?.templated) return;
    if (booleanOf(field?.value) === false) return;
    // An account a Helm action names cannot be looked up: the pod is judged on its own field.
    const account = serviceAccountOf(pod);
    const namespace = literal(pod.resource.view.getString(pod.resource.metadata, 'namespace'));
    // An account that a binding in this workspace grants permissions needs its token (RULES.md).
    if (account !== undefined && workspace.bindingsOf(namespace, account).length > 0) return;
    const accounts = account === undefined ? [] : workspace.serviceAccounts(namespace, account);
    // Turning the token off is safe on save only where nothing written says the pod needs it:
    // an explicit `true` is the author's choice, and a named account may be bound to a Role
    // (ingress controllers, operators), so there it is a quick fix a person chooses (RULES.md, "Fix-all").
    const fix = (safe: boolean): FixRequest<YamlEditor> => ({
      apply: (edit) => edit.setIn({ map: pod.spec, editable: pod.editable }, ['automountServiceAccountToken'], false),
      safe,
    });
    if (!field || isNullValue(field.value)) {
      if (pod.hasOpaqueContent) return;
      // Unset on the pod, the account's manifest decides: false there settles it.
      if (accounts.length > 0 && accounts.every((manifest) => manifest.automount === false)) return;
      const enabled = accounts.find((manifest) => manifest.automount === true);
      if (enabled && account !== undefined) {
        report({ messageId: 'accountEnabled', data: { account }, at: field ? field.keySpan : pod.specKeySpan, related: [{ in: enabled.at, message: `Service account "${account}" is defined here.` }], fix: fix(false) });
        return;
      }
      report({ messageId: 'unset', at: field ? field.keySpan : pod.specKeySpan, fix: fix(account === 'default') });
      return;
    }
    if (booleanOf(field.value) === true) {
      report({ messageId: 'enabled', at: field.valueSpan, fix: fix(false) });
      return;
    }
    const written = scalarString(field.value);
    report({ messageId: 'notBoolean', data: { value: written === undefined ? 'a collection' : JSON.stringify(written) }, at: field.valueSpan, fix: fix(false) });
  },
});

/**
 * The service account the pod runs as: `serviceAccountName` (or the deprecated `serviceAccount`),
 * else `default`; undefined when a Helm action names it.
 */
function serviceAccountOf(pod: PodSpecSite): string | undefined {
  const view = pod.resource.view;
  const field = view.field(pod.spec, 'serviceAccountName') ?? view.field(pod.spec, 'serviceAccount');
  if (!field || isNullValue(field.value)) return 'default';
  if (field.templated) return undefined;
  const name = scalarString(field.value);
  return name === undefined || name === '' ? 'default' : name;
}

/** A namespace as written, unless a Helm action writes it. */
function literal(value: string | undefined): string | undefined {
  return value === undefined || containsAnyMask(value) ? undefined : value;
}
