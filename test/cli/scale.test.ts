import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { shipshape, type CliRun } from '../harness/cli';
import { parseCache, serializeCache } from '../../server/src/host/scan-cache';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
/** A fixed day, so end-of-life findings do not move under the tests. */
const DATE = ['--date', '2026-03-02'];

/** A scan's report in `format`; the run must succeed, with nothing on standard error. */
function report(args: string[], cwd: string, format = 'json'): string {
  const run = shipshape(['scan', ...args, ...DATE, '--format', format, '--fail-on', 'none'], cwd);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return run.stdout;
}

/**
 * A small workspace with cross-file findings: manifests whose images skaffold builds from
 * Dockerfiles here (workload-image-runs-as-root), workloads in labelled Namespaces
 * (namespace-pss-violation), and Kustomize overlays with a component (findings from the builds).
 */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-scale-'));
  cpSync(join(FIXTURES, 'workload-image-runs-as-root', 'skaffold-root'), join(dir, 'app'), { recursive: true });
  cpSync(join(FIXTURES, 'namespace-pss-violation', 'labelled'), join(dir, 'namespaces'), { recursive: true });
  cpSync(join(ROOT, 'test', 'kustomize-fixtures', 'platform'), join(dir, 'platform'), { recursive: true });
  return dir;
}

interface JsonReport {
  files: Array<{ path: string; findings: Array<{ ruleId: string; message: string; range: { start: { line: number } }; related?: Array<{ path?: string }> }> }>;
}

const parse = (text: string): JsonReport => JSON.parse(text) as JsonReport;

/** Findings that another file decided: related locations in another file. */
function crossFileFindings(text: string): string[] {
  return parse(text).files.flatMap((file) =>
    file.findings.filter((finding) => finding.related?.some((related) => related.path !== undefined)).map((finding) => `${file.path}:${finding.range.start.line} ${finding.ruleId}`),
  );
}

/** Findings of the Kustomize builds: reported on base, component and overlay lines, naming the builds. */
const KUSTOMIZE_FINDINGS = [
  'platform/base/api.yaml:24 capabilities-not-dropped',
  'platform/base/api.yaml:24 privilege-escalation-allowed',
  'platform/base/api.yaml:24 read-only-root-filesystem',
  'platform/base/api.yaml:24 resource-limits-missing',
  'platform/base/api.yaml:24 resource-requests-missing',
  'platform/base/api.yaml:27 privileged-container',
  'platform/base/worker.yaml:10 automount-service-account-token',
  'platform/base/worker.yaml:13 capabilities-not-dropped',
  'platform/base/worker.yaml:13 privilege-escalation-allowed',
  'platform/base/worker.yaml:13 read-only-root-filesystem',
  'platform/base/worker.yaml:13 resource-limits-missing',
  'platform/base/worker.yaml:13 resource-requests-missing',
  'platform/base/worker.yaml:13 run-as-non-root-unset',
  'platform/base/worker.yaml:13 seccomp-profile-missing',
  'platform/components/debug-sidecar/add-debugger.yaml:10 capabilities-not-dropped',
  'platform/components/debug-sidecar/add-debugger.yaml:10 privilege-escalation-allowed',
  'platform/components/debug-sidecar/add-debugger.yaml:10 read-only-root-filesystem',
  'platform/components/debug-sidecar/add-debugger.yaml:10 resource-limits-missing',
  'platform/components/debug-sidecar/add-debugger.yaml:10 resource-requests-missing',
  'platform/components/debug-sidecar/add-debugger.yaml:11 image-tag-mutable',
  'platform/components/debug-sidecar/add-debugger.yaml:14 capabilities-not-dropped',
  'platform/components/debug-sidecar/add-debugger.yaml:14 dangerous-capabilities',
  'platform/overlays/dev/kustomization.yaml:11 image-tag-mutable',
];

const CACHE = '.shipshape-cache';

/** The cache's tool line, and its entries. */
function readCache(dir: string): { tool: string; entries: ReturnType<typeof parseCache>['entries'] } {
  const text = readFileSync(join(dir, CACHE), 'utf8');
  const tool = (JSON.parse(text.slice(0, text.indexOf('\n'))) as { tool: string }).tool;
  const { entries, problem } = parseCache(text, tool);
  assert.equal(problem, undefined);
  return { tool, entries };
}

