import { defineContainerRule } from '../define';
import { isNullValue } from '../../source/yaml-view';

export default defineContainerRule({
  meta: {
    id: 'readiness-probe-missing',
    title: 'Long-running containers should have a readinessProbe',
    description:
      'Without a readinessProbe a container receives Service traffic as soon as it starts and keeps receiving it while it is overloaded or not yet initialised. Requests then fail or reach an app that has not loaded its configuration, and rollouts cannot tell a broken version from a working one.',
    severity: 'info',
    profile: 'strict',
    messages: {
      missing: 'Container "{name}" has no readinessProbe; it gets traffic before it is ready and while it is failing.',
    },
  },
  check(container, { report }) {
    // Probes run on regular containers and sidecars (init containers with restartPolicy: Always);
    // the API rejects them on plain init containers and ephemeral containers.
    if (container.kind !== 'container' && !container.isSidecar) return;
    const probe = container.pod.resource.view.field(container.map, 'readinessProbe');
    if (probe && !isNullValue(probe.value)) return;
    // A Helm action on a line of its own may add the probe.
    if (!probe && container.hasOpaqueContent) return;
    report({ messageId: 'missing', data: { name: container.name }, at: container.nameSpan });
  },
});
