import type { YAMLMap } from 'yaml';
import type { Span } from '../../types';
import type { KubernetesRule } from '../define';
import { isRuleOn } from '../../config';
import { displayName } from '../../kubernetes/resource-name';
import { envItems, literalCredentialEnv } from '../../kubernetes/env';
import { findCredentials } from '../../secrets/credential-formats';
import { scalarString } from '../../source/yaml-view';
import type { KubeResource } from '../../kubernetes/walker';
import secretInEnv from './secret-in-env';

/** Container lists whose items are passed to the process as written. */
const ARGUMENT_LISTS = ['command', 'args'] as const;

const rule: KubernetesRule = {
  meta: {
    id: 'hardcoded-credential',
    kind: 'kubernetes',
    title: 'Manifests must not hold literal credentials',
    description:
      'A value shaped like a well-known credential (an AWS access key ID, a GitHub, GitLab, Slack or Stripe token, a Google API key, a PEM private key, a signed JWT) is written in the manifest, whatever the name of the field that holds it. Everyone who can read the repository, its history or the object in the cluster can use it; credentials belong in Secrets created outside the repository.',
    severity: 'error',
    profile: 'recommended',
    messages: {
      env: 'Container "{container}" sets {name} to what looks like {format}; read it from a Secret instead of writing it in the manifest.',
      argument: 'Container "{container}" passes what looks like {format} in its {list}; read it from a Secret (an env var from secretKeyRef, or a mounted file).',
      configMap: 'ConfigMap "{name}" holds what looks like {format} under {key}; credentials belong in a Secret created outside the repository.',
      annotation: '{kind} "{name}" has what looks like {format} in its annotation {key}; annotations are readable by anyone who can read the object.',
    },
  },
  check({ resource, pods }, { config, report }) {
    const { view, text } = resource;
    // The message names the format and where it is written, never the value.
    const reportIn = (value: string | undefined, at: Span, messageId: string, data: Record<string, string>): void => {
      if (value === undefined) return;
      for (const match of findCredentials(value)) {
        report({ messageId, data: { ...data, format: match.description }, at: spanOfMatch(text, at, value.slice(match.index, match.index + match.length)) });
      }
    };
    // RULES.md: an env entry that secret-in-env already reports is not reported again.
    const secretInEnvReports = isRuleOn(secretInEnv.meta, config);
    for (const pod of pods) {
      for (const container of pod.containers) {
        for (const entry of envItems(container, 'env')) {
          if (secretInEnvReports && literalCredentialEnv(view, entry)) continue;
          const valueField = view.field(entry.map, 'value');
          if (!valueField) continue;
          const name = view.getDisplay(entry.map, 'name') ?? '(unnamed)';
          reportIn(scalarString(valueField.value), entry.aliasSpan ?? valueField.valueSpan, 'env', { container: container.name, name });
        }
        for (const list of ARGUMENT_LISTS) {
          for (const item of view.items(view.getSeq(container.map, list))) {
            reportIn(scalarString(item.node), item.span, 'argument', { container: container.name, list });
          }
        }
      }
    }
    if (resource.kind === 'ConfigMap' && resource.apiVersion === 'v1') {
      for (const field of view.fields(view.getMap(resource.root, 'data'))) {
        reportIn(scalarString(field.value), field.valueSpan, 'configMap', { name: displayName(resource), key: field.key });
      }
    }
    for (const metadata of annotatedMetadata(resource, pods.map((pod) => pod.podMetadata))) {
      for (const field of view.fields(view.getMap(metadata, 'annotations'))) {
        reportIn(scalarString(field.value), field.valueSpan, 'annotation', { kind: resource.kind, name: displayName(resource), key: field.key });
      }
    }
  },
};

export default rule;

/** The resource's metadata and its pod templates' own, each once. */
function annotatedMetadata(resource: KubeResource, podMetadata: ReadonlyArray<YAMLMap | undefined>): YAMLMap[] {
  return [...new Set([resource.metadata, ...podMetadata])].filter((map): map is YAMLMap => map !== undefined);
}

/**
 * The credential itself where it is written in the value's text, so the squiggle covers the token;
 * the whole value when quoting or folding wrote it differently (or it is reached through an alias).
 */
function spanOfMatch(text: string, value: Span, credential: string): Span {
  const at = text.slice(value.start, value.end).indexOf(credential);
  return at < 0 ? value : { start: value.start + at, end: value.start + at + credential.length };
}
