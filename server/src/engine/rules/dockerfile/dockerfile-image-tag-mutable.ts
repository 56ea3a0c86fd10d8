import { defineDockerfileRule } from '../define';
import { baseImageVersions } from '../../dockerfile/base-images';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-image-tag-mutable',
    title: 'Base images need a fixed tag',
    description:
      'A base image without a tag, or tagged latest, changes whenever its publisher pushes: the same Dockerfile builds different images from one day to the next, and a bad or malicious upstream push flows straight in. Name a version, or better, a digest.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      untagged: 'FROM {image} has no tag, so it means latest and changes with every push; name a version.',
      latest: 'FROM {image} uses the tag "latest", which changes with every push; name a version.',
    },
  },
  check(dockerfile, { report }) {
    for (const { tag, digest, at, label } of baseImageVersions(dockerfile)) {
      if (digest !== undefined) continue;
      if (tag === undefined) report({ messageId: 'untagged', data: { image: label }, at });
      else if (tag === 'latest') report({ messageId: 'latest', data: { image: label }, at });
    }
  },
});
