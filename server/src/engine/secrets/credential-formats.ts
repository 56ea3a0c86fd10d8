/**
 * Credentials recognisable by their value alone, shared by hardcoded-credential (Kubernetes) and
 * dockerfile-hardcoded-credential (RULES.md). Each format is matched by its prefix, character set
 * and length, with no checksum validation: documentation examples (AWS's `AKIAIOSFODNN7EXAMPLE`)
 * count too, since a literal that looks like a credential does not belong in a manifest or a
 * Dockerfile either way. Findings name the format and never repeat the value.
 */

export interface CredentialFormat {
  /** How messages name it: "an AWS access key ID". */
  readonly description: string;
  /** Global, so every occurrence in a text is found; group-free, so a match is the credential. */
  readonly pattern: RegExp;
}

/** A credential found in a text: where, and which format; the value itself is never kept. */
export interface CredentialMatch {
  readonly index: number;
  readonly length: number;
  readonly description: string;
}

/** Token characters around a match: a credential is a whole token, not the middle of a longer one. */
const BEFORE = '(?<![A-Za-z0-9_-])';
const AFTER = '(?![A-Za-z0-9_-])';

function format(description: string, body: string, { before = BEFORE, after = AFTER } = {}): CredentialFormat {
  return { description, pattern: new RegExp(`${before}${body}${after}`, 'g') };
}

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  // Access key IDs: AKIA (long-term) and ASIA (temporary, STS) + 16 upper-case letters and digits.
  format('an AWS access key ID', '(?:AKIA|ASIA)[A-Z0-9]{16}', { before: '(?<![A-Za-z0-9])', after: '(?![A-Za-z0-9])' }),
  // Classic tokens: a type prefix and 36 alphanumerics; fine-grained: github_pat_, 22 + `_` + 59.
  format('a GitHub token', 'gh[pousr]_[A-Za-z0-9]{36,251}'),
  format('a GitHub token', 'github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59,}'),
  format('a GitLab personal access token', 'glpat-[A-Za-z0-9_-]{20,}'),
  format('a Slack token', 'xox[abprs]-[A-Za-z0-9-]{10,}'),
  format('a Stripe live key', '[sr]k_live_[A-Za-z0-9]{24,}'),
  format('a Google API key', 'AIza[A-Za-z0-9_-]{35}'),
  // The header, followed (past optional `Proc-Type:`-style lines) by base64 key material; a header
  // written alone, or a public key or certificate, is not a private key.
  format(
    'a PEM private key',
    '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?=(?:\\s|\\\\n)*(?:[A-Za-z-]+: [^\\n]*(?:\\n|\\\\n)(?:\\s|\\\\n)*)*[A-Za-z0-9+/]{16})',
    { before: '', after: '' },
  ),
  // header.payload.signature, each base64url; both JSON parts start `{"`, which encodes as `eyJ`.
  format('a signed JSON Web Token', 'eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{16,}'),
];

/** Text any format needs: one cheap pass before the formats' own. */
const CREDENTIAL_HINT = /AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|[sr]k_live_|AIza|PRIVATE KEY|eyJ/;

/**
 * Whether any credential is written anywhere in `text`: large sections that no other rule reads
 * (CRDs, whose schemas say "PRIVATE KEY" in prose; dashboards in ConfigMaps) are composed for the
 * credential rules only when this holds.
 */
export function holdsCredential(text: string): boolean {
  // `search` leaves the shared global patterns' lastIndex alone (`test` would move it, and
  // `matchAll` in findCredentials starts from a copy of it).
  return CREDENTIAL_HINT.test(text) && CREDENTIAL_FORMATS.some(({ pattern }) => text.search(pattern) >= 0);
}

/** Every credential in `text`, in order; overlapping matches (none of the formats share text) keep the first. */
export function findCredentials(text: string): CredentialMatch[] {
  if (!CREDENTIAL_HINT.test(text)) return [];
  const found: CredentialMatch[] = [];
  for (const { description, pattern } of CREDENTIAL_FORMATS) {
    for (const match of text.matchAll(pattern)) found.push({ index: match.index, length: match[0].length, description });
  }
  found.sort((a, b) => a.index - b.index);
  const kept: CredentialMatch[] = [];
  for (const match of found) {
    const last = kept[kept.length - 1];
    if (!last || match.index >= last.index + last.length) kept.push(match);
  }
  return kept;
}