/**
 * Rewrites the cached outcome of `file` so that its first finding says POISONED: a scan that
 * prints POISONED took that outcome from the cache.
 */
function poison(dir: string, file: string, tool?: string): void {
  const cache = readCache(dir);
  const outcome = cache.entries.get(join(dir, file))?.outcome?.outcome;
  const first = outcome?.findings[0];
  assert.ok(first, `${file} has a cached finding`);
  first.message = 'POISONED';
  writeFileSync(join(dir, CACHE), serializeCache(tool ?? cache.tool, cache.entries));
}

describe('--cache', () => {
  it('prints the identical report, cross-file findings included, cold and warm', () => {
    const dir = workspace();
    // The outcomes are what the cache keeps; json carries all of them, text is the default.
    for (const format of ['json', 'text']) {
      const full = report([], dir, format);
      assert.equal(report(['--cache'], dir, format), full, `${format}, cold`);
      assert.equal(report(['--cache'], dir, format), full, `${format}, warm`);
    }
    assert.deepEqual(crossFileFindings(report([], dir)), [
      'app/k8s/deploy.yaml:15 workload-image-runs-as-root',
      'app/k8s/deploy.yaml:17 workload-image-runs-as-root',
      'namespaces/workloads.yaml:5 namespace-pss-violation',
      'namespaces/workloads.yaml:35 namespace-pss-violation',
      'namespaces/workloads.yaml:47 namespace-pss-violation',
      ...KUSTOMIZE_FINDINGS,
    ]);
  });

  it('reuses what it keeps: a cached outcome is what a warm scan prints', () => {
    const dir = workspace();
    report(['--cache'], dir);
    poison(dir, 'app/k8s/deploy.yaml');
    assert.match(report(['--cache'], dir), /POISONED/);
    // Without --cache nothing is read from it.
    assert.doesNotMatch(report([], dir), /POISONED/);
  });

  it('re-analyses a manifest whose Dockerfile changed, and keeps the others', () => {
    const dir = workspace();
    report(['--cache'], dir);
    poison(dir, 'app/k8s/deploy.yaml');
    poison(dir, 'namespaces/workloads.yaml');
    appendFileSync(join(dir, 'app', 'services', 'cart', 'Dockerfile'), 'USER 10001\n');
    const warm = report(['--cache'], dir);
    const deploy = parse(warm).files.find((file) => file.path === 'app/k8s/deploy.yaml');
    assert.ok(deploy && !deploy.findings.some((finding) => finding.message === 'POISONED'), 'the manifest that reads the Dockerfile is analysed again');
    assert.ok(parse(warm).files.find((file) => file.path === 'namespaces/workloads.yaml')?.findings.some((finding) => finding.message === 'POISONED'), 'the others come from the cache');
    writeFileSync(join(dir, CACHE), 'x');
    assert.deepEqual(crossFileFindings(shipshape(['scan', ...DATE, '--format', 'json', '--fail-on', 'none', '--cache'], dir).stdout), [
      'app/k8s/deploy.yaml:17 workload-image-runs-as-root',
      'namespaces/workloads.yaml:5 namespace-pss-violation',
      'namespaces/workloads.yaml:35 namespace-pss-violation',
      'namespaces/workloads.yaml:47 namespace-pss-violation',
      ...KUSTOMIZE_FINDINGS,
    ]);
  });

  it('re-analyses a workload whose Namespace changed (facts read through a name)', () => {
    const dir = workspace();
    report(['--cache'], dir);
    poison(dir, 'namespaces/workloads.yaml');
    const namespaces = join(dir, 'namespaces', 'namespaces.yaml');
    writeFileSync(namespaces, readFileSync(namespaces, 'utf8').replaceAll('restricted', 'baseline'));
    const warm = report(['--cache'], dir);
    assert.doesNotMatch(warm, /POISONED/);
    assert.equal(warm, report([], dir));
  });

  it('judges Kustomize builds afresh when an overlay changes', () => {
    const dir = workspace();
    const before = report(['--cache'], dir);
    const overlay = join(dir, 'platform', 'overlays', 'prod', 'kustomization.yaml');
    // The prod overlay stops deleting the privileged log shipper: the base's findings change.
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace('                $patch: delete\n', '                image: busybox\n'));
    const warm = report(['--cache'], dir);
    assert.notEqual(warm, before, 'the change shows');
    assert.equal(warm, report([], dir));
  });

  it('re-analyses a file that changed between runs', () => {
    const dir = workspace();
    report(['--cache'], dir);
    poison(dir, 'namespaces/workloads.yaml');
    appendFileSync(join(dir, 'namespaces', 'workloads.yaml'), '# reviewed\n');
    const warm = report(['--cache'], dir);
    assert.doesNotMatch(warm, /POISONED/);
    assert.equal(warm, report([], dir));
  });

  it('is not used under another configuration, another day or another tool build', () => {
    const dir = workspace();
    report(['--cache'], dir);
    poison(dir, 'app/k8s/deploy.yaml');
    assert.doesNotMatch(report(['--cache', '--profile', 'strict'], dir), /POISONED/, 'a flag');
    poison(dir, 'app/k8s/deploy.yaml');
    writeFileSync(join(dir, '.shipshape.yaml'), 'rules:\n  host-network: off\n');
    assert.doesNotMatch(report(['--cache'], dir), /POISONED/, 'a config file');
    poison(dir, 'app/k8s/deploy.yaml');
    const nextDay = shipshape(['scan', '--date', '2026-03-03', '--format', 'json', '--fail-on', 'none', '--cache'], dir);
    assert.doesNotMatch(nextDay.stdout, /POISONED/, 'another day');
    report(['--cache'], dir);
    poison(dir, 'app/k8s/deploy.yaml', '0.0.9+another-build');
    const other = shipshape(['scan', ...DATE, '--format', 'json', '--fail-on', 'none', '--cache'], dir);
    assert.doesNotMatch(other.stdout, /POISONED/, 'another build');
    assert.equal(other.stderr, '', 'a cache of another build is stale, not broken: no notice');
    assert.notEqual(readCache(dir).tool, '0.0.9+another-build', 'and it is replaced');
  });

  it('ignores a corrupt or foreign cache with one line on standard error, and replaces it', () => {
    const dir = workspace();
    const full = report([], dir);
    const cases: Array<[string, string | ((text: string) => string), RegExp]> = [
      ['not JSON', 'garbage\n', /it is not a Shipshape cache/],
      ['another tool', '{"version":3,"results":{}}\n', /it is not a Shipshape cache/],
      ['truncated', (text) => text.slice(0, text.length - 100), /damaged \(its checksum does not match\)/],
      ['flipped', (text) => text.replace('"findings":[{', '"findings":[{"x":1,'), /damaged/],
    ];
    for (const [name, damage, notice] of cases) {
      report(['--cache'], dir);
      const text = readFileSync(join(dir, CACHE), 'utf8');
      writeFileSync(join(dir, CACHE), typeof damage === 'string' ? damage : damage(text));
      const run = shipshape(['scan', ...DATE, '--format', 'json', '--fail-on', 'none', '--cache'], dir);
      assert.equal(run.status, 0, name);
      assert.equal(run.stdout, full, `${name}: standard output holds the report only`);
      assert.match(run.stderr, notice, name);
      assert.match(run.stderr, /^shipshape: ignoring the cache [^\n]*\.shipshape-cache: [^\n]+\n$/, `${name}: one line`);
      assert.ok(readCache(dir).entries.size > 0, `${name}: replaced by a good one`);
    }
  });

  it('keeps a structurally wrong entry out even with a good checksum', () => {
    const dir = workspace();
    report(['--cache'], dir);
    const cache = readCache(dir);
    const entry = cache.entries.get(join(dir, 'app/k8s/deploy.yaml'));
    assert.ok(entry?.outcome);
    (entry.outcome.outcome as unknown as { findings: unknown }).findings = 'none';
    writeFileSync(join(dir, CACHE), serializeCache(cache.tool, cache.entries));
    const run = shipshape(['scan', ...DATE, '--format', 'json', '--fail-on', 'none', '--cache'], dir);
    assert.equal(run.stdout, report([], dir));
    assert.match(run.stderr, /damaged \(the entry of [^)]*deploy\.yaml\)/);
  });

  it('--cache-location takes a file or a folder; a cache that cannot be written is a notice', () => {
    const dir = workspace();
    const full = report([], dir);
    const elsewhere = mkdtempSync(join(tmpdir(), 'shipshape-cache-'));
    assert.equal(report(['--cache-location', join(elsewhere, 'scan.cache')], dir), full);
    assert.match(readFileSync(join(elsewhere, 'scan.cache'), 'utf8'), /^\{"format":"shipshape-cache"/);
    assert.equal(report(['--cache-location', `${elsewhere}/`], dir), full);
    assert.match(readFileSync(join(elsewhere, CACHE), 'utf8'), /^\{"format":"shipshape-cache"/);
    writeFileSync(join(elsewhere, 'a-file'), '');
    const blocked = shipshape(['scan', ...DATE, '--format', 'json', '--fail-on', 'none', '--cache-location', join(elsewhere, 'a-file', 'cache')], dir);
    assert.equal(blocked.status, 0);
    assert.equal(blocked.stdout, full);
    assert.match(blocked.stderr, /^shipshape: the cache [^\n]* could not be written \([^\n]*\)\n$/);
  });

  it('after --fix, a scan from the cache is the scan of the fixed files', () => {
    const dir = workspace();
    report(['--cache'], dir);
    const fixed = shipshape(['scan', ...DATE, '--fix', '--cache', '--format', 'json', '--fail-on', 'none', '--quiet'], dir);
    assert.equal(fixed.status, 0, fixed.stderr);
    assert.notEqual(readFileSync(join(dir, 'app', 'k8s', 'deploy.yaml'), 'utf8'), readFileSync(join(FIXTURES, 'workload-image-runs-as-root', 'skaffold-root', 'k8s', 'deploy.yaml'), 'utf8'), 'the fix wrote');
    assert.equal(report(['--cache'], dir), report([], dir));
  });
});

