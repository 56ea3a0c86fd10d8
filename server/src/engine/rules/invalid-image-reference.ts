import { defineContainerRule, defineDockerfileRule, defineKubernetesAndDockerfileRule, type RuleMeta } from './define';
import { isImageReferenceError } from '../images/reference';
import { containerImage } from '../kubernetes/container-image';
import { malformedBaseImages } from '../dockerfile/base-images';

/** One meta for both checks: the same finding whether a container or a FROM names the image. */
const meta: Omit<RuleMeta, 'kind'> = {
  id: 'invalid-image-reference',
  title: 'The image reference does not follow the image reference grammar',
  description:
    'A malformed image reference fails to pull, and no image rule can judge where it comes from or whether it is pinned.',
  severity: 'warning',
  profile: 'always',
  messages: {
    malformed: 'Image "{image}" is not a valid image reference: {reason}.',
  },
};

export default defineKubernetesAndDockerfileRule({
  kubernetes: defineContainerRule({
    meta,
    check(container, { report }) {
      const image = containerImage(container);
      if (!image || !isImageReferenceError(image.parsed)) return;
      report({ messageId: 'malformed', data: { image: image.text, reason: image.parsed.error }, at: image.span });
    },
  }),
  // Every stage: `docker build` stops at the first base image it cannot pull, builder stages included.
  dockerfile: defineDockerfileRule({
    meta,
    check(dockerfile, { report }) {
      for (const { at, label, reason } of malformedBaseImages(dockerfile)) {
        report({ messageId: 'malformed', data: { image: label, reason }, at });
      }
    },
  }),
});
