import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { sharedMissing, sharedPath } from '../harness/shared';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const WORKSPACE = join(__dirname, 'workspace');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function shipshape(args: string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A throwaway copy of the workspace, with a .gitignore (which git would apply to the fixture itself). */
function workspaceCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-cli-'));
  cpSync(WORKSPACE, dir, { recursive: true });
  mkdirSync(join(dir, 'ignored-dir'));
  writeFileSync(join(dir, 'ignored-dir', 'excluded.yaml'), readFileSync(join(WORKSPACE, 'vendor', 'chart.yaml')));
  writeFileSync(join(dir, '.gitignore'), 'ignored-dir/\n');
  return dir;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  range: { start: { line: number; column: number } };
  fingerprint: string;
  suppressed?: { kind: string; justification?: string };
}
interface JsonReport {
  version: number;
  files: Array<{ path: string; skipped?: string; findings: JsonFinding[] }>;
  summary: Record<string, number>;
}

const PEA = 'privilege-escalation-allowed';

describe('shipshape scan', () => {
  // Read-only tests share one copy; a test that writes files makes its own.
  const dir = workspaceCopy();

  it('reports findings, parse errors and skipped files in text, grouped by file, and exits 1', () => {
    const run = shipshape(['scan', '.'], dir);
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes('apps/binary.yaml:1:1  info     file-skipped  The file holds NUL bytes (binary content); it was not analysed.'));
    assert.ok(lines.some((l) => l.startsWith('apps/broken.yaml:') && l.includes('  error    parse-error  YAML syntax error')));
    assert.ok(lines.some((l) => l.startsWith(`apps/web.yaml:10:35  error    ${PEA}  Container "web" sets allowPrivilegeEscalation: true`)));
    assert.ok(!run.stdout.includes('ignored-dir'), '.gitignore must be honoured');
    assert.ok(!run.stdout.includes('not-kubernetes'), 'other YAML is ignored quietly');
    assert.match(lines.filter(Boolean).at(-1) ?? '', /^Scanned 5 files: \d+ errors?, \d+ warnings?, \d+ info, \d+ suppressed; 1 file skipped\.$/);
  });

  it('writes a versioned JSON report with suppressions and their reasons', () => {
    const run = shipshape(['scan', '--format', 'json', '--fail-on', 'none'], dir);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.version, 1);
    const byPath = new Map(report.files.map((f) => [f.path, f]));
    assert.equal(byPath.get('apps/binary.yaml')?.skipped, 'The file holds NUL bytes (binary content); it was not analysed.');
    const web = byPath.get('apps/web.yaml')?.findings.filter((f) => f.ruleId === PEA) ?? [];
    assert.deepEqual(
      web.map((f) => [f.range.start.line, f.severity, f.suppressed ?? null]),
      [
        [10, 'error', null],
        [19, 'warning', { kind: 'comment', source: '# shipshape-ignore privilege-escalation-allowed -- reviewed: legacy setuid helper, tracked in OPS-12', justification: 'reviewed: legacy setuid helper, tracked in OPS-12' }],
      ],
    );
    const vendored = byPath.get('vendor/chart.yaml')?.findings.find((f) => f.ruleId === PEA);
    assert.deepEqual(vendored?.suppressed?.justification, 'vendored chart, patched upstream');
  });

  it('writes SARIF 2.1.0 that validates against the official schema', (t) => {
    const schemaPath = sharedPath('schemas', 'sarif-schema-2.1.0.json');
    if (schemaPath === undefined) return t.skip(sharedMissing('schemas', 'sarif-schema-2.1.0.json'));
    const output = join(mkdtempSync(join(tmpdir(), 'shipshape-sarif-')), 'report.sarif');
    const run = shipshape(['scan', '--format', 'sarif', '--output', output], dir);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    const sarif = JSON.parse(readFileSync(output, 'utf8')) as {
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string; helpUri: string; properties: { tags: string[] } }> } };
        originalUriBaseIds: Record<string, { uri: string }>;
        results: Array<{ ruleId: string; level: string; suppressions?: Array<{ justification?: string }>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }>;
      }>;
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const [run0] = sarif.runs;
    assert.ok(run0);
    const rule = run0.tool.driver.rules.find((r) => r.id === PEA);
    assert.ok(rule?.helpUri.endsWith(`/docs/rules/${PEA}.md`));
    assert.ok(rule?.properties.tags.includes('restricted'));
    assert.ok(run0.originalUriBaseIds['%SRCROOT%']?.uri.startsWith('file:///'));
    const results = run0.results.filter((r) => r.ruleId === PEA && r.locations[0]?.physicalLocation.artifactLocation.uri === 'apps/web.yaml');
    assert.deepEqual(
      results.map((r) => [r.level, r.locations[0]?.physicalLocation.region.startLine, r.locations[0]?.physicalLocation.region.startColumn, r.suppressions?.[0]?.justification ?? null]),
      [
        ['error', 10, 35, null],
        ['warning', 19, 13, 'reviewed: legacy setuid helper, tracked in OPS-12'],
      ],
    );
  });

  it('keeps fingerprints when unrelated lines are added above a finding', () => {
    const dir = workspaceCopy();
    const fingerprint = (): string | undefined =>
      (JSON.parse(shipshape(['scan', 'apps/web.yaml', '--format', 'json'], dir).stdout) as JsonReport).files[0]?.findings.find((f) => f.ruleId === PEA && !f.suppressed)?.fingerprint;
    const before = fingerprint();
    const path = join(dir, 'apps', 'web.yaml');
    writeFileSync(path, `# a comment added later\n# and another\n${readFileSync(path, 'utf8')}`);
    assert.ok(before);
    assert.equal(fingerprint(), before);
  });

  it('honours --no-inline-ignores for comments but keeps config-side ignores', () => {
    const run = shipshape(['scan', 'apps/web.yaml', 'vendor', '--format', 'json', '--no-inline-ignores', '--fail-on', 'none'], dir);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const suppressed = report.files.flatMap((f) => f.findings.filter((x) => x.ruleId === PEA && x.suppressed).map((x) => [f.path, x.suppressed?.kind]));
    assert.deepEqual(suppressed, [['vendor/chart.yaml', 'config']]);
  });

  it('exits 0 below the --fail-on level and 1 at it', () => {
    assert.equal(shipshape(['scan', 'apps/binary.yaml', '--fail-on', 'warning'], dir).status, 0, 'file-skipped is info');
    assert.equal(shipshape(['scan', 'apps/binary.yaml', '--fail-on', 'info'], dir).status, 1);
  });

  it('exits 2 with the problem on an invalid configuration, scanning nothing', () => {
    const dir = workspaceCopy();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'profile: paranoid\nrulez: {}\n');
    const run = shipshape(['scan', 'apps', '--config', bad], dir);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      'bad.yaml:1:10  error  config-error  "profile" must be one of baseline, restricted, recommended, strict.\n' +
        'bad.yaml:2:1  error  config-error  Unknown setting "rulez". Did you mean "rules"?\n' +
        'The configuration is invalid; nothing was scanned.\n',
    );
  });

  it('exits 2 on usage errors', () => {
    const run = shipshape(['scan', '--format', 'xml'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--format must be one of text, json, sarif, github, gitlab/);
  });

  it('applies only safe fixes with --fix, and never writes without it', () => {
    const dir = workspaceCopy();
    const path = join(dir, 'apps', 'web.yaml');
    const before = readFileSync(path, 'utf8');
    shipshape(['scan', 'apps/web.yaml'], dir);
    assert.equal(readFileSync(path, 'utf8'), before, 'a scan without --fix must not write');
    shipshape(['scan', 'apps/web.yaml', '--fix'], dir);
    const after = readFileSync(path, 'utf8');
    assert.ok(after.includes('allowPrivilegeEscalation: false') && !after.includes('allowPrivilegeEscalation: true'));
    assert.ok(after.includes('# shipshape-ignore privilege-escalation-allowed -- reviewed'), 'comments survive');
    const report = JSON.parse(shipshape(['scan', 'apps/web.yaml', '--format', 'json'], dir).stdout) as JsonReport;
    assert.deepEqual(report.files[0]?.findings.filter((f) => f.ruleId === PEA && !f.suppressed), []);
  });
});