describe('--shard and merge', () => {
  const FORMATS = ['json', 'sarif', 'text', 'github', 'gitlab'];

  /** Each shard's report, from a scan of `dir` cut in `count`. */
  function shards(dir: string, count: number, extra: string[] = []): string[] {
    return Array.from({ length: count }, (_unused, index) => report([...extra, '--shard', `${index + 1}/${count}`], dir));
  }

  function merge(reports: string[], format: string): CliRun {
    const folder = mkdtempSync(join(tmpdir(), 'shipshape-shards-'));
    const files = reports.map((text, index) => {
      const file = join(folder, `shard-${index + 1}.json`);
      writeFileSync(file, text);
      return file;
    });
    return shipshape(['merge', ...files, '--format', format, '--fail-on', 'none'], folder);
  }

  /** One workspace, its full scan in every format and its three shards, for the tests that only read them. */
  let scanned: { dir: string; full: Map<string, string>; thirds: string[] } | undefined;
  function thirds(): { dir: string; full: Map<string, string>; thirds: string[] } {
    if (!scanned) {
      const dir = workspace();
      scanned = { dir, full: new Map(FORMATS.map((format) => [format, report([], dir, format)])), thirds: shards(dir, 3) };
    }
    return scanned;
  }

  it('n shards together hold every file once, none empty, and see every cross-file finding', () => {
    const { dir, full, thirds: three } = thirds();
    const paths = parse(full.get('json') as string).files.map((file) => file.path);
    const expected = crossFileFindings(full.get('json') as string);
    for (const count of [1, 2, 3, 5, paths.length]) {
      const parts = count === 3 ? three : shards(dir, count);
      const files = parts.map((text) => parse(text).files.map((file) => file.path));
      assert.ok(files.every((part) => part.length > 0), `${count} shards: none empty`);
      assert.deepEqual(files.flat().sort(), [...paths].sort(), `${count} shards: every file once`);
      assert.deepEqual(parts.flatMap(crossFileFindings).sort(), [...expected].sort(), `${count} shards: cross-file rules read the whole workspace`);
    }
  });

  it('the shards merge into the full scan, in every format', () => {
    const { full, thirds: [one, two, three] } = thirds();
    for (const format of FORMATS) {
      const merged = merge([three as string, one as string, two as string], format);
      assert.equal(merged.status, 0, merged.stderr);
      assert.equal(merged.stdout, full.get(format), format);
    }
  });

  it('a shard with the cache prints what it prints without', () => {
    const dir = workspace();
    const { thirds: plain, full } = thirds();
    assert.deepEqual(shards(dir, 3, ['--cache']).map((text) => text.replaceAll(dir, '')), plain.map((text) => text.replaceAll(thirds().dir, '')), 'cold');
    assert.deepEqual(shards(dir, 3, ['--cache']).map((text) => text.replaceAll(dir, '')), plain.map((text) => text.replaceAll(thirds().dir, '')), 'warm');
    assert.equal(report(['--cache'], dir).replaceAll(dir, ''), (full.get('json') as string).replaceAll(thirds().dir, ''), 'a whole scan after the shards, from their cache');
  });

  it('a file added elsewhere moves no other file to another shard', () => {
    const dir = workspace();
    // Enough files that no shard needs rebalancing (a handful of files may; see host/shard.ts).
    for (let index = 0; index < 24; index++) writeFileSync(join(dir, `Dockerfile.${index}`), 'FROM alpine:3.20\nUSER 10001\n');
    const before = shards(dir, 3).map((text) => parse(text).files.map((file) => file.path));
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'Dockerfile'), 'FROM alpine:3.20\nUSER 10001\n');
    const after = shards(dir, 3).map((text) => parse(text).files.map((file) => file.path).filter((path) => path !== 'more/Dockerfile'));
    assert.deepEqual(after, before);
  });

  it('refuses to merge an incomplete or mixed set of reports', () => {
    const { dir, full, thirds: [one, two, three] } = thirds() as { dir: string; full: Map<string, string>; thirds: [string, string, string] };
    const whole = full.get('json') as string;
    const ofTwo = one.replace('"count": 3', '"count": 2');
    const cases: Array<[string[], RegExp]> = [
      [[one, three], /shard 2\/3 missing: merge all 3/],
      [[one, one, two, three], /are both shard 1\/3/],
      [[one, two, three, whole], /is a whole scan and .* a shard/],
      [[whole, whole], /is in both/],
      [[ofTwo, two, three], /is shard 1\/2, not one of 3|not one of 2/],
      [['{"files": []}'], /not a Shipshape JSON report/],
      [['[1, 2'], /is not JSON/],
      [[one.replace('"version": "0.1.0"', '"version": "0.0.1"'), two, three], /written by Shipshape 0\.0\.1; merge it with that version/],
    ];
    for (const [reports, message] of cases) {
      const run = merge(reports, 'json');
      assert.equal(run.status, 2, String(message));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
    }
    const flags = shipshape(['merge', '--shard', '1/2', 'a.json'], dir);
    assert.equal(flags.status, 2);
    assert.match(flags.stderr, /merge takes no --shard/);
  });

  it('merge takes a folder of reports, and exits as the scan would', () => {
    const { dir, full, thirds: parts } = thirds();
    const folder = mkdtempSync(join(tmpdir(), 'shipshape-shards-'));
    parts.forEach((text, index) => writeFileSync(join(folder, `part-${index}.json`), text));
    const gate = shipshape(['merge', folder, '--format', 'github'], dir);
    assert.equal(gate.status, 1, 'errors at the default --fail-on error');
    assert.equal(gate.stdout, full.get('github'));
    assert.equal(shipshape(['merge', folder, '--format', 'github', '--fail-on', 'none'], dir).status, 0);
  });

  it('rejects a malformed --shard and --concurrency', () => {
    const { dir } = thirds();
    for (const shard of ['0/3', '4/3', '1/0', 'a/b', '1/3/5', '2', '1/2000']) {
      const run = shipshape(['scan', '--shard', shard], dir);
      assert.equal(run.status, 2, shard);
      assert.match(run.stderr, /--shard must be i\/n/);
    }
    const run = shipshape(['scan', '--concurrency', '0'], dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--concurrency must be/);
  });

  it('--concurrency 1 and 2 print the same report', () => {
    const { dir, full } = thirds();
    assert.equal(report(['--concurrency', '1'], dir), full.get('json'));
    assert.equal(report(['--concurrency', '2'], dir), full.get('json'));
  });
});
