import { Add } from 'dockerfile-ast';
import { defineDockerfileRule } from '../define';
import { allCopies, copySources, flagsOf } from '../../parse/dockerfile';

const HTTP_URL = /^https?:\/\//i;

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-add-remote-url',
    title: 'ADD of a URL must verify a checksum',
    description:
      'ADD downloads a URL at build time without checking what it got: a compromised or changed server puts whatever it likes into the image. `ADD --checksum=sha256:…` makes the build fail when the content changes.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      unverified: 'ADD downloads {url} without --checksum; the build cannot tell if the file changed or was tampered with.',
    },
  },
  check(dockerfile, { report }) {
    for (const instruction of allCopies(dockerfile)) {
      if (!(instruction instanceof Add)) continue;
      if (flagsOf(instruction).some((flag) => flag.getName() === 'checksum')) continue;
      for (const source of copySources(instruction, dockerfile)) {
        if (HTTP_URL.test(source.value)) report({ messageId: 'unverified', data: { url: source.value }, at: source.span });
      }
    }
  },
});
