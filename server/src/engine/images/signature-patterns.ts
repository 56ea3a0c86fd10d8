/**
 * Which images a signature-verifying admission policy covers, by each tool's own matching:
 *
 * - Kyverno (`verifyImages[].imageReferences`, `skipImageReferences`) matches its wildcards
 *   against the image as it normalises it (pkg/utils/image/infos.go): `docker.io/` is added to a
 *   name without a registry, but no `library/` (`nginx` is `docker.io/nginx:latest`); a digest
 *   replaces the tag; no tag means `:latest`. `*` matches any run of characters, `/` included,
 *   and `?` exactly one.
 * - Sigstore policy-controller (`ClusterImagePolicy` `spec.images[].glob`, pkg/apis/glob) matches
 *   against the fully qualified name (`index.docker.io/library/nginx:latest`), and against the
 *   image as written when that differs. `*` stays within a path component, `**` crosses them;
 *   a glob of `*` means `index.docker.io/library/*` and `*\/*` means `index.docker.io/*\/*`.
 *
 * Patterns come from the workspace, so matching is a bounded dynamic programme, never a regular
 * expression built from them.
 */
import type { ImageReference } from './reference';
import type { SignaturePolicyFact } from '../workspace/facts';

/** A pattern element: a literal character, one character, any run of characters, or any run without `/`. */
type Token = { literal: string } | 'one' | 'any' | 'any-in-component';

/** Longer patterns or images are not matched (they cannot be valid in either tool). */
const MAX_LENGTH = 1024;

function matches(tokens: readonly Token[], text: string): boolean {
  if (text.length > MAX_LENGTH) return false;
  // reachable[j]: the tokens so far can match text.slice(0, j).
  let reachable = new Array<boolean>(text.length + 1).fill(false);
  reachable[0] = true;
  for (const token of tokens) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    for (let j = 0; j <= text.length; j++) {
      if (token === 'any' || token === 'any-in-component') {
        // A star extends whatever the previous tokens reached, one character at a time.
        next[j] = reachable[j] === true || (j > 0 && next[j - 1] === true && (token === 'any' || text[j - 1] !== '/'));
      } else if (j > 0 && reachable[j - 1] === true) {
        next[j] = token === 'one' || token.literal === text[j - 1];
      }
    }
    reachable = next;
  }
  return reachable[text.length] === true;
}

/** Kyverno's wildcards (kyverno/ext/wildcard): `*` any run of characters, `?` one character. */
function kyvernoTokens(pattern: string): Token[] {
  return [...pattern].map((char): Token => (char === '*' ? 'any' : char === '?' ? 'one' : { literal: char }));
}

/** policy-controller's glob: only `[a-zA-Z0-9-_:/*.]` is valid; `**` any run, `*` any run without `/`. */
function sigstoreTokens(glob: string): Token[] | undefined {
  const expanded = glob === '*/*' ? 'index.docker.io/*/*' : glob === '*' ? 'index.docker.io/library/*' : glob;
  if (!/^[a-zA-Z0-9\-_:/*.]+$/.test(expanded)) return undefined;
  const tokens: Token[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const char = expanded.charAt(i);
    if (char !== '*') tokens.push({ literal: char });
    else if (expanded[i + 1] === '*') {
      tokens.push('any');
      i++;
    } else tokens.push('any-in-component');
  }
  return tokens;
}

/** The name as written, without tag or digest. */
function writtenName(reference: ImageReference): string {
  const at = reference.text.indexOf('@');
  const withTag = at === -1 ? reference.text : reference.text.slice(0, at);
  return reference.tag === undefined ? withTag : withTag.slice(0, withTag.length - reference.tag.length - 1);
}

/** The image as Kyverno matches it: `docker.io/nginx:latest`, `ghcr.io/acme/app@sha256:…`. */
export function kyvernoImage(reference: ImageReference): string {
  const name = writtenName(reference);
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasRegistry = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const qualified = hasRegistry ? name : `docker.io/${name}`;
  return reference.digest !== undefined ? `${qualified}@${reference.digest}` : `${qualified}:${reference.tag ?? 'latest'}`;
}

/** The image as policy-controller matches it: `index.docker.io/library/nginx:latest`. */
export function sigstoreImage(reference: ImageReference): string {
  const registry = reference.registry === 'docker.io' ? 'index.docker.io' : reference.registry;
  const name = `${registry}/${reference.repository}`;
  return reference.digest !== undefined ? `${name}@${reference.digest}` : `${name}:${reference.tag ?? 'latest'}`;
}

export function kyvernoMatches(pattern: string, reference: ImageReference): boolean {
  return pattern.length <= MAX_LENGTH && matches(kyvernoTokens(pattern), kyvernoImage(reference));
}

export function sigstoreMatches(glob: string, reference: ImageReference): boolean {
  const tokens = glob.length <= MAX_LENGTH ? sigstoreTokens(glob) : undefined;
  if (!tokens) return false;
  // policy-controller falls back to the image as written when the qualified name does not match (deprecated, still done).
  return matches(tokens, sigstoreImage(reference)) || matches(tokens, reference.text);
}

/** Whether a policy verifies the image: some pattern set matches it and none of that set's skip patterns does. */
export function policyVerifies(policy: SignaturePolicyFact, reference: ImageReference): boolean {
  return policy.imageSets.some((set) =>
    policy.tool === 'kyverno'
      ? set.patterns.some((pattern) => kyvernoMatches(pattern, reference)) && !set.skipPatterns.some((pattern) => kyvernoMatches(pattern, reference))
      : set.patterns.some((glob) => sigstoreMatches(glob, reference)),
  );
}
