/**
 * Scale figures (issue 16), run by `npm run bench` or alone (`tsx scripts/bench-scale.ts`, after
 * `npm run build`):
 * - the scan cache on the real-world corpus: a cold `--cache` run (no cache file) against a warm
 *   one (unchanged files), medians of BENCH_SCALE_RUNS (3), and whether they print the same report;
 * - a generated monorepo of 20,000 files (BENCH_MONOREPO_FILES): copies of the real-world corpus
 *   under team folders, cold and warm, with 1 and 2 threads (`--concurrency`): files/s and the
 *   peak resident memory of the scan's process (worker threads included).
 * Figures are printed, never asserted; on a shared machine compare the ratios of one run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const REALWORLD = resolve(ROOT, '..', 'shared', 'corpus', 'realworld');
const WORK = join(ROOT, '.bench-cache', 'scale');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const PEAK = join(WORK, 'peak-rss.cjs');
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
const MONOREPO_FILES = Number(process.env.BENCH_MONOREPO_FILES ?? 20_000);
/** What the issue asks of a warm run over an unchanged corpus, as a fraction of the cold run. */
const WARM_TARGET = 0.35;
const PEAK_TARGET_MIB = 1024;

interface Timed {
  ms: number;
  peakMiB: number;
  report: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The peak resident set of the whole process, written when the main thread exits. Loaded into the
 * scan with --require; worker threads load it too and skip it (their memory is the process's).
 */
function writePeakProbe(): void {
  writeFileSync(
    PEAK,
    `const { isMainThread } = require('node:worker_threads');
if (isMainThread && process.env.SHIPSHAPE_PEAK_FILE) {
  process.on('exit', () => require('node:fs').writeFileSync(process.env.SHIPSHAPE_PEAK_FILE, String(process.resourceUsage().maxRSS)));
}
`,
  );
}

/** One `shipshape scan . --format json` in `dir`: its time, peak memory and report. */
function scan(dir: string, args: readonly string[]): Timed {
  const output = join(WORK, 'report.json');
  const peakFile = join(WORK, 'peak.txt');
  rmSync(peakFile, { force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', PEAK, CLI, 'scan', '.', '--format', 'json', '--fail-on', 'none', '--output', output, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SHIPSHAPE_PEAK_FILE: peakFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`shipshape scan ${args.join(' ')} in ${dir} failed (${String(result.status)}): ${result.stderr}`);
  return { ms, peakMiB: Number(readFileSync(peakFile, 'utf8')) / 1024, report: readFileSync(output, 'utf8') };
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * `files` files: the real-world corpus once (team-00), then copies of its files up to 100 KB
 * (manifests and Dockerfiles of the usual size; a monorepo vendors its 800 KB CRDs once) under
 * team-01, team-02... until the count is reached. Copies keep their folders, so each team's
 * Namespaces, skaffold files and Dockerfiles sit beside the manifests that use them.
 */
function generateMonorepo(files: number): string {
  const out = join(WORK, `monorepo-${files}`);
  const marker = join(out, '.complete');
  if (existsSync(marker)) return out;
  rmSync(out, { recursive: true, force: true });
  const corpus = filesUnder(REALWORLD).filter((path) => path !== 'SOURCES.tsv');
  const usual = corpus.filter((path) => statSync(join(REALWORLD, path)).size <= 100 * 1024);
  let written = 0;
  const copy = (path: string, team: number): void => {
    const target = join(out, `team-${String(team).padStart(2, '0')}`, path);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(REALWORLD, path), target);
    written++;
  };
  for (const path of corpus.slice(0, files)) copy(path, 0);
  for (let team = 1; written < files; team++) {
    for (const path of usual) {
      if (written >= files) break;
      copy(path, team);
    }
  }
  writeFileSync(marker, '');
  return out;
}

/** Cold (no cache file) then warm runs, RUNS times; each warm report must equal its cold one. */
function coldAndWarm(dir: string, args: readonly string[]): { cold: Timed[]; warm: Timed[] } {
  const cacheFile = join(WORK, 'scan.cache');
  const cold: Timed[] = [];
  const warm: Timed[] = [];
  for (let run = 0; run < RUNS; run++) {
    rmSync(cacheFile, { force: true });
    const first = scan(dir, [...args, '--cache-location', cacheFile]);
    const second = scan(dir, [...args, '--cache-location', cacheFile]);
    if (second.report !== first.report) throw new Error(`${dir}: the warm report differs from the cold one (${args.join(' ')})`);
    cold.push(first);
    warm.push(second);
  }
  return { cold, warm };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const mib = (runs: readonly Timed[]): string => `${Math.max(...runs.map((run) => run.peakMiB)).toFixed(0)} MiB`;

function benchCache(): void {
  const files = filesUnder(REALWORLD).length;
  const plain = Array.from({ length: RUNS }, () => scan(REALWORLD, []));
  const { cold, warm } = coldAndWarm(REALWORLD, []);
  const same = cold.every((run) => run.report === plain[0]?.report);
  const ratio = median(warm.map((run) => run.ms)) / median(cold.map((run) => run.ms));
  console.log(`Scan cache on the real-world corpus (${files} files), medians of ${RUNS}\n`);
  console.log('| no --cache | --cache, cold | --cache, warm | warm / cold | target | same report as without --cache |');
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| ${seconds(median(plain.map((run) => run.ms)))} | ${seconds(median(cold.map((run) => run.ms)))} | ${seconds(median(warm.map((run) => run.ms)))} | ${ratio.toFixed(2)}x | ≤ ${WARM_TARGET}x ${ratio <= WARM_TARGET ? 'met' : 'MISSED'} | ${same ? 'yes' : 'NO'} |`,
  );
}

function benchMonorepo(): void {
  const dir = generateMonorepo(MONOREPO_FILES);
  const files = filesUnder(dir).filter((path) => path !== '.complete').length;
  console.log(`\nGenerated monorepo: ${files} files (copies of the real-world corpus), medians of ${RUNS}, peak RSS the highest of the runs\n`);
  console.log('| threads | cold | files/s | peak RSS | warm | files/s | peak RSS | warm / cold |');
  console.log('|---|---|---|---|---|---|---|---|');
  const reports: string[] = [];
  let peak = 0;
  for (const threads of [1, 2]) {
    const { cold, warm } = coldAndWarm(dir, ['--concurrency', String(threads)]);
    reports.push(cold[0]?.report ?? '');
    const coldMs = median(cold.map((run) => run.ms));
    const warmMs = median(warm.map((run) => run.ms));
    peak = Math.max(peak, ...cold.map((run) => run.peakMiB), ...warm.map((run) => run.peakMiB));
    const rate = (ms: number): string => (files / (ms / 1000)).toFixed(0);
    console.log(`| ${threads} | ${seconds(coldMs)} | ${rate(coldMs)} | ${mib(cold)} | ${seconds(warmMs)} | ${rate(warmMs)} | ${mib(warm)} | ${(warmMs / coldMs).toFixed(2)}x |`);
  }
  console.log(`\nPeak RSS ${peak.toFixed(0)} MiB (target ≤ ${PEAK_TARGET_MIB} MiB: ${peak <= PEAK_TARGET_MIB ? 'met' : 'MISSED'}); 1 and 2 threads print ${reports[0] === reports[1] ? 'the same report' : 'DIFFERENT REPORTS'}.`);
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('Build first: npm run build');
  if (!existsSync(REALWORLD)) {
    console.log(`(${REALWORLD} not found: the scale figures need the real-world corpus)`);
    return;
  }
  mkdirSync(WORK, { recursive: true });
  writePeakProbe();
  benchCache();
  benchMonorepo();
}

main();
