import type { Span } from '../../types';
import { defineContainerRule } from '../define';
import { containsValueMask } from '../../parse/helm-mask';
import { envItems, literalCredentialEnv } from '../../kubernetes/env';

export default defineContainerRule({
  meta: {
    id: 'secret-in-env',
    title: 'Credentials must not be written as literal environment values',
    description:
      'An env entry whose name says it holds a credential (password, token, API key, ...) has its value written in the manifest. Anyone who can read the manifest, its Git history or the pod spec (get pods) can read the credential; a Secret referenced with valueFrom.secretKeyRef keeps it out of the source and under RBAC.',
    severity: 'error',
    profile: 'recommended',
    fix: 'Read the value from a Secret (valueFrom.secretKeyRef)',
    messages: {
      literal: 'Container "{container}" sets {name} to a literal value; read it from a Secret with valueFrom.secretKeyRef.',
    },
  },
  check(container, { report }) {
    const { view, name: workloadName, text } = container.pod.resource;
    for (const entry of envItems(container, 'env')) {
      const literal = literalCredentialEnv(view, entry);
      if (!literal) continue;
      const { name, valueField } = literal;
      report({
        messageId: 'literal',
        data: { container: container.name, name },
        at: entry.aliasSpan ?? withoutTrailingSpace(text, valueField.valueSpan),
        fix: {
          apply: (edit) => {
            if (workloadName === undefined || containsValueMask(workloadName)) {
              edit.refuse('the workload has no literal name to derive the Secret name from');
              return;
            }
            if (view.field(entry.map, 'valueFrom')) {
              edit.refuse('the entry already has valueFrom next to value');
              return;
            }
            const secretKeyRef = { name: `${workloadName}-secrets`, key: secretKeyOf(name) };
            edit.replaceField(valueField, { map: entry.map, editable: entry.editable }, 'valueFrom', { secretKeyRef });
          },
        },
      });
    }
  },
});

/** A block scalar's span runs past its last line break; the finding covers the value's text only. */
function withoutTrailingSpace(text: string, span: Span): Span {
  return { start: span.start, end: span.start + text.slice(span.start, span.end).trimEnd().length };
}

/** The Secret key the fix points at: `DB_PASSWORD` -> `db-password` (RULES.md, secret-in-env). */
function secretKeyOf(envName: string): string {
  return envName.toLowerCase().replace(/_/g, '-');
}
