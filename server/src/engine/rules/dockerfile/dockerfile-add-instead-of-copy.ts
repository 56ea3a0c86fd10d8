import { Add } from 'dockerfile-ast';
import { defineDockerfileRule } from '../define';
import { allCopies, copySources, flagsOf } from '../../parse/dockerfile';

/** What ADD unpacks: tar archives, plain or compressed (https://docs.docker.com/reference/dockerfile/#adding-local-tar-archives). */
const ARCHIVE = /\.(?:tar|tgz|taz|tbz|tbz2|tb2|txz|tlz|tzst|gz|bz2|xz|zst|lz|lzma|z)$/i;
/** A URL or git remote: ADD downloads it, which is another rule's concern. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@)/i;
/** Flags COPY accepts as well; an ADD with other flags (`--checksum`, `--keep-git-dir`) is not rewritten. */
const COPY_FLAGS: ReadonlySet<string> = new Set(['chown', 'chmod', 'link', 'exclude', 'parents']);

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-add-instead-of-copy',
    title: 'Use COPY for local files, not ADD',
    description:
      'ADD also unpacks archives and fetches URLs, so a file that looks like an archive is silently extracted into the image. COPY does only what it says, which keeps the build predictable.',
    severity: 'warning',
    profile: 'recommended',
    fix: 'Replace ADD with COPY',
    safeFix: true,
    messages: {
      useCopy: 'ADD copies local files here; use COPY, which does not unpack archives or fetch URLs.',
    },
  },
  check(dockerfile, { report }) {
    for (const instruction of allCopies(dockerfile)) {
      if (!(instruction instanceof Add)) continue;
      const sources = copySources(instruction, dockerfile);
      if (sources.length === 0) continue;
      // A source that names variables is judged by their ARG or ENV values (`ARG JAR_FILE=target/*.jar`).
      const stage = dockerfile.stageOf(instruction);
      const resolved = sources.map((source) => (stage ? dockerfile.expandAt(stage, instruction, source.value) : source.value));
      // Archives and URLs are what ADD is for.
      const needsAdd = (value: string | undefined): boolean => value !== undefined && (REMOTE.test(value) || ARCHIVE.test(value));
      if (sources.some((source, i) => needsAdd(source.value) || needsAdd(resolved[i]))) continue;
      const at = dockerfile.spanOf(instruction.getInstructionRange());
      const keyword = instruction.getInstruction();
      // A variable without a value is passed with --build-arg, almost always a local path; as it could
      // still be an archive or a URL, the rewrite to COPY is left to the author.
      const known = resolved.every((value) => value !== undefined && !value.includes('$'));
      const rewritable = known && flagsOf(instruction).every((flag) => COPY_FLAGS.has(flag.getName()));
      report({
        messageId: 'useCopy',
        at,
        ...(rewritable ? { fix: { apply: (edit) => edit.replace(at, keyword === keyword.toLowerCase() ? 'copy' : 'COPY') } } : {}),
      });
    }
  },
});
