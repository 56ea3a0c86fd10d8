import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFileKind } from '../../server/src/engine';

describe('detectFileKind', () => {
  it('finds Dockerfiles by every name RULES.md lists', () => {
    const dockerfiles = [
      'Dockerfile',
      'build/Dockerfile.prod',
      'rootfs/Dockerfile-chroot', // ingress-nginx
      'images/web.Dockerfile',
      'images/web.dockerfile',
      'Containerfile',
      'Containerfile.fedora',
      'C:\\repo\\Dockerfile-windows',
      'Dockerfile-dev',
      'build\\Dockerfile',
      'Containerfile.arm64',
    ];
    for (const path of dockerfiles) assert.deepEqual(detectFileKind(path), { kind: 'dockerfile', isJson: false }, path);
  });

  it('leaves near-miss names alone', () => {
    const others = [
      'Dockerfile.dockerignore', // BuildKit's per-Dockerfile ignore file
      'Dockerfile-chroot.dockerignore',
      'Dockerfiles/README.md',
      'MyDockerfile',
      'dockerfile-utils.js',
      'Dockerfile.md',
      'notes.dockerfile.txt',
      'Containerfile-old',
      'Dockerfiles',
      'notes.txt',
    ];
    for (const path of others) assert.equal(detectFileKind(path)?.kind, undefined, path);
  });

  it('reads YAML and JSON as Kubernetes candidates, and lets the editor language win', () => {
    assert.deepEqual(detectFileKind('k8s/app.yml'), { kind: 'kubernetes', isJson: false });
    assert.deepEqual(detectFileKind('k8s/web.YML'), { kind: 'kubernetes', isJson: false });
    assert.deepEqual(detectFileKind('k8s/app.json'), { kind: 'kubernetes', isJson: true });
    assert.deepEqual(detectFileKind('Dockerfile', 'yaml'), { kind: 'kubernetes', isJson: false });
    assert.deepEqual(detectFileKind('build.txt', 'dockerfile'), { kind: 'dockerfile', isJson: false });
  });
  it('knows Compose files by name, and by the Docker extension\'s language id', () => {
    for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.override.yaml', 'deploy/compose.prod.yaml']) {
      assert.deepEqual(detectFileKind(name), { kind: 'compose', isJson: false }, name);
    }
    assert.equal(detectFileKind('compose.yaml', 'yaml')?.kind, 'compose');
    assert.equal(detectFileKind('stack.yaml', 'dockercompose')?.kind, 'compose');
    assert.equal(detectFileKind('compose.yaml', 'helm')?.kind, 'kubernetes');
    for (const name of ['compose.json', 'my-compose.yaml', 'composer.yaml']) assert.notEqual(detectFileKind(name)?.kind, 'compose', name);
  });
});
