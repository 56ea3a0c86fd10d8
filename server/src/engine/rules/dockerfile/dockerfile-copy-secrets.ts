import { defineDockerfileRule } from '../define';
import { allCopies, copySources } from '../../parse/dockerfile';

/** What a source path's parts must look like to be a secret, and how the message names it. */
const SECRET_FILES: ReadonlyArray<{ test: (name: string, parts: readonly string[]) => boolean; kind: string }> = [
  { test: (name) => /^id_(?:rsa|dsa|ecdsa|ed25519)/.test(name) && !name.endsWith('.pub'), kind: 'an SSH private key' },
  { test: (name) => /\.(?:pem|key)$/i.test(name), kind: 'a private key or certificate file' },
  { test: (name) => /\.(?:p12|pfx)$/i.test(name), kind: 'a PKCS#12 key store' },
  // `.env.example` and friends are templates without values.
  { test: (name) => name === '.env' || (/^\.env\./.test(name) && !/\.(?:example|sample|template|dist|defaults?)$/.test(name)), kind: 'an environment file' },
  { test: (name) => name === '.npmrc' || name === '.pypirc' || name === '.netrc' || name === '_netrc', kind: 'a package registry credentials file' },
  { test: (_name, parts) => parts.includes('.aws'), kind: 'AWS credentials' },
  { test: (_name, parts) => parts.includes('.ssh'), kind: 'an SSH directory' },
  { test: (name, parts) => name === 'config.json' && parts[parts.length - 2] === '.docker', kind: 'Docker registry credentials' },
  { test: (name) => /^credentials/i.test(name), kind: 'a credentials file' },
];

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-copy-secrets',
    title: 'Secrets must not be copied into the image',
    description:
      'Every file copied into a layer stays in the image, even when a later step deletes it, and anyone who can pull the image can read it. Pass build secrets with `RUN --mount=type=secret` and runtime secrets through the orchestrator.',
    severity: 'error',
    profile: 'recommended',
    messages: {
      secret: '"{source}" looks like {kind}; files copied into a layer stay in the image. Use `RUN --mount=type=secret` or mount it at run time.',
    },
  },
  check(dockerfile, { report }) {
    for (const instruction of allCopies(dockerfile)) {
      for (const source of copySources(instruction, dockerfile)) {
        const kind = secretKindOf(source.value);
        if (kind) report({ messageId: 'secret', data: { source: source.value, kind }, at: source.span });
      }
    }
  },
});

/** Verdicts by source path: every COPY of the file is judged again at each keystroke. */
const verdicts = new Map<string, string | null>();
const MAX_VERDICTS = 10_000;

/** What kind of secret the path names, or null. */
function secretKindOf(source: string): string | null {
  let kind = verdicts.get(source);
  if (kind === undefined) {
    const parts = source.replace(/\/+$/, '').split('/').filter((part) => part !== '' && part !== '.');
    const name = parts[parts.length - 1] ?? '';
    kind = SECRET_FILES.find((candidate) => candidate.test(name, parts))?.kind ?? null;
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(source, kind);
  }
  return kind;
}
