import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFileKind } from '../../server/src/engine/file-kind';

const kindOf = (path: string): string | undefined => detectFileKind(path)?.kind;

describe('detectFileKind', () => {
  it('knows every Dockerfile name RULES.md lists, in any folder', () => {
    for (const name of ['Dockerfile', 'Dockerfile.prod', 'Dockerfile-dev', 'api.Dockerfile', 'api.dockerfile', 'Containerfile', 'Containerfile.arm64', 'build/Dockerfile-ci', 'build\\Dockerfile']) {
      assert.equal(kindOf(name), 'dockerfile', name);
    }
  });
  it('leaves out look-alikes: ignore files, other Containerfile forms, plain files', () => {
    for (const name of ['Dockerfile.dockerignore', 'Dockerfiles', 'Containerfile-dev', 'MyDockerfile', 'notes.txt']) {
      assert.equal(kindOf(name), undefined, name);
    }
  });
  it('takes YAML and JSON as Kubernetes candidates, JSON without comments or fixes', () => {
    assert.deepEqual(detectFileKind('k8s/web.yaml'), { kind: 'kubernetes', isJson: false });
    assert.deepEqual(detectFileKind('k8s/web.YML'), { kind: 'kubernetes', isJson: false });
    assert.deepEqual(detectFileKind('k8s/web.json'), { kind: 'kubernetes', isJson: true });
  });
  it('knows Compose files by name, and by the Docker extension\'s language id', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.override.yaml', 'deploy/compose.prod.yaml']) {
      assert.deepEqual(detectFileKind(name), { kind: 'compose', isJson: false }, name);
    }
    assert.equal(detectFileKind('compose.yaml', 'yaml')?.kind, 'compose');
    assert.equal(detectFileKind('stack.yaml', 'dockercompose')?.kind, 'compose');
    assert.equal(detectFileKind('compose.yaml', 'helm')?.kind, 'kubernetes');
    for (const name of ['compose.json', 'my-compose.yaml', 'composer.yaml']) assert.notEqual(kindOf(name), 'compose', name);
  });
});
