import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * npm as a user runs it: without the npm_* variables `npm test` sets, which would point the
 * child at this repository's own config and prefix.
 */
function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const options: SpawnSyncOptions = { cwd, encoding: 'utf8', env: { ...env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' };
  const result = spawnSync(command, args, options);
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('the npm package', () => {
  const work = mkdtempSync(join(tmpdir(), 'shipshape-package-'));
  // The bundle is built by `npm test`; --ignore-scripts skips the prepack rebuild, which would
  // rewrite server/out/ under the other test files running meanwhile.
  const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);

  it('packs only the CLI and scan-worker bundles, the manifest, README and LICENSE', () => {
    assert.equal(packed.status, 0, packed.stderr);
    const [tarball] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    assert.deepEqual(tarball?.files.map((file) => file.path).sort(), ['LICENSE', 'README.md', 'package.json', 'server/out/cli.js', 'server/out/scan-worker.js']);
  });

  it('installs offline in an empty folder (no runtime dependencies) and runs as npx shipshape', () => {
    const [tarball] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
    assert.ok(tarball);
    const app = join(work, 'app');
    mkdirSync(app);
    const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, tarball.filename)], app);
    assert.equal(install.status, 0, install.stderr);

    assert.equal(run('npx', ['--offline', '--no', '--', 'shipshape', '--version'], app).stdout, `${VERSION}\n`);
    // The same report as the bundle in this repository, from the same folder.
    const installed = run('npx', ['--offline', '--no', '--', 'shipshape', 'scan', EXAMPLES, '--format', 'json'], app);
    const local = run(process.execPath, [join(ROOT, 'server', 'out', 'cli.js'), 'scan', EXAMPLES, '--format', 'json'], app);
    assert.equal(installed.status, 1, installed.stderr);
    assert.equal(installed.stderr, '');
    assert.equal(installed.stdout, local.stdout);
    assert.ok((JSON.parse(installed.stdout) as { summary: { errors: number } }).summary.errors > 0, 'the examples are insecure on purpose');
  });

  it('scans enough files to start worker threads, which load the installed bundle too', () => {
    const many = join(work, 'many');
    mkdirSync(many);
    const manifest = readFileSync(join(EXAMPLES, 'kubernetes', 'insecure', 'deployment.yaml'));
    for (let i = 0; i < 120; i++) writeFileSync(join(many, `deployment-${String(i).padStart(3, '0')}.yaml`), manifest);
    const scan = run('npx', ['--offline', '--no', '--', 'shipshape', 'scan', many, '--format', 'json', '--fail-on', 'none'], join(work, 'app'));
    assert.equal(scan.status, 0, scan.stderr);
    assert.equal(scan.stderr, '');
    const report = JSON.parse(scan.stdout) as { files: Array<{ findings: unknown[] }> };
    assert.equal(report.files.length, 120);
    const perFile = new Set(report.files.map((file) => file.findings.length));
    assert.equal(perFile.size, 1, 'every copy has the same findings, whichever thread analysed it');
  });
});
