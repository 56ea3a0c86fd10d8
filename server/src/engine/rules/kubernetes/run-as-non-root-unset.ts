import { isScalar, type Node } from 'yaml';
import { definePodRule, type FixRequest } from '../define';
import { booleanOf, integerOf, isNullValue, scalarString } from '../../source/yaml-view';
import { effectiveSetting, explicitSetting } from '../../kubernetes/security-profiles';
import type { ContainerSite, PodSpecSite } from '../../kubernetes/walker';
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
    const id = config.nonRootId;
    const podSetting = explicitSetting(pod.security.get('runAsNonRoot'));
    if (podSetting && !podSetting.templated && booleanOf(podSetting.value) !== true) {
      // The pod's true reaches every container without a runAsNonRoot of its own.
      const inheriting = pod.containers.filter((container) => explicitSetting(container.security.own('runAsNonRoot')) === undefined);
      const pins = inheriting.filter((container) => userInEffect(container) === 'missing');
      report({
        messageId: 'podDisabled',
        data: { value: describeValue(podSetting.value) },
        at: podSetting.valueSpan,
        fix: withUser(
          pins.length > 0,
          id,
          (edit) => edit.replaceValue(podSetting, true),
          (edit) => pinPodUser(edit, pod, pins, id),
        ),
      });
    }
    for (const container of pod.containers) {
      const pin = userInEffect(container) === 'missing';
      const pinUser = (edit: YamlEditor): void => edit.setIn(container, ['securityContext', 'runAsUser'], id);
      const own = explicitSetting(container.security.own('runAsNonRoot'));
      if (own) {
        if (own.templated || booleanOf(own.value) === true) continue;
        // An explicit non-true value is reported where it is written, even over a pod-level true.
        report({
          messageId: 'disabled',
          data: { name: container.name, value: describeValue(own.value) },
          at: own.valueSpan,
          containerKey: container.key,
          fix: withUser(pin, id, (edit) => edit.replaceValue(own, true), pinUser),
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
        // One edit for both keys, so a missing securityContext is created once.
        fix: {
          title: pin ? `Add runAsNonRoot: true and runAsUser: ${id}` : 'Add runAsNonRoot: true',
          apply: (edit) => edit.setIn(container, ['securityContext'], pin ? { runAsNonRoot: true, runAsUser: id } : { runAsNonRoot: true }),
        },
      });
    }
  },
});

/**
 * Whether the kubelet can verify the user a container runs as: `usable` for a non-zero numeric
 * runAsUser in force, `unknown` when a Helm action may supply it (or it is not a number the fix
 * should touch), `missing` when none is in force or it is root. With runAsNonRoot: true and no
 * numeric user, the kubelet refuses an image whose USER is a name; with user 0 it refuses always.
 */
function userInEffect(container: ContainerSite): 'usable' | 'unknown' | 'missing' {
  if (container.security.effectiveUnknown) return 'unknown';
  const user = effectiveSetting(container, 'runAsUser');
  if (!user) return 'missing';
  if (user.templated) return 'unknown';
  const uid = integerOf(user.value);
  if (uid === undefined) return 'unknown';
  return uid === 0 ? 'missing' : 'usable';
}

/** The fix, and runAsUser (the configured id) beside runAsNonRoot when no usable user is in force. */
function withUser(pin: boolean, id: number, setTrue: (edit: YamlEditor) => void, pinUser: (edit: YamlEditor) => void): FixRequest<YamlEditor> {
  if (!pin) return { title: 'Set runAsNonRoot: true', apply: setTrue };
  return {
    title: `Set runAsNonRoot: true and runAsUser: ${id}`,
    apply: (edit) => {
      setTrue(edit);
      pinUser(edit);
    },
  };
}

/**
 * Gives the pod's inheriting containers a usable user: the pod's runAsUser when it is missing or
 * root, and a container's own when that is root (the pod's value does not reach it).
 */
function pinPodUser(edit: YamlEditor, pod: PodSpecSite, containers: readonly ContainerSite[], id: number): void {
  const podUser = pod.security.get('runAsUser');
  const podUserUsable = podUser !== undefined && !isNullValue(podUser.value) && integerOf(podUser.value) !== 0;
  let podPinned = false;
  for (const container of containers) {
    const own = explicitSetting(container.security.own('runAsUser'));
    if (own) {
      edit.setIn(container, ['securityContext', 'runAsUser'], id);
    } else if (!podUserUsable && !podPinned) {
      podPinned = true;
      edit.setIn({ map: pod.spec, editable: pod.editable }, ['securityContext', 'runAsUser'], id);
    }
  }
}
