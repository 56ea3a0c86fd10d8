import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCredentials, holdsCredential } from '../../server/src/engine/secrets/credential-formats';

/** Made-up values of the right shape (the repository must hold no real credential). */
const ALNUM = 'aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY3zA5cD7eF9gH2jK4mP6qR8sT0uV2wX4yZ6';
const take = (length: number, from = 0): string => (ALNUM + ALNUM + ALNUM).slice(from, from + length);
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
const JWT = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.${take(43)}`;

interface Row {
  format: string;
  /** Realistic values, each found once, as a whole token, inside a line of text. */
  positives: readonly string[];
  /** Near misses: the same prefix or shape with the wrong length, character set or kind. */
  negatives: readonly string[];
}

const TABLE: readonly Row[] = [
  {
    format: 'an AWS access key ID',
    positives: ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A', 'AKIA2E0A8F3B244C9986'],
    negatives: ['AKIAIOSFODNN7EXAMPL', 'AKIAIOSFODNN7EXAMPLE1', 'akiaiosfodnn7example', 'AKIAiosfodnn7example', 'ABIAIOSFODNN7EXAMPLE', 'XAKIAIOSFODNN7EXAMPLE'],
  },
  {
    format: 'a GitHub token',
    positives: [`ghp_${take(36)}`, `gho_${take(36, 5)}`, `ghu_${take(36, 9)}`, `ghs_${take(36, 2)}`, `ghr_${take(36, 7)}`, `github_pat_${take(22)}_${take(59, 3)}`],
    negatives: [`ghp_${take(35)}`, `ghx_${take(36)}`, `ghp-${take(36)}`, `github_pat_${take(22)}_${take(58)}`, `xghp_${take(36)}`],
  },
  {
    format: 'a GitLab personal access token',
    positives: [`glpat-${take(20)}`, `glpat-${take(14)}_-${take(4)}`],
    negatives: [`glpat-${take(19)}`, `glpat_${take(20)}`, `gldt-${take(20)}`],
  },
  {
    format: 'a Slack token',
    positives: ['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx', 'xoxp-12345-67890-abcdef', 'xoxs-1234567890'],
    negatives: ['xoxz-123456789012-abc', 'xoxb-123', 'xoxb_123456789012345'],
  },
  {
    format: 'a Stripe live key',
    positives: [`sk_live_${take(24)}`, `rk_live_${take(99)}`],
    negatives: [`sk_test_${take(24)}`, `pk_live_${take(24)}`, `sk_live_${take(23)}`],
  },
  {
    format: 'a Google API key',
    positives: [`AIza${take(35)}`, 'AIzaSyA-1234567890_abcdefghijklmnopqrst'],
    negatives: [`AIza${take(34)}`, `AIza${take(36)}`, `aiza${take(35)}`],
  },
  {
    format: 'a PEM private key',
    positives: [
      `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}`,
      `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B2C3D\n\n${PEM_BODY}`,
      `-----BEGIN OPENSSH PRIVATE KEY-----\\n${PEM_BODY}`,
      `-----BEGIN EC PRIVATE KEY-----   ${PEM_BODY}`,
    ],
    negatives: [`-----BEGIN PUBLIC KEY-----\n${PEM_BODY}`, `-----BEGIN CERTIFICATE-----\n${PEM_BODY}`, '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', 'BEGIN PRIVATE KEY'],
  },
  {
    format: 'a signed JSON Web Token',
    positives: [JWT],
    negatives: [JWT.slice(0, JWT.lastIndexOf('.') + 1), 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'eyJhbGciOiJIUzI1NiJ9.notjson.signaturesignature123', 'eyJhbGciOiJIUzI1NiJ9'],
  },
];

describe('credential formats', () => {
  for (const { format, positives, negatives } of TABLE) {
    it(`finds ${format} as a whole token, naming the format`, () => {
      for (const value of positives) {
        const line = `token="${value}" # rotated`;
        const found = findCredentials(line);
        assert.equal(found.length, 1, value);
        assert.equal(found[0]?.description, format, value);
        assert.equal(found[0]?.index, line.indexOf(value), value);
        if (format !== 'a PEM private key') assert.equal(found[0]?.length, value.length, value);
      }
    });
    it(`leaves near misses of ${format} alone`, () => {
      for (const value of negatives) assert.deepEqual(findCredentials(`value: ${value} end`), [], value);
    });
  }

  it('finds several credentials in one text, in order, and nothing in ordinary text', () => {
    const text = `curl -H "Authorization: token ghp_${take(36)}" -u AKIAIOSFODNN7EXAMPLE:x https://api.example.com`;
    assert.deepEqual(findCredentials(text).map((match) => match.description), ['a GitHub token', 'an AWS access key ID']);
    assert.deepEqual(findCredentials('apiVersion: v1\nkind: ConfigMap\ndata:\n  region: ASIA-PACIFIC\n  greeting: hello\n'), []);
  });

  it('says whether a text holds any credential, without disturbing a later search', () => {
    const text = `a: glpat-${take(20)}\nb: -----BEGIN PRIVATE KEY-----\n  ${PEM_BODY}\n`;
    assert.equal(holdsCredential(text), true);
    assert.equal(findCredentials(text).length, 2);
    assert.equal(holdsCredential('description: the Secret that holds the PRIVATE KEY'), false);
  });
});
