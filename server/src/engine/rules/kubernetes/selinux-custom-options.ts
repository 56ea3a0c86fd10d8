import { definePodRule } from '../define';
import { scalarString } from '../../source/yaml-view';
import { nestedField, writtenSettings } from '../../kubernetes/security-profiles';

/** PSS baseline "SELinux": the types a container may ask for (container_engine_t since v1.31). */
const ALLOWED_TYPES: ReadonlySet<string> = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export default definePodRule({
  meta: {
    id: 'selinux-custom-options',
    title: 'SELinux options must not pick a custom user, role or type',
    description:
      'The SELinux label keeps a container from the files and processes of the host and of other containers. A custom type (spc_t, unconfined_t) or a custom SELinux user or role can lift that separation; only the container types and the MCS level are safe to set.',
    severity: 'warning',
    profile: 'baseline',
    pssControl: 'SELinux',
    messages: {
      type: '{where} sets seLinuxOptions.type: {value}; only container_t, container_init_t, container_kvm_t and container_engine_t keep the SELinux separation.',
      user: '{where} sets seLinuxOptions.user: {value}; a custom SELinux user can lift the separation from the host.',
      role: '{where} sets seLinuxOptions.role: {value}; a custom SELinux role can lift the separation from the host.',
    },
  },
  check(pod, { report }) {
    // Windows has no SELinux: RULES.md exempts Windows pods, as the restricted profile does for Linux-only controls.
    if (pod.isWindows) return;
    const { view } = pod.resource;
    for (const { setting, container } of writtenSettings(pod, 'seLinuxOptions')) {
      const where = container ? `Container "${container.name}"` : 'The pod';
      for (const key of ['type', 'user', 'role'] as const) {
        const field = nestedField(view, setting, key);
        if (!field || field.templated) continue;
        const value = scalarString(field.value);
        // An empty string is as good as unset (PSA allows "undefined/''"); `level` is always allowed.
        if (value === undefined || value === '' || (key === 'type' && ALLOWED_TYPES.has(value))) continue;
        report({ messageId: key, data: { where, value }, at: field.valueSpan, ...(container ? { containerKey: container.key } : {}) });
      }
    }
  },
});
