import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('says a Dockerfile no updater watches only in a repository, or where an updater configuration is', () => {
    const untracked = (dir: string): string[] =>
      scanJson(['.', '--profile', 'strict'], dir)
        .files.filter((file) => file.findings.some((finding) => finding.ruleId === 'base-image-updates-untracked'))
        .map((file) => file.path);
    // A folder in no repository (an unpacked archive, a corpus): where would .github/dependabot.yml go?
    const loose = copyOf('base-image-updates-untracked/ws-none');
    assert.deepEqual(untracked(loose), []);
    mkdirSync(join(loose, '.git'));
    assert.deepEqual(untracked(loose), ['services/api/Dockerfile']);
    // An updater configuration says what is watched, repository or not.
    assert.deepEqual(untracked(copyOf('base-image-updates-untracked/ws-dependabot')), ['docs/Dockerfile', 'services/api/nested/Dockerfile', 'services/legacy/Dockerfile']);
  });

  it('reads the reports the config lists, puts them on image lines, and reports an unusable one on itself', () => {
    const dir = copyOf('image-vulnerable/ws-reports');
    const result = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json', '--fail-on', 'none', '--date', '2026-06-15'], { cwd: dir, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    const lines = (path: string, rule: string): number[] =>
      report.files.find((file) => file.path === path)?.findings.filter((finding) => finding.ruleId === rule).map((finding) => finding.range.start.line) ?? [];
    assert.deepEqual(lines('compose.yaml', 'image-vulnerable'), [3, 6]);
    assert.deepEqual(lines('Dockerfile', 'image-vulnerable'), [1, 4]);
    assert.deepEqual(lines('k8s/deploy.yaml', 'image-vulnerable'), [10, 13, 15, 17, 19, 21, 23]);
    // Listed reports are not scanned as manifests; the truncated one is skipped with the reason.
    assert.deepEqual(
      report.files.filter((file) => file.path.startsWith('reports/')).map((file) => [file.path, file.findings.map((finding) => finding.ruleId)]),
      [['reports/truncated.trivy.json', ['file-skipped']]],
    );
    writeFileSync(join(dir, '.shipshape.yaml'), 'vulnerabilityReports: ["reports/*.trivy.json", "scans/*.json"]\n');
    const noticed = spawnSync(process.execPath, [CLI, 'scan', '.', '--fail-on', 'none', '--quiet'], { cwd: dir, encoding: 'utf8' });
    assert.equal(noticed.stderr, `shipshape: "vulnerabilityReports" entry "scans/*.json" in ${join(dir, '.shipshape.yaml')} matches no report file.\n`);
  });
});
