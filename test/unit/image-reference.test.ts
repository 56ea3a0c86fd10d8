import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isImageReferenceError, isTrustedRegistry, parseImageReference, type ImageReference } from '../../server/src/engine/images/reference';

const SHA = `sha256:${'a'.repeat(64)}`;

interface ParsedCase {
  readonly text: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly familiarName: string;
}

const wellFormed: readonly ParsedCase[] = [
  { text: 'nginx', registry: 'docker.io', repository: 'library/nginx', familiarName: 'nginx' },
  { text: 'nginx:1.25', registry: 'docker.io', repository: 'library/nginx', tag: '1.25', familiarName: 'nginx' },
  { text: 'nginx:latest', registry: 'docker.io', repository: 'library/nginx', tag: 'latest', familiarName: 'nginx' },
  { text: 'bitnami/redis:7.2', registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2', familiarName: 'bitnami/redis' },
  { text: 'docker.io/nginx', registry: 'docker.io', repository: 'library/nginx', familiarName: 'nginx' },
  { text: 'docker.io/library/nginx', registry: 'docker.io', repository: 'library/nginx', familiarName: 'nginx' },
  { text: 'index.docker.io/nginx', registry: 'docker.io', repository: 'library/nginx', familiarName: 'nginx' },
  { text: 'registry-1.docker.io/acme/app', registry: 'docker.io', repository: 'acme/app', familiarName: 'acme/app' },
  { text: 'Docker.IO/acme/app', registry: 'docker.io', repository: 'acme/app', familiarName: 'acme/app' },
  { text: 'GHCR.io/acme/app:v1', registry: 'ghcr.io', repository: 'acme/app', tag: 'v1', familiarName: 'ghcr.io/acme/app' },
  { text: 'localhost/app', registry: 'localhost', repository: 'app', familiarName: 'localhost/app' },
  { text: 'localhost:5000/app:dev', registry: 'localhost:5000', repository: 'app', tag: 'dev', familiarName: 'localhost:5000/app' },
  { text: 'registry.example.com:5000/team/app', registry: 'registry.example.com:5000', repository: 'team/app', familiarName: 'registry.example.com:5000/team/app' },
  { text: '[::1]:5000/app:1', registry: '[::1]:5000', repository: 'app', tag: '1', familiarName: '[::1]:5000/app' },
  { text: `nginx@${SHA}`, registry: 'docker.io', repository: 'library/nginx', digest: SHA, familiarName: 'nginx' },
  { text: `nginx:1.25@${SHA}`, registry: 'docker.io', repository: 'library/nginx', tag: '1.25', digest: SHA, familiarName: 'nginx' },
  { text: `quay.io/org/app:v2@${SHA}`, registry: 'quay.io', repository: 'org/app', tag: 'v2', digest: SHA, familiarName: 'quay.io/org/app' },
  { text: 'gcr.io/distroless/static-debian12:nonroot', registry: 'gcr.io', repository: 'distroless/static-debian12', tag: 'nonroot', familiarName: 'gcr.io/distroless/static-debian12' },
  { text: 'my_org/my__app--x:Tag_1.0-RC', registry: 'docker.io', repository: 'my_org/my__app--x', tag: 'Tag_1.0-RC', familiarName: 'my_org/my__app--x' },
  { text: 'a/b/c/d:1', registry: 'docker.io', repository: 'a/b/c/d', tag: '1', familiarName: 'a/b/c/d' },
  // Upper case in the first component makes it a host, as in Docker's splitDockerDomain.
  { text: 'Acme/app', registry: 'acme', repository: 'app', familiarName: 'acme/app' },
];

const malformed: readonly { readonly text: string; readonly error: RegExp }[] = [
  { text: '', error: /empty/ },
  { text: ' nginx', error: /whitespace/ },
  { text: 'nginx :1', error: /whitespace/ },
  { text: 'Nginx', error: /lower-case/ },
  { text: 'docker.io/Library/nginx', error: /lower-case/ },
  { text: 'nginx:', error: /tag after ":" is empty/ },
  { text: 'nginx:.1', error: /tag "\.1" is invalid/ },
  { text: `nginx:${'a'.repeat(129)}`, error: /tag .* is invalid/ },
  { text: 'nginx:1.0:2', error: /"nginx:1.0" has more than one ":"/ },
  { text: ':latest', error: /repository name is missing/ },
  { text: '/nginx', error: /empty path component/ },
  { text: 'nginx/', error: /empty path component/ },
  { text: 'acme//app', error: /empty path component/ },
  { text: 'ghcr.io/', error: /repository name is missing/ },
  { text: '-nginx', error: /is invalid/ },
  { text: 'ng..inx', error: /is invalid/ },
  { text: 'bad_host.com_/app', error: /registry host "bad_host.com_" is invalid/ },
  { text: 'reg.io:port/app', error: /registry host "reg.io:port" is invalid/ },
  { text: 'nginx@', error: /digest after "@" is empty/ },
  { text: 'nginx@sha256:abc', error: /digest "sha256:abc" is invalid/ },
  { text: `nginx@sha256:${'a'.repeat(63)}`, error: /64 lower-case hex/ },
  { text: `nginx@sha256:${'a'.repeat(65)}`, error: /64 lower-case hex/ },
  { text: `nginx@sha256:${'A'.repeat(64)}`, error: /64 lower-case hex/ },
  { text: 'nginx@latest', error: /digest "latest" is invalid/ },
  { text: `nginx@${SHA}@${SHA}`, error: /digest .* is invalid/ },
  { text: `${'a'.repeat(256)}:1`, error: /longer than 255/ },
];

describe('digests the reference grammar accepts', () => {
  it('pins with any algorithm, checking the length of the registered ones only', () => {
    assert.equal(mustParse(`nginx@blake3:${'a'.repeat(64)}`).digest, `blake3:${'a'.repeat(64)}`);
    assert.equal(mustParse(`nginx@multihash+base58:${'0'.repeat(40)}`).digest, `multihash+base58:${'0'.repeat(40)}`);
    assert.equal(mustParse(`nginx@sha512:${'b'.repeat(128)}`).digest, `sha512:${'b'.repeat(128)}`);
  });
});

function mustParse(text: string): ImageReference {
  const parsed = parseImageReference(text);
  assert.ok(!isImageReferenceError(parsed), `${text}: ${isImageReferenceError(parsed) ? parsed.error : ''}`);
  return parsed;
}

describe('parseImageReference', () => {
  for (const expected of wellFormed) {
    it(`parses ${JSON.stringify(expected.text)}`, () => {
      const parsed = mustParse(expected.text);
      assert.deepEqual(
        {
          registry: parsed.registry,
          repository: parsed.repository,
          tag: parsed.tag,
          digest: parsed.digest,
          familiarName: parsed.familiarName,
          name: parsed.name,
          text: parsed.text,
        },
        {
          registry: expected.registry,
          repository: expected.repository,
          tag: expected.tag,
          digest: expected.digest,
          familiarName: expected.familiarName,
          name: `${expected.registry}/${expected.repository}`,
          text: expected.text,
        },
      );
    });
  }

  for (const { text, error } of malformed) {
    it(`reports ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} as malformed`, () => {
      const parsed = parseImageReference(text);
      assert.ok(isImageReferenceError(parsed), `${text} should not parse`);
      assert.match(parsed.error, error);
    });
  }
});

describe('isTrustedRegistry', () => {
  const trustCases: readonly { readonly image: string; readonly trusted: readonly string[]; readonly expected: boolean }[] = [
    { image: 'ghcr.io/acme/app', trusted: ['ghcr.io/acme'], expected: true },
    { image: 'ghcr.io/acme', trusted: ['ghcr.io/acme'], expected: true },
    { image: 'ghcr.io/acme-evil/app', trusted: ['ghcr.io/acme'], expected: false },
    { image: 'ghcr.io/acme/app', trusted: ['ghcr.io/acme/'], expected: true },
    { image: 'ghcr.io/other/app', trusted: ['ghcr.io'], expected: true },
    { image: 'ghcr.io.evil.com/acme/app', trusted: ['ghcr.io'], expected: false },
    { image: 'GHCR.IO/acme/app', trusted: ['ghcr.io/acme'], expected: true },
    { image: 'ghcr.io/acme/app', trusted: ['GHCR.io/ACME'], expected: true },
    { image: 'nginx', trusted: ['docker.io'], expected: true },
    { image: 'nginx', trusted: ['index.docker.io'], expected: true },
    { image: 'registry-1.docker.io/acme/app', trusted: ['docker.io/acme'], expected: true },
    { image: 'nginx', trusted: ['docker.io/library'], expected: true },
    { image: 'bitnami/redis', trusted: ['docker.io/library'], expected: false },
    { image: 'acme/app', trusted: ['acme'], expected: true },
    { image: 'nginx', trusted: ['ghcr.io'], expected: false },
    { image: 'localhost:5000/app', trusted: ['localhost:5000'], expected: true },
    { image: 'localhost/app', trusted: ['localhost:5000'], expected: false },
    { image: 'localhost:5000/app', trusted: ['localhost'], expected: false },
    { image: 'quay.io/org/app', trusted: ['ghcr.io', 'quay.io/org'], expected: true },
    { image: 'quay.io/org/app', trusted: [], expected: false },
    { image: 'quay.io/org/app', trusted: ['', '  '], expected: false },
  ];
  for (const { image, trusted, expected } of trustCases) {
    it(`${image} against ${JSON.stringify(trusted)} is ${expected ? 'trusted' : 'untrusted'}`, () => {
      assert.equal(isTrustedRegistry(mustParse(image), trusted), expected);
    });
  }
});
