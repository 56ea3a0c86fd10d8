import { defineContainerRule } from '../define';
import { isTrustedRegistry } from '../../images/reference';
import { judgedImage } from '../../kubernetes/container-image';

export default defineContainerRule({
  meta: {
    id: 'untrusted-registry',
    title: 'Images must come from a trusted registry',
    description:
      'Images from registries the team does not control or vet can carry malware, cryptominers or typosquatted names. Listing the allowed registries (trustedRegistries) makes every other source visible in review; the rule is inactive while the list is empty.',
    severity: 'error',
    profile: 'recommended',
    messages: {
      untrusted: 'Image "{image}" ({source}) is not under any entry of trustedRegistries ({trusted}).',
    },
  },
  check(container, { config, report }) {
    if (config.trustedRegistries.length === 0) return;
    const image = judgedImage(container);
    if (!image) return;
    if (isTrustedRegistry(image.parsed, config.trustedRegistries)) return;
    report({
      messageId: 'untrusted',
      data: { image: image.text, source: image.parsed.name, trusted: config.trustedRegistries.join(', ') },
      at: image.span,
    });
  },
});
