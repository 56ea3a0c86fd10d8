import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildKustomization, kustomizationIn } from '../../server/src/engine/kustomize/build';
import { SourceSet } from '../../server/src/engine/kustomize/sources';
import { toPlain } from '../../server/src/engine/kustomize/nodes';
import { BUILD_DIRS, expectedBuildPath, kubectlAvailable, KUSTOMIZE_FIXTURES, objectsByIdentity, parseBuildOutput, readTree } from '../harness/kustomize';

const files = readTree(KUSTOMIZE_FIXTURES);

function build(dir: string): ReturnType<typeof buildKustomization> {
  const path = kustomizationIn(join(KUSTOMIZE_FIXTURES, dir), (p) => files.has(p));
  assert.ok(path, `${dir} has a kustomization`);
  return buildKustomization(path, new SourceSet(files));
}


describe('the in-memory build agrees with kustomize build', () => {
  for (const dir of BUILD_DIRS) {
    it(dir, () => {
      const output = build(dir);
      assert.deepEqual(output.problems, []);
      const actual = objectsByIdentity(output.resources.map((resource) => toPlain(resource.root)));
      const expected = objectsByIdentity(parseBuildOutput(readFileSync(expectedBuildPath(dir), 'utf8')));
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
      for (const [id, object] of expected) assert.deepEqual(actual.get(id), object, id);
    });
  }

  it('the checked-in outputs are what kubectl kustomize prints today', { skip: !kubectlAvailable() && 'kubectl is not on the PATH' }, () => {
    for (const dir of BUILD_DIRS) {
      const output = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE_FIXTURES, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(output, readFileSync(expectedBuildPath(dir), 'utf8'), dir);
    }
  });
});
