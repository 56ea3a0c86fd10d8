import { definePodRule, type FixRequest } from '../define';
import type { YamlEditor } from '../../fix/yaml-edits';
import { integerOf } from '../../source/yaml-view';
import type { SecuritySetting } from '../../kubernetes/security';
import { writtenSettings } from '../../kubernetes/security-profiles';

export default definePodRule({
  meta: {
    id: 'run-as-group-root',
    title: 'Pods and containers must not run with group 0 (root)',
    description:
      'The root group (GID 0) can read and write every file that is group-owned by root: in the image, on shared volumes and, after an escape, on the host. runAsGroup, fsGroup and supplementalGroups set to 0 hand that group to the container processes even when the user is not root.',
    severity: 'warning',
    profile: 'recommended',
    fix: 'Set the group to the configured non-root id',
    messages: {
      container: 'Container "{name}" sets runAsGroup: 0 and runs with the root group.',
      pod: 'The pod sets runAsGroup: 0; its containers that do not override it run with the root group.',
      fsGroup: 'The pod sets fsGroup: 0; its volumes become owned by the root group and every container joins it.',
      supplementalGroups: 'The pod adds group 0 (root) to supplementalGroups; every container joins the root group.',
    },
  },
  check(pod, { config, report }) {
    const isRootGroup = (setting: SecuritySetting | undefined): setting is SecuritySetting => setting !== undefined && !setting.templated && integerOf(setting.value) === 0;
    const replaceWith = (setting: SecuritySetting): FixRequest<YamlEditor> => ({
      title: `Set ${setting.key}: ${config.nonRootId}`,
      apply: (edit) => edit.replaceValue(setting, config.nonRootId),
    });
    // Explicit values are reported where they are written, even when every container overrides
    // the pod's runAsGroup (RULES.md, "Kubernetes semantics").
    for (const { setting, container } of writtenSettings(pod, 'runAsGroup')) {
      if (!isRootGroup(setting)) continue;
      report({
        messageId: container ? 'container' : 'pod',
        ...(container ? { data: { name: container.name }, containerKey: container.key } : {}),
        at: setting.valueSpan,
        fix: replaceWith(setting),
      });
    }
    const fsGroup = pod.security.get('fsGroup');
    if (isRootGroup(fsGroup)) report({ messageId: 'fsGroup', at: fsGroup.valueSpan, fix: replaceWith(fsGroup) });
    const supplemental = pod.security.get('supplementalGroups');
    if (supplemental && !supplemental.templated) {
      const { view } = pod.resource;
      view.items(view.asSeq(supplemental.value), supplemental.editable).forEach((item, index) => {
        if (integerOf(item.node) !== 0) return;
        // Behind an alias the item is reported where the alias is written.
        const at = supplemental.editable ? item.span : supplemental.valueSpan;
        report({
          messageId: 'supplementalGroups',
          at,
          fix: { title: `Replace group 0 with ${config.nonRootId}`, apply: (edit) => edit.replaceListItem(supplemental, index, config.nonRootId) },
        });
      });
    }
  },
});