describe('shipshape scan on input past the engine\'s bounds', () => {
  it('skips each such file with the reason, and never exits 2 or prints a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-bounds-'));
    writeFileSync(join(dir, 'Dockerfile'), `FROM alpine:3.20\nRUN echo ${'$('.repeat(20_000)}x${')'.repeat(20_000)}\n`);
    writeFileSync(join(dir, 'Dockerfile-chroot'), `FROM alpine:3.20\nRUN echo ${'"$('.repeat(20_000)}x${')"'.repeat(20_000)}\n`);
    const merges = Array.from({ length: 200 }, (_, i) => `x${i + 1}: &m${i + 1} {<<: *m${i}}`).join('\n');
    writeFileSync(join(dir, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nx0: &m0 {a: 1}\n${merges}\nspec: {<<: *m200, containers: []}\n`);
    const run = shipshape(['scan', '.', '--format', 'json'], dir);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0, 'file-skipped is info, below the default --fail-on error');
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.deepEqual(
      report.files.map((f) => [f.path, f.skipped?.replace(/ \(line \d+\)/, '')]),
      [
        ['Dockerfile', 'A RUN instruction nests command substitutions more than 32 deep; the file was not analysed.'],
        ['Dockerfile-chroot', 'A RUN instruction nests command substitutions more than 32 deep; the file was not analysed.'],
        ['pod.yaml', 'YAML merge keys (<<) nest more than 64 deep, or merge a map into itself; the file was not analysed.'],
      ],
    );
  });
});

describe('shipshape scan: end of life', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-eol-'));
  const dockerfile = join(dir, 'Dockerfile');
  const original = '# a comment that must survive\nARG NODE_VERSION=16\nFROM --platform=linux/amd64 node:${NODE_VERSION}-alpine AS web\nUSER 10001\n';
  writeFileSync(dockerfile, original);
  const eolFindings = (args: string[]): JsonFinding[] =>
    (JSON.parse(shipshape(['scan', '--format', 'json', ...args], dir).stdout) as JsonReport).files.flatMap((file) => file.findings).filter((f) => f.ruleId === 'dockerfile-eol-base-image');

  it('judges end of life on the --date given, and rejects a malformed one', () => {
    assert.equal(eolFindings(['--date', '2023-09-11']).length, 0, 'the end-of-life day itself is still supported');
    assert.equal(eolFindings(['--date', '2023-09-12']).length, 1);
    const run = shipshape(['scan', '--date', '2023-02-30'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--date must be a day written YYYY-MM-DD/);
  });

  it('prints a one-line notice on standard error when the table is stale, keeping standard output a report', () => {
    const fresh = shipshape(['scan', '--format', 'json', '--date', '2026-12-05'], dir);
    assert.equal(fresh.stderr, '');
    const stale = shipshape(['scan', '--format', 'json', '--date', '2030-01-01'], dir);
    assert.match(stale.stderr, /^shipshape: The end-of-life table was last reviewed on \d{4}-\d{2}-\d{2}, \d+ days ago .*\n$/);
    assert.doesNotThrow(() => JSON.parse(stale.stdout));
    assert.equal(shipshape(['scan', '--date', '2030-01-01', '--profile', 'baseline'], dir).stderr, '', 'no notice when no rule reads the table');
  });

  it('upgrades only with --fix-unsafe, editing the ARG and keeping --platform and the stage name', () => {
    shipshape(['scan', '--fix', '--date', '2026-12-05'], dir);
    assert.equal(readFileSync(dockerfile, 'utf8'), original, 'the upgrade is not a safe fix');
    shipshape(['scan', '--fix', '--fix-unsafe', '--date', '2026-12-05'], dir);
    assert.equal(readFileSync(dockerfile, 'utf8'), original.replace('NODE_VERSION=16', 'NODE_VERSION=22'));
  });
});

describe('shipshape rules, --help, --version', () => {
  it('lists the catalog', () => {
    const run = shipshape(['rules'], ROOT);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^ID +KIND +SEVERITY +PROFILE +FIX$/m);
    assert.match(run.stdout, new RegExp(`^${PEA} +kubernetes +warning/error +restricted +yes$`, 'm'));
  });
  it('prints help and version', () => {
    assert.match(shipshape(['--help'], ROOT).stdout, /^Usage: shipshape <command>/);
    assert.match(shipshape(['--version'], ROOT).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
