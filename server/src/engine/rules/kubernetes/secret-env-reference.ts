import { defineContainerRule } from '../define';
import type { Field } from '../../source/yaml-view';
import { envItems } from '../../kubernetes/env';

export default defineContainerRule({
  meta: {
    id: 'secret-env-reference',
    title: 'Secrets should be mounted as files, not exposed as environment variables',
    description:
      'A Secret passed through an environment variable is visible to every process in the container, inherited by child processes, and often ends up in logs, crash reports and debugging output. A Secret volume keeps the value in a file the app reads when it needs it, and the kubelet updates it when the Secret rotates.',
    severity: 'info',
    profile: 'strict',
    messages: {
      keyRef: 'Container "{container}" reads Secret "{secret}" into the environment variable {name}; mount it as a file instead.',
      envFrom: 'Container "{container}" loads every key of Secret "{secret}" into its environment; mount it as a file instead.',
    },
  },
  check(container, { report }) {
    const { view } = container.pod.resource;
    const secretNameOf = (reference: Field): string => view.getDisplay(view.asMap(reference.value), 'name') ?? '(unnamed)';
    for (const entry of envItems(container, 'env')) {
      const keyRef = view.field(view.getMap(entry.map, 'valueFrom'), 'secretKeyRef');
      if (!keyRef) continue;
      const name = view.getDisplay(entry.map, 'name') ?? '(unnamed)';
      report({
        messageId: 'keyRef',
        data: { container: container.name, name, secret: secretNameOf(keyRef) },
        at: entry.aliasSpan ?? keyRef.keySpan,
      });
    }
    for (const source of envItems(container, 'envFrom')) {
      const secretRef = view.field(source.map, 'secretRef');
      if (!secretRef) continue;
      report({ messageId: 'envFrom', data: { container: container.name, secret: secretNameOf(secretRef) }, at: source.aliasSpan ?? secretRef.keySpan });
    }
  },
});
