/**
 * Kustomize fixtures (test/kustomize-fixtures): layouts modelled on real repositories, the
 * builds `kubectl kustomize` makes of them (checked in under `expected/`), and their texts as
 * the host would hand them to the engine.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const KUSTOMIZE_FIXTURES = join(__dirname, '..', 'kustomize-fixtures');
export const EXPECTED_BUILDS = join(KUSTOMIZE_FIXTURES, 'expected');

/** Top-level kustomizations kubectl can build (the `broken` layout is for problems, not output). */
export const BUILD_DIRS = [
  'shop/overlays/staging',
  'shop/overlays/production',
  'platform/overlays/dev',
  'platform/overlays/prod',
  'nested/clusters/eu-west',
  'nested/clusters/eu-north',
  'directives/overlay',
] as const;

export function expectedBuildPath(dir: string): string {
  return join(EXPECTED_BUILDS, `${dir.replace(/\//g, '__')}.yaml`);
}

/** Every file under `root` (the expected outputs excluded), by absolute path. */
export function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (path === EXPECTED_BUILDS) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(path, readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

/** A build's objects as plain data, by `Kind namespace/name` (kustomize orders objects its own way). */
export function objectsByIdentity(objects: readonly unknown[]): Map<string, unknown> {
  const byId = new Map<string, unknown>();
  for (const object of objects) {
    const { kind, metadata } = object as { kind?: string; metadata?: { name?: string; namespace?: string } };
    byId.set(`${kind ?? '?'} ${metadata?.namespace ?? ''}/${metadata?.name ?? ''}`, object);
  }
  return byId;
}

export function parseBuildOutput(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter((value) => value !== null && value !== undefined);
}

export function relativeToFixtures(path: string): string {
  return relative(KUSTOMIZE_FIXTURES, path).replace(/\\/g, '/');
}

/** The differential checks run kubectl too when it is on the PATH (it ships kustomize). */
export function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
