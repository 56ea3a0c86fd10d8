import { isScalar, type Node } from 'yaml';
import { definePodRule } from '../define';
import { booleanOf, scalarString } from '../../source/yaml-view';
import { effectiveSetting, explicitSetting } from '../../kubernetes/security-profiles';
import type { YamlEditor } from '../../fix/yaml-edits';

/** The value as the message shows it: a quoted string stays quoted, so `"true"` reads as a string. */
function describeValue(node: Node | null): string {
  if (isScalar(node) && typeof node.value === 'string') return JSON.stringify(node.value);
  return scalarString(node) ?? 'a collection';
}

export default definePodRule({
  meta: {
    id: 'run-as-non-root-unset',
    title: 'Containers must set runAsNonRoot: true',
    description:
      'Unless runAsNonRoot is true for a container, the kubelet starts it as whatever user the image names, and most images run as root. With runAsNonRoot: true the kubelet refuses to start a container whose user is root, so a forgotten USER line in a Dockerfile cannot hand root to an attacker.',
    severity: 'warning',
    profile: 'restricted',
    hardening: true,
    pssControl: 'Running as Non-root',
    fix: 'Add runAsNonRoot: true',
    messages: {
      unset: 'Container "{name}" does not set runAsNonRoot: true (neither does the pod); it runs as root if its image does.',
      disabled: 'Container "{name}" sets runAsNonRoot: {value}; only true makes the kubelet refuse to run it as root.',
      podDisabled: 'The pod sets runAsNonRoot: {value}; only true makes the kubelet refuse to run its containers as root.',
    },
  },
  check(pod, { report, config }) {
    // RULES.md exempts Windows pods, which run under Windows user names rather than Linux UIDs.
    if (pod.isWindows) return;
    const podSetting = explicitSetting(pod.security.get('runAsNonRoot'));
    if (podSetting && !podSetting.templated && booleanOf(podSetting.value) !== true) {
      report({
        messageId: 'podDisabled',
        data: { value: describeValue(podSetting.value) },
        at: podSetting.valueSpan,
        fix: { apply: (edit) => edit.replaceValue(podSetting, true) },
      });
    }
    for (const container of pod.containers) {
      // Harden container sets a numeric user too: with a named or root USER in the image,
      // runAsNonRoot alone would stop the container from starting (RULES.md, "Harden container").
      const pinUser = (edit: YamlEditor): void => {
        if (effectiveSetting(container, 'runAsUser') === undefined) edit.setIn(container, ['securityContext', 'runAsUser'], config.nonRootId);
      };
      const own = explicitSetting(container.security.own('runAsNonRoot'));
      if (own) {
        if (own.templated || booleanOf(own.value) === true) continue;
        // An explicit non-true value is reported where it is written, even over a pod-level true.
        report({
          messageId: 'disabled',
          data: { name: container.name, value: describeValue(own.value) },
          at: own.valueSpan,
          containerKey: container.key,
          fix: { apply: (edit) => edit.replaceValue(own, true), applyWhenHardening: pinUser },
        });
        continue;
      }
      // A pod-level value is in force: true passes, anything else is reported at the pod above.
      if (effectiveSetting(container, 'runAsNonRoot') !== undefined) continue;
      if (container.security.effectiveUnknown) continue;
      report({
        messageId: 'unset',
        data: { name: container.name },
        at: container.nameSpan,
        containerKey: container.key,
        fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'runAsNonRoot'], true), applyWhenHardening: pinUser },
      });
    }
  },
});
