import { defineContainerRule } from '../define';
import { judgedImage } from '../../kubernetes/container-image';

export default defineContainerRule({
  meta: {
    id: 'image-not-pinned',
    title: 'Images should be pinned by digest',
    description:
      'Every tag, not only latest, can be moved to other content by whoever can push to the repository. Only a digest (@sha256:…) names exactly the image that was reviewed, so a registry compromise or a re-pushed tag cannot change what runs.',
    severity: 'info',
    profile: 'strict',
    messages: {
      notPinned: 'Image "{image}" is not pinned by digest; add @sha256:<digest> so the content cannot change under the tag.',
    },
  },
  check(container, { report }) {
    const image = judgedImage(container);
    if (!image?.hasKnownTagAndDigest) return;
    if (image.parsed.digest === undefined) report({ messageId: 'notPinned', data: { image: image.text }, at: image.span });
  },
});
