import { defineContainerRule } from '../define';
import { isImageReferenceError } from '../../images/reference';
import { containerImage } from '../../kubernetes/container-image';

export default defineContainerRule({
  meta: {
    id: 'invalid-image-reference',
    title: 'The image reference does not follow the image reference grammar',
    description:
      'A malformed image reference fails to pull, and no image rule can judge where it comes from or whether it is pinned.',
    severity: 'warning',
    profile: 'always',
    messages: {
      malformed: 'Image "{image}" is not a valid image reference: {reason}.',
    },
  },
  check(container, { report }) {
    const image = containerImage(container);
    if (!image || !isImageReferenceError(image.parsed)) return;
    report({ messageId: 'malformed', data: { image: image.text, reason: image.parsed.error }, at: image.span });
  },
});
