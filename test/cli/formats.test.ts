import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine';
import { escapeData, escapeProperty, formatGithub } from '../../server/src/cli/formatters/github';
import { formatGitlab } from '../../server/src/cli/formatters/gitlab';
import type { ScanReport } from '../../server/src/cli/formatters/types';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const FORMATS = join(__dirname, 'formats');
const WORKSPACE = join(FORMATS, 'workspace');

function scan(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'scan', ...args], { cwd: WORKSPACE, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const golden = (name: string): string => readFileSync(join(FORMATS, name), 'utf8');

describe('--format github and gitlab (golden reports of test/cli/formats/workspace)', () => {
  it('writes GitHub workflow commands, one per unsuppressed finding, and nothing else', () => {
    const run = scan(['--format', 'github']);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, golden('github.txt'));
  });

  it('writes a GitLab Code Quality array, and nothing else', () => {
    const run = scan(['--format', 'gitlab']);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, golden('gitlab.json'));
  });

  it('writes the same report to --output, leaving standard output empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-formats-'));
    for (const [format, name] of [['github', 'github.txt'], ['gitlab', 'gitlab.json']] as const) {
      const output = join(dir, name);
      const run = scan(['--format', format, '--output', output, '--fail-on', 'none']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '');
      assert.equal(readFileSync(output, 'utf8'), golden(name));
    }
  });

  it('gives GitLab the fingerprints of the JSON report, and leaves out what JSON marks suppressed', () => {
    interface JsonReport {
      files: Array<{ path: string; findings: Array<{ ruleId: string; fingerprint: string; range: { start: { line: number } }; suppressed?: object }> }>;
    }
    const json = JSON.parse(scan(['--format', 'json']).stdout) as JsonReport;
    const unsuppressed = json.files.flatMap((file) => file.findings.filter((f) => !f.suppressed).map((f) => [f.fingerprint, f.ruleId, file.path, f.range.start.line]));
    const gitlab = JSON.parse(golden('gitlab.json')) as Array<{ fingerprint: string; check_name: string; location: { path: string; lines: { begin: number } } }>;
    assert.deepEqual(
      gitlab.map((issue) => [issue.fingerprint, issue.check_name, issue.location.path, issue.location.lines.begin]),
      unsuppressed,
    );
    assert.ok(json.files.some((file) => file.findings.some((f) => f.ruleId === 'privileged-container' && f.suppressed)), 'the fixture has a suppressed finding');
    assert.equal(new Set(gitlab.map((issue) => issue.fingerprint)).size, gitlab.length, 'GitLab shows only the first issue of a fingerprint');
  });
});

function finding(severity: Finding['severity'], message: string, start: [number, number], end: [number, number]): Finding {
  return {
    ruleId: 'host-network',
    messageId: 'hostNetwork',
    severity,
    message,
    range: { start: { line: start[0], character: start[1] }, end: { line: end[0], character: end[1] } },
    span: { start: 0, end: 0 },
  };
}

function reportOf(path: string, findings: Finding[]): ScanReport {
  return {
    files: [{ displayPath: path, fileKind: 'kubernetes', findings, failures: [], fingerprints: findings.map((_, i) => `fp${i}`) }],
    rules: [],
    baseDir: '/work',
    toolVersion: '0.0.0',
    repositoryUrl: 'https://example.com/shipshape',
    profile: 'recommended',
    failures: [],
  };
}

describe('GitHub workflow command details', () => {
  it('escapes % CR LF in messages, and also , : in properties, as the Actions toolkit does', () => {
    assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('dir:a,b/100%.yaml\n'), 'dir%3Aa%2Cb/100%25.yaml%0A');
    assert.equal(
      formatGithub(reportOf('we,ird:dir/pod.yaml', [finding('error', 'line one\nline two: 100%', [0, 2], [0, 6])])),
      '::error file=we%2Cird%3Adir/pod.yaml,line=1,col=3,endLine=1,endColumn=6,title=host-network::line one%0Aline two: 100%25\n',
    );
  });

  it('maps warning and info to ::warning and ::notice', () => {
    const output = formatGithub(reportOf('a.yaml', [finding('warning', 'w', [1, 0], [1, 4]), finding('info', 'i', [2, 0], [2, 4])]));
    assert.deepEqual(
      output.split('\n').map((line) => line.split(' ')[0]),
      ['::warning', '::notice', ''],
    );
  });

  it('sends columns only for a range on one line; an empty range ends at its own column', () => {
    const output = formatGithub(
      reportOf('a.yaml', [
        finding('error', 'multi', [3, 4], [5, 2]),
        finding('error', 'to the next line start', [3, 4], [4, 0]),
        finding('error', 'empty', [7, 9], [7, 9]),
      ]),
    );
    assert.equal(
      output,
      '::error file=a.yaml,line=4,endLine=6,title=host-network::multi\n' +
        '::error file=a.yaml,line=4,endLine=4,title=host-network::to the next line start\n' +
        '::error file=a.yaml,line=8,col=10,endLine=8,endColumn=10,title=host-network::empty\n',
    );
  });

  it('writes nothing at all when there is nothing to report', () => {
    assert.equal(formatGithub(reportOf('a.yaml', [])), '');
    assert.equal(formatGitlab(reportOf('a.yaml', [])), '[]\n');
  });
});

describe('GitLab Code Quality details', () => {
  it('maps error, warning and info to critical, major and info, and leaves out suppressed findings', () => {
    const suppressed: Finding = { ...finding('error', 'hidden', [0, 0], [0, 1]), suppression: { kind: 'comment', source: '# shipshape-ignore host-network' } };
    const issues = JSON.parse(
      formatGitlab(reportOf('k8s/a.yaml', [finding('error', 'e', [0, 0], [0, 1]), finding('warning', 'w', [4, 2], [6, 0]), suppressed, finding('info', 'i', [9, 0], [9, 1])])),
    ) as unknown;
    assert.deepEqual(issues, [
      { description: 'e', check_name: 'host-network', fingerprint: 'fp0', severity: 'critical', location: { path: 'k8s/a.yaml', lines: { begin: 1 } } },
      { description: 'w', check_name: 'host-network', fingerprint: 'fp1', severity: 'major', location: { path: 'k8s/a.yaml', lines: { begin: 5 } } },
      { description: 'i', check_name: 'host-network', fingerprint: 'fp3', severity: 'info', location: { path: 'k8s/a.yaml', lines: { begin: 10 } } },
    ]);
  });
});
