import { defineContainerRule } from '../define';
import type { YamlValue } from '../../fix/yaml-edits';
import { parseQuantity } from '../../kubernetes/quantity';
import { describeResources, podLevelCovers, readResourceAmount, RESOURCE_NAMES, type ResourceName } from '../../kubernetes/resources';

export default defineContainerRule({
  meta: {
    id: 'resource-limits-missing',
    title: 'Containers should set CPU and memory limits',
    description:
      'Without limits a container can take all the CPU and memory of its node: a bug, a leak or an attacker (a cryptominer, a denial of service) starves every other workload there, and memory pressure makes the kubelet evict pods.',
    severity: 'warning',
    profile: 'recommended',
    hardening: true,
    fix: 'Add the missing resource limits',
    messages: {
      missing: 'Container "{name}" sets no {resources} limit (resources.limits); it can exhaust its node and starve other workloads.',
    },
  },
  check(container, { config, report }) {
    // The API forbids resources on ephemeral containers.
    if (container.kind === 'ephemeralContainer') return;
    const missing = RESOURCE_NAMES.filter((name) => {
      const limit = readResourceAmount(container, 'limits', name);
      return (limit.state === 'absent' || limit.state === 'zero') && !podLevelCovers(container.pod, 'limits', name);
    });
    if (missing.length === 0) return;
    const limits: Record<string, YamlValue> = {};
    for (const name of missing) limits[name] = limitToAdd(name);
    report({
      messageId: 'missing',
      data: { name: container.name, resources: describeResources(missing) },
      at: container.nameSpan,
      fix: { apply: (edit) => edit.setIn(container, ['resources', 'limits'], limits) },
    });

    /** The configured default, raised to an existing request above it so that request ≤ limit. */
    function limitToAdd(name: ResourceName): YamlValue {
      const byDefault = config.defaults.limits[name];
      const request = readResourceAmount(container, 'requests', name);
      const defaultQuantity = parseQuantity(byDefault);
      if (request.state !== 'set' || request.quantity === undefined || defaultQuantity === undefined) return byDefault;
      return request.quantity > defaultQuantity ? request.written : byDefault;
    }
  },
});
