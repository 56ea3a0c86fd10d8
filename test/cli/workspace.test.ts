import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures');

interface JsonReport {
  files: Array<{ path: string; findings: Array<{ ruleId: string; range: { start: { line: number } }; related?: Array<{ path?: string; line: number }> }> }>;
}

function scanJson(args: string[], cwd: string): JsonReport {
  const result = spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json', '--fail-on', 'none'], { cwd, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as JsonReport;
}

function copyOf(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-ws-'));
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

describe('CLI: cross-file rules read the workspace', () => {
  it('a scan of one manifest still reads the skaffold file and the Dockerfiles of its folder', () => {
    const dir = copyOf('workload-image-runs-as-root/skaffold-root');
    const report = scanJson(['k8s/deploy.yaml'], dir);
    const found = report.files[0]?.findings.filter((finding) => finding.ruleId === 'workload-image-runs-as-root') ?? [];
    assert.deepEqual(
      found.map((finding) => [finding.range.start.line, finding.related?.map((related) => `${related.path}:${related.line}`)]),
      [
        [15, ['services/cart/Dockerfile:4']],
        [17, ['services/api/Dockerfile:6']],
      ],
    );
  });

  it('the config file’s folder is the workspace of the files it governs', () => {
    const dir = copyOf('run-as-non-root-unverifiable/named-user');
    writeFileSync(join(dir, '.shipshape.yaml'), 'profile: recommended\n');
    const outside = mkdtempSync(join(tmpdir(), 'shipshape-cwd-'));
    const report = scanJson([join(dir, 'deployment.yaml')], outside);
    assert.deepEqual(
      report.files[0]?.findings.filter((finding) => finding.ruleId === 'run-as-non-root-unverifiable').map((finding) => finding.range.start.line),
      [11],
    );
  });

  it('an image built here whose Dockerfile changes is judged by the new Dockerfile', () => {
    const dir = copyOf('workload-image-runs-as-root/skaffold-root');
    const dockerfile = join(dir, 'services', 'cart', 'Dockerfile');
    writeFileSync(dockerfile, `${readFileSync(dockerfile, 'utf8')}USER 10001\n`);
    const report = scanJson(['k8s/deploy.yaml'], dir);
    assert.deepEqual(report.files[0]?.findings.filter((finding) => finding.ruleId === 'workload-image-runs-as-root').map((finding) => finding.range.start.line), [17]);
  });
});
