import { defineContainerRule } from '../define';
import { lacksProbe } from '../../kubernetes/probes';

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
    if (lacksProbe(container, 'livenessProbe')) report({ messageId: 'missing', data: { name: container.name }, at: container.nameSpan });
  },
});
