import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { scanArguments } from '../../scripts/github-action';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'github-action.ts');
const CLI = join(ROOT, 'server', 'out', 'cli.js');

interface ActionManifest {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: Array<{ name: string; env?: Record<string, string>; run: string }> };
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionManifest;
const envName = (input: string): string => `INPUT_${input.toUpperCase().replace(/-/g, '_')}`;

/** The script as the Action's scan step runs it: every input at its action.yml default unless given. */
function runAction(inputs: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const [name, input] of Object.entries(action.inputs)) env[envName(name)] = inputs[name] ?? input.default;
  const result = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function unsuppressedCount(args: string[]): number {
  const report = JSON.parse(spawnSync(process.execPath, [CLI, 'scan', ...args, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }).stdout) as { summary: Record<string, number> };
  return (report.summary.errors ?? 0) + (report.summary.warnings ?? 0) + (report.summary.info ?? 0);
}

describe('the GitHub Action (action.yml and scripts/github-action.ts)', () => {
  it('passes every input, and only inputs, to the script through the environment', () => {
    assert.deepEqual(Object.keys(action.inputs), ['paths', 'profile', 'config', 'fail-on', 'format', 'output', 'shard', 'cache', 'merge']);
    assert.equal(action.runs.using, 'composite');
    const scan = action.runs.steps.find((step) => step.run.includes('scripts/github-action.ts'));
    assert.ok(scan, 'a step runs the script');
    assert.deepEqual(scan.env, Object.fromEntries(Object.keys(action.inputs).map((name) => [envName(name), `\${{ inputs.${name} }}`])));
    assert.ok(action.runs.steps.every((step) => !/\$\{\{\s*inputs\./.test(step.run)), 'no input is pasted into a shell line');
  });

  it('scans examples/ with the defaults: one annotation per finding, failing on errors', () => {
    const run = runAction({ paths: 'examples' });
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.split('\n').filter(Boolean);
    assert.ok(lines.every((line) => /^::(error|warning|notice) file=examples\/[^,]+,line=\d+,/.test(line)), run.stdout);
    assert.equal(lines.length, unsuppressedCount(['examples']));
    assert.equal(run.stderr, 'shipshape scan examples --fail-on error --format github\n');
  });

  it('hands profile and fail-on to the CLI', () => {
    const run = runAction({ paths: 'examples/kubernetes\nexamples/docker', profile: 'baseline', 'fail-on': 'none' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.split('\n').filter(Boolean).length, unsuppressedCount(['examples/kubernetes', 'examples/docker', '--profile', 'baseline']));
    assert.ok(unsuppressedCount(['examples', '--profile', 'baseline']) < unsuppressedCount(['examples']), 'the profile changes the result');
  });

  it('writes SARIF to output for code scanning, leaving the log free of it', () => {
    const output = join(mkdtempSync(join(tmpdir(), 'shipshape-action-')), 'shipshape.sarif');
    const run = runAction({ paths: 'examples', format: 'sarif', output, config: join(ROOT, 'test', 'cli', 'formats', 'workspace', '.shipshape.yaml') });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    const sarif = JSON.parse(readFileSync(output, 'utf8')) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    assert.equal(sarif.version, '2.1.0');
    const ruleIds = new Set(sarif.runs[0]?.results.map((result) => result.ruleId));
    assert.ok(ruleIds.has('image-not-pinned') && !ruleIds.has('seccomp-profile-missing'), 'the config (baseline plus image-not-pinned) applies');
  });

  it('stops with exit 2 on a path that does not exist, rather than scan nothing', () => {
    const run = runAction({ paths: 'examples k8s-typo' });
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^shipshape action: paths: "k8s-typo" not found/);
  });

  it('splits paths on spaces and newlines, and scans the workspace when none are given', () => {
    const exists = (): boolean => true;
    assert.deepEqual(scanArguments({ INPUT_PATHS: ' k8s  docker\n charts/a\n', INPUT_FORMAT: 'sarif', INPUT_PROFILE: '' }, exists), ['scan', 'k8s', 'docker', 'charts/a', '--format', 'sarif']);
    assert.deepEqual(scanArguments({}, exists), ['scan', '.']);
  });

  it('hands shard and cache to a scan, and merges a folder of reports', () => {
    const exists = (): boolean => true;
    const defaults = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [envName(name), input.default]));
    assert.deepEqual(scanArguments({ ...defaults, INPUT_SHARD: '2/4', INPUT_CACHE: 'true', INPUT_FORMAT: 'json', INPUT_OUTPUT: 'shard-2.json' }, exists), [
      'scan', '.', '--shard', '2/4', '--cache', '--fail-on', 'error', '--format', 'json', '--output', 'shard-2.json',
    ]);
    assert.deepEqual(scanArguments({ ...defaults, INPUT_MERGE: 'reports', INPUT_FORMAT: 'sarif', INPUT_OUTPUT: 'shipshape.sarif' }, exists), [
      'merge', 'reports', '--fail-on', 'error', '--format', 'sarif', '--output', 'shipshape.sarif',
    ]);
    assert.throws(() => scanArguments({ ...defaults, INPUT_MERGE: 'reports', INPUT_SHARD: '1/2' }, exists), /merge takes no shard/);
    assert.throws(() => scanArguments({ ...defaults, INPUT_MERGE: 'reports' }, () => false), /merge: "reports" not found/);
    assert.throws(() => scanArguments({ ...defaults, INPUT_CACHE: 'yes' }, exists), /cache: true or false, not "yes"/);
  });
});
