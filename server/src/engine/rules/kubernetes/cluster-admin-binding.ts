import { defineResourceRule } from '../define';
import { displayName } from '../../kubernetes/resource-name';
import { isRbacResource } from '../../kubernetes/rbac';

export default defineResourceRule({
  meta: {
    id: 'cluster-admin-binding',
    title: 'Bindings should not grant the cluster-admin role',
    description:
      'cluster-admin allows every action on every resource. A subject bound to it (through a ClusterRoleBinding cluster-wide, or a RoleBinding in its namespace) can read every Secret, run privileged pods and grant itself anything else; a stolen token of that subject is a compromised cluster or namespace.',
    severity: 'error',
    profile: 'recommended',
    messages: {
      bound: '{kind} "{name}" binds the cluster-admin ClusterRole; bind a role that grants only what the subjects need.',
    },
  },
  check(resource, { report }) {
    if (!isRbacResource(resource, ['RoleBinding', 'ClusterRoleBinding'])) return;
    const { view } = resource;
    const roleRef = view.getMap(resource.root, 'roleRef');
    const nameField = view.field(roleRef, 'name');
    if (view.getString(roleRef, 'kind') !== 'ClusterRole' || view.getString(roleRef, 'name') !== 'cluster-admin' || !nameField) return;
    report({ messageId: 'bound', data: { kind: resource.kind, name: displayName(resource) }, at: nameField.valueSpan });
  },
});
