/**
 * Regenerates test/kustomize-fixtures/expected/ with the real kustomize (inside kubectl):
 * `npx tsx scripts/kustomize-expected.ts`. The differential test compares Shipshape's in-memory
 * builds with these files, so it needs no binary; it re-checks them when kubectl is on the PATH.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIRS, EXPECTED_BUILDS, expectedBuildPath, KUSTOMIZE_FIXTURES } from '../test/harness/kustomize';

mkdirSync(EXPECTED_BUILDS, { recursive: true });
for (const dir of BUILD_DIRS) {
  const output = execFileSync('kubectl', ['kustomize', join(KUSTOMIZE_FIXTURES, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  writeFileSync(expectedBuildPath(dir), output);
  console.log(`${dir}: ${output.split('\n---\n').length} objects`);
}
