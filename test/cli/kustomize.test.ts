import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { KUSTOMIZE_FIXTURES } from '../harness/kustomize';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const REALWORLD = join(ROOT, '..', 'shared', 'corpus', 'realworld');

interface JsonReport {
  files: Array<{ path: string; findings: Array<{ ruleId: string; range: { start: { line: number } }; related?: Array<{ message: string; path?: string }>; fix?: { title: string } }> }>;
}

function scanJson(args: string[], cwd: string): JsonReport {
  const result = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json', '--fail-on', 'none'], { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as JsonReport;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Files some kustomization lists as a patch and none lists as a resource, read with a plain
 * YAML parser (not the engine's reader, so the check is independent of it).
 */
function patchOnlyFiles(root: string): string[] {
  const patches = new Set<string>();
  const resources = new Set<string>();
  for (const path of filesUnder(root).filter((p) => /(^|\/)kustomization\.ya?ml$/.test(p))) {
    const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
    const dir = dirname(path);
    const list = (key: string): unknown[] => (Array.isArray(doc?.[key]) ? (doc[key] as unknown[]) : []);
    for (const entry of list('resources')) if (typeof entry === 'string') resources.add(resolve(dir, entry));
    for (const entry of list('patchesStrategicMerge')) if (typeof entry === 'string' && !entry.includes('\n')) patches.add(resolve(dir, entry));
    for (const entry of [...list('patches'), ...list('patchesJson6902')]) {
      const path = (entry as { path?: unknown } | null)?.path;
      if (typeof path === 'string') patches.add(resolve(dir, path));
    }
  }
  return [...patches].filter((path) => !resources.has(path) && existsSync(path));
}

describe('shipshape scan on Kustomize layouts', () => {
  it('reports by source file, with the builds in related', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-kustomize-'));
    cpSync(join(KUSTOMIZE_FIXTURES, 'shop'), dir, { recursive: true });
    const report = scanJson(['.'], dir);
    const findings = report.files.flatMap((file) => file.findings.map((f) => ({ path: file.path, ...f })));
    assert.deepEqual(
      findings.map((f) => `${f.path}:${f.range.start.line} ${f.ruleId}`),
      [
        'base/deployment.yaml:24 read-only-root-filesystem',
        'overlays/production/kustomization.yaml:22 plaintext-secret-manifest',
        'overlays/staging/debug-port.yaml:11 ssh-port-exposed',
        'overlays/staging/debug-port.yaml:12 host-port',
      ],
    );
    assert.deepEqual(findings[0]?.related, [{ message: 'Occurs in the Kustomize build of staging.', line: 1, column: 1, path: 'overlays/staging/kustomization.yaml' }]);
  });

  it('--fix applies the fixes of a member file where it holds the value, then reports the builds again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-kustomize-'));
    cpSync(join(KUSTOMIZE_FIXTURES, 'shop'), dir, { recursive: true });
    const before = readFileSync(join(dir, 'overlays/staging/debug-port.yaml'), 'utf8');
    const report = scanJson(['.', '--fix', '--fix-unsafe'], dir);
    const after = readFileSync(join(dir, 'overlays/staging/debug-port.yaml'), 'utf8');
    assert.equal(after, before.replace('              hostPort: 2222\n', ''));
    assert.match(readFileSync(join(dir, 'base/deployment.yaml'), 'utf8'), /readOnlyRootFilesystem: true/);
    const left = report.files.flatMap((file) => file.findings.map((f) => `${file.path} ${f.ruleId}`));
    assert.deepEqual(left, ['overlays/production/kustomization.yaml plaintext-secret-manifest', 'overlays/staging/debug-port.yaml ssh-port-exposed']);
  });

  it('the real-world corpus has no finding on a file that is only a patch', { skip: !existsSync(REALWORLD) && 'the shared corpus is not there' }, () => {
    const kubernetes = join(REALWORLD, 'kubernetes');
    const patchOnly = patchOnlyFiles(kubernetes);
    assert.ok(patchOnly.length > 0, 'the corpus has patch files to check');
    const report = scanJson(['.'], kubernetes);
    const byPath = new Map(report.files.map((file) => [resolve(kubernetes, file.path), file.findings]));
    for (const path of patchOnly) assert.deepEqual(byPath.get(path)?.map((f) => f.ruleId) ?? [], [], relative(REALWORLD, path));
  });
});
