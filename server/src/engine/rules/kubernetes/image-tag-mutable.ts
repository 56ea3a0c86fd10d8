import { defineContainerRule } from '../define';
import { judgedImage } from '../../kubernetes/container-image';

export default defineContainerRule({
  meta: {
    id: 'image-tag-mutable',
    title: 'Images must name a fixed tag or a digest, not latest',
    description:
      'An image without a tag means :latest, and latest is moved by every push: the same manifest runs different code on each node and each restart, and a compromised or broken upstream image rolls out without review.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      noTag: 'Image "{image}" has no tag, so it means :latest and can change under you; name a version or pin a digest.',
      latest: 'Image "{image}" uses the mutable tag "latest"; name a version or pin a digest.',
    },
  },
  check(container, { report }) {
    const image = judgedImage(container);
    if (!image?.hasKnownTagAndDigest) return;
    // A digest fixes the content whatever the tag says (RULES.md, "Images").
    const { tag, digest } = image.parsed;
    if (digest !== undefined) return;
    if (tag === undefined) report({ messageId: 'noTag', data: { image: image.text }, at: image.span });
    else if (tag === 'latest') report({ messageId: 'latest', data: { image: image.text }, at: image.span });
  },
});
