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
      const stage = dockerfile.stageOf(instruction);
      for (const source of copySources(instruction, dockerfile)) {
        // `ARG TOOL_URL=https://…` then `ADD $TOOL_URL /opt/`: the ARG default is what is downloaded.
        const url = stage ? dockerfile.expandAt(stage, instruction, source.value) : source.value;
        if (url !== undefined && HTTP_URL.test(url)) report({ messageId: 'unverified', data: { url }, at: source.span });
      }
    }
  },
});
