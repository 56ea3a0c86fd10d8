import { definePodRule } from '../define';
import { integerOf } from '../../source/yaml-view';
import { writtenSettings } from '../../kubernetes/security-profiles';

export default definePodRule({
  meta: {
    id: 'run-as-user-root',
    title: 'Containers must not run as user 0 (root)',
    description:
      'runAsUser: 0 runs the container as root whatever its image says. Root in a container owns every file of the image, can use all capabilities the container keeps, and is root on the host after a container escape.',
    severity: 'error',
    profile: 'restricted',
    hardening: true,
    pssControl: 'Running as Non-root user',
    pssSince: 'v1.23',
    fix: 'Set runAsUser to the configured non-root id',
    messages: {
      container: 'Container "{name}" sets runAsUser: 0 and runs as root.',
      pod: 'The pod sets runAsUser: 0; its containers that do not override it run as root.',
    },
  },
  check(pod, { config, report }) {
    // PSS restricted "Running as Non-root user": 0 is rejected at either level, even when every
    // container overrides the pod's value.
    for (const { setting, container } of writtenSettings(pod, 'runAsUser')) {
      if (setting.templated || integerOf(setting.value) !== 0) continue;
      report({
        messageId: container ? 'container' : 'pod',
        ...(container ? { data: { name: container.name }, containerKey: container.key } : {}),
        at: setting.valueSpan,
        fix: { title: `Set runAsUser: ${config.nonRootId}`, apply: (edit) => edit.replaceValue(setting, config.nonRootId) },
      });
    }
  },
});
