import { isNullValue } from '../source/yaml-view';
import type { ContainerSite } from './walker';

/**
 * Whether a container that should have the probe lacks it (RULES.md, probe rules). Probes run on
 * regular containers and sidecars (init containers with restartPolicy: Always); the API rejects
 * them on plain init containers and ephemeral containers. A pod that runs to completion (a Job's,
 * a CronJob's, a bare Pod that never restarts) serves no traffic and ends by itself: exempt.
 */
export function lacksProbe(container: ContainerSite, probeKey: 'livenessProbe' | 'readinessProbe'): boolean {
  if (container.kind !== 'container' && !container.isSidecar) return false;
  if (container.pod.runsToCompletion) return false;
  const probe = container.pod.resource.view.field(container.map, probeKey);
  if (probe && !isNullValue(probe.value)) return false;
  // A Helm action on a line of its own may add the probe.
  return probe !== undefined || !container.hasOpaqueContent;
}
