import { defineDockerfileRule } from '../define';
import { isTrustedRegistry } from '../../images/reference';
import { baseImages } from '../../dockerfile/base-images';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-untrusted-registry',
    title: 'Base images must come from a trusted registry',
    description:
      'A base image from an arbitrary registry brings in code nobody in your organisation has vetted or scanned. When `trustedRegistries` is configured, every FROM must name one of them (a registry host, optionally with a path prefix).',
    severity: 'error',
    profile: 'recommended',
    messages: {
      untrusted: 'FROM {image} comes from {registry}, which is not in trustedRegistries ({trusted}).',
    },
  },
  check(dockerfile, { config, report }) {
    // Inactive until a team lists its registries: every registry would be "untrusted" otherwise.
    if (config.trustedRegistries.length === 0) return;
    for (const { reference, at, label } of baseImages(dockerfile)) {
      if (isTrustedRegistry(reference, config.trustedRegistries)) continue;
      report({
        messageId: 'untrusted',
        data: { image: label, registry: reference.registry, trusted: config.trustedRegistries.join(', ') },
        at,
      });
    }
  },
});
