import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImageReference, type ImageReference } from '../../server/src/engine/images/reference';
import { kyvernoImage, kyvernoMatches, sigstoreImage, sigstoreMatches } from '../../server/src/engine/images/signature-patterns';

function reference(text: string): ImageReference {
  const parsed = parseImageReference(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
}

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('Kyverno image references (kyverno/pkg/utils/image, ext/wildcard)', () => {
  it('normalises as Kyverno does: docker.io added without library/, :latest by default, a digest instead of the tag', () => {
    assert.equal(kyvernoImage(reference('nginx')), 'docker.io/nginx:latest');
    assert.equal(kyvernoImage(reference('library/nginx:1.25')), 'docker.io/library/nginx:1.25');
    assert.equal(kyvernoImage(reference('ghcr.io/acme/app:1@' + DIGEST)), `ghcr.io/acme/app@${DIGEST}`);
    assert.equal(kyvernoImage(reference('localhost:5000/app')), 'localhost:5000/app:latest');
  });
  const cases: Array<[string, string, boolean]> = [
    ['ghcr.io/acme/*', 'ghcr.io/acme/app:1', true],
    ['ghcr.io/acme/*', 'ghcr.io/acme/tools/cli:1', true], // `*` crosses `/`
    ['ghcr.io/acme/*', 'ghcr.io/acme-evil/app:1', false],
    ['docker.io/nginx:*', 'nginx:1.25', true],
    ['docker.io/library/nginx:*', 'nginx:1.25', false], // no library/ for a bare name
    ['*/nginx:1.?', 'nginx:1.2', true], // `?` is one character
    ['*/nginx:1.?', 'nginx:1.25', false],
    ['ghcr.io/acme/app:*', `ghcr.io/acme/app@${DIGEST}`, false], // a digest replaces the tag
    ['ghcr.io/acme/app@*', `ghcr.io/acme/app:1@${DIGEST}`, true],
    ['*', 'quay.io/x/y:1', true],
  ];
  for (const [pattern, image, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${image}`, () => assert.equal(kyvernoMatches(pattern, reference(image)), expected));
  }
});

describe('policy-controller globs (sigstore/policy-controller pkg/apis/glob)', () => {
  it('matches the fully qualified name', () => {
    assert.equal(sigstoreImage(reference('foo')), 'index.docker.io/library/foo:latest');
    assert.equal(sigstoreImage(reference('myuser/myapp@' + DIGEST)), `index.docker.io/myuser/myapp@${DIGEST}`);
  });
  // Cases from policy-controller's own glob_test.go.
  const cases: Array<[string, string, boolean]> = [
    ['index.docker.io/library/foo:latest', 'foo', true],
    ['index.docker.io/library/*', 'foo', true],
    ['index.docker.io/*/*', 'foo', true],
    ['**', 'foo', true],
    ['foo', 'foo', true], // the deprecated fallback to the image as written
    ['*', 'foo', true], // `*` means index.docker.io/library/*
    ['*/*', 'myuser/myapp', true], // `*/*` means index.docker.io/*/*
    ['*', 'myuser/myapp', false],
    ['ghcr.io/*/*', 'ghcr.io/foo/bar', true],
    ['ghcr.io/*/*', 'ghcr.io/foo', false],
    ['ghcr.io/**', 'ghcr.io/foo', true],
    ['ghcr.io/foo', 'prefix-ghcr.io/foo', false],
    ['ghcr.io/foo', 'ghcr.io/foo-suffix', false],
    ['ghcr.io/**', 'ghcrxio/foo', false], // `.` is a dot
    ['[a-z]*', 'foo', false], // not a valid glob: matches nothing
    ['ghcr.io/acme/*', 'ghcr.io/acme/tools/cli:2', false], // `*` stays within a path component
  ];
  for (const [glob, image, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${image}`, () => assert.equal(sigstoreMatches(glob, reference(image)), expected));
  }
  it('never backtracks for ever on a hostile pattern', () => {
    const image = reference(`ghcr.io/${'a'.repeat(200)}/b:1`);
    assert.equal(kyvernoMatches(`${'*a'.repeat(60)}*c`, image), false);
    assert.equal(sigstoreMatches(`${'**a'.repeat(60)}**c`, image), false);
  });
});
