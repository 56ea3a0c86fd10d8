import { definePodRule, type FixRequest } from '../define';
import type { YamlEditor } from '../../fix/yaml-edits';
import { integerOf } from '../../source/yaml-view';
import type { SecuritySetting } from '../../kubernetes/security';

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
    fix: 'Set runAsUser to the configured non-root id',
    messages: {
      container: 'Container "{name}" sets runAsUser: 0 and runs as root.',
      pod: 'The pod sets runAsUser: 0; its containers that do not override it run as root.',
    },
  },
  check(pod, { config, report }) {
    const isRoot = (setting: SecuritySetting | undefined): setting is SecuritySetting => setting !== undefined && !setting.templated && integerOf(setting.value) === 0;
    const fix = (setting: SecuritySetting): FixRequest<YamlEditor> => ({
      title: `Set runAsUser: ${config.nonRootId}`,
      apply: (edit) => edit.replaceValue(setting, config.nonRootId),
    });
    // PSS restricted "Running as Non-root user": 0 is rejected at either level, even when every
    // container overrides the pod's value.
    const podSetting = pod.security.get('runAsUser');
    if (isRoot(podSetting)) report({ messageId: 'pod', at: podSetting.valueSpan, fix: fix(podSetting) });
    for (const container of pod.containers) {
      const own = container.security.own('runAsUser');
      if (!isRoot(own)) continue;
      report({ messageId: 'container', data: { name: container.name }, at: own.valueSpan, containerKey: container.key, fix: fix(own) });
    }
  },
});
