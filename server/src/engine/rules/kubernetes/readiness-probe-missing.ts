import { defineContainerRule } from '../define';
import { lacksProbe } from '../../kubernetes/probes';

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
    if (lacksProbe(container, 'readinessProbe')) report({ messageId: 'missing', data: { name: container.name }, at: container.nameSpan });
  },
});
