import { defineContainerRule } from '../define';
import { isNullValue } from '../../source/yaml-view';

export default defineContainerRule({
  meta: {
    id: 'liveness-probe-missing',
    title: 'Long-running containers should have a livenessProbe',
    description:
      'Without a livenessProbe the kubelet restarts a container only when its process exits; a hung or deadlocked app keeps running and keeps failing requests. Availability is part of security: a wedged process stays wedged, and keeps its resources, until someone notices.',
    severity: 'info',
    profile: 'strict',
    messages: {
      missing: 'Container "{name}" has no livenessProbe; the kubelet cannot restart it when it hangs.',
    },
  },
  check(container, { report }) {
    // Probes run on regular containers and sidecars (init containers with restartPolicy: Always);
    // the API rejects them on plain init containers and ephemeral containers.
    if (container.kind !== 'container' && !container.isSidecar) return;
    const probe = container.pod.resource.view.field(container.map, 'livenessProbe');
    if (probe && !isNullValue(probe.value)) return;
    // A Helm action on a line of its own may add the probe.
    if (!probe && container.hasOpaqueContent) return;
    report({ messageId: 'missing', data: { name: container.name }, at: container.nameSpan });
  },
});
