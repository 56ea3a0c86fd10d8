import { defineContainerRule } from '../define';
import type { YamlValue } from '../../fix/yaml-edits';
import { parseQuantity } from '../../kubernetes/quantity';
import { describeResources, podLevelCovers, readResourceAmount, RESOURCE_NAMES, type ResourceName } from '../../kubernetes/resources';

export default defineContainerRule({
  meta: {
    id: 'resource-requests-missing',
    title: 'Containers should set CPU and memory requests',
    description:
      'Requests are what the scheduler reserves for a container. Without them it packs pods onto nodes that cannot run them, the container gets the lowest share of CPU under contention, and it is among the first evicted when memory runs short.',
    severity: 'info',
    profile: 'recommended',
    hardening: true,
    fix: 'Add the missing resource requests',
    messages: {
      missing: 'Container "{name}" sets no {resources} request (resources.requests); the scheduler reserves nothing for it.',
    },
  },
  check(container, { config, report }) {
    // The API forbids resources on ephemeral containers.
    if (container.kind === 'ephemeralContainer') return;
    const missing = RESOURCE_NAMES.filter((name) => {
      if (podLevelCovers(container.pod, 'requests', name) || podLevelCovers(container.pod, 'limits', name)) return false;
      const request = readResourceAmount(container, 'requests', name);
      if (request.state === 'zero') return true;
      if (request.state !== 'absent') return false;
      // An unset request defaults to the limit (Kubernetes API defaulting), so a limit covers it.
      const limit = readResourceAmount(container, 'limits', name);
      return limit.state === 'absent' || limit.state === 'zero';
    });
    if (missing.length === 0) return;
    const requests: Record<string, YamlValue> = {};
    for (const name of missing) requests[name] = requestToAdd(name);
    report({
      messageId: 'missing',
      data: { name: container.name, resources: describeResources(missing) },
      at: container.nameSpan,
      fix: { apply: (edit) => edit.setIn(container, ['resources', 'requests'], requests) },
    });

    /**
     * The configured default, lowered to the limit when it is above it, so that request ≤ limit;
     * without a limit, the default limit resource-limits-missing would add is the bound.
     */
    function requestToAdd(name: ResourceName): YamlValue {
      const byDefault = config.defaults.requests[name];
      const limit = readResourceAmount(container, 'limits', name);
      const bound: YamlValue = limit.state === 'set' && limit.quantity !== undefined ? limit.written : config.defaults.limits[name];
      const boundQuantity = parseQuantity(String(bound));
      const defaultQuantity = parseQuantity(byDefault);
      if (boundQuantity === undefined || defaultQuantity === undefined) return byDefault;
      return defaultQuantity > boundQuantity ? bound : byDefault;
    }
  },
});
