import { defineDockerfileRule } from '../define';
import { baseImageVersions } from '../../dockerfile/base-images';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-image-not-pinned',
    title: 'Base images should be pinned by digest',
    description:
      'Even a version tag can be moved to other content by whoever controls the repository. A `@sha256:` digest names exactly one image, so the build is reproducible and a re-pushed tag cannot change it.',
    severity: 'info',
    profile: 'strict',
    messages: {
      unpinned: 'FROM {image} is not pinned by digest; add @sha256:… so the base image cannot change under the same tag.',
    },
  },
  check(dockerfile, { report }) {
    for (const { digest, at, label } of baseImageVersions(dockerfile)) {
      if (digest === undefined) report({ messageId: 'unpinned', data: { image: label }, at });
    }
  },
});
