import { definePodRule } from '../define';
import { booleanOf } from '../../source/yaml-view';
import type { SecuritySetting } from '../../kubernetes/security';
import { writtenSettings } from '../../kubernetes/security-profiles';
import type { KubeResource } from '../../kubernetes/walker';
import type { Span } from '../../types';

export default definePodRule({
  meta: {
    id: 'windows-host-process',
    title: 'Windows pods must not run as HostProcess containers',
    description:
      'A Windows HostProcess container runs directly on the node, outside any container isolation, with access to the host\'s file system, network and processes, usually as SYSTEM. It is the Windows counterpart of a privileged container.',
    severity: 'error',
    profile: 'baseline',
    pssControl: 'HostProcess',
    fix: 'Set hostProcess: false',
    messages: {
      podHostProcess: 'The pod sets windowsOptions.hostProcess: true: its containers run directly on the Windows node, without isolation.',
      containerHostProcess: 'Container "{name}" sets windowsOptions.hostProcess: true: it runs directly on the Windows node, without isolation.',
    },
  },
  check(pod, { report }) {
    // PSS baseline "HostProcess": windowsOptions.hostProcess must be unset or false, at pod level
    // and in every container (explicit values are reported where they are written).
    const { resource } = pod;
    for (const { setting: windowsOptions, container } of writtenSettings(pod, 'windowsOptions')) {
      const hostProcess = hostProcessIn(resource, windowsOptions);
      if (!hostProcess) continue;
      report({
        messageId: container ? 'containerHostProcess' : 'podHostProcess',
        ...(container ? { data: { name: container.name }, containerKey: container.key } : {}),
        at: findingSpan(windowsOptions, hostProcess, container && !container.editable ? container.nameSpan : undefined),
        fix: { apply: (edit) => edit.replaceValue(hostProcess, false) },
      });
    }
  },
});

/** The `hostProcess: true` inside a windowsOptions setting, editable only if the setting is. */
function hostProcessIn(resource: KubeResource, windowsOptions: SecuritySetting): SecuritySetting | undefined {
  const field = resource.view.field(resource.view.asMap(windowsOptions.value), 'hostProcess');
  if (!field || field.templated || booleanOf(field.value) !== true) return undefined;
  return { ...field, editable: field.editable && windowsOptions.editable, level: windowsOptions.level };
}

/**
 * Where a finding lands: at the value, or where the first alias on the way is written (the
 * container item, or the windowsOptions alias), as the walker does for container names.
 */
function findingSpan(windowsOptions: SecuritySetting, hostProcess: SecuritySetting, containerAlias?: Span): Span {
  if (containerAlias) return containerAlias;
  return windowsOptions.editable ? hostProcess.valueSpan : windowsOptions.valueSpan;
}
