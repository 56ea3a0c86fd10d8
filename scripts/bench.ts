/**
 * `npm run bench`: CLI throughput next to the parse-only floor, the scan cache and a 20,000-file
 * monorepo (scripts/bench-scale.ts), then the language server's latency (scripts/bench-lsp.ts).
 * The floor is a fresh process doing the same file reads and the same parser calls with the same
 * options (`yaml` and dockerfile-ast) and nothing else.
 * Each figure is the median of several runs, taken in one session so ratios compare like with like.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '..');
const SHARED = resolve(ROOT, '..', 'shared');
const CACHE = join(ROOT, '.bench-cache');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const FLOOR = join(CACHE, 'parse-floor.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function timeCommand(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return elapsed;
}

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/** Many mid-sized manifests and Dockerfiles, like a monorepo's deploy folder. */
function generateCorpus(): string {
  const out = join(CACHE, 'generated');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (let seed = 1; seed <= 40; seed++) {
    const dir = join(out, `service-${seed}`);
    const made = spawnSync(process.execPath, [join(SHARED, 'bench', 'make-docs.mjs'), '--out', dir, '--yaml', '200,600', '--dockerfile', '60', '--seed', String(seed)], {
      encoding: 'utf8',
    });
    if (made.status !== 0) throw new Error(`make-docs failed: ${made.stderr}`);
  }
  return out;
}

function buildFloor(): void {
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(
    join(CACHE, 'parse-floor.ts'),
    `import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
// The same reads and parser calls the scan makes, with the same options, and nothing else.
const options = { merge: true, uniqueKeys: true, prettyErrors: false, strict: true } as const;
for (const root of process.argv.slice(2)) {
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = entry.name;
    if (/\\.ya?ml$|\\.json$/i.test(name)) parseAllDocuments(readFileSync(path, 'utf8'), options);
    else if (/^(Dockerfile|Containerfile)(\\..+)?$|\\.(Dockerfile|Containerfile)$/i.test(name)) DockerfileParser.parse(readFileSync(path, 'utf8'));
  }
}
`,
  );
  buildSync({ entryPoints: [join(CACHE, 'parse-floor.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: FLOOR, logLevel: 'warning' });
}

function benchCorpus(label: string, dir: string): void {
  const { files, bytes } = countFiles(dir);
  const floor: number[] = [];
  const scan: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Interleaved, so drift on a noisy machine hits both alike.
    floor.push(timeCommand([FLOOR, dir]));
    scan.push(timeCommand([CLI, 'scan', dir, '--format', 'json', '--profile', 'strict', '--output', join(CACHE, 'scan.json')]));
  }
  const floorMs = median(floor);
  const scanMs = median(scan);
  console.log(
    `| ${label} | ${files} | ${(bytes / 1048576).toFixed(1)} MB | ${floorMs.toFixed(0)} ms | ${scanMs.toFixed(0)} ms | ${(scanMs / floorMs).toFixed(2)}x |`,
  );
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('Build first: npm run build');
  buildFloor();
  const generated = generateCorpus();
  console.log(`CLI throughput, median of ${RUNS} runs (node ${process.version}, ${process.platform} ${process.arch})\n`);
  console.log('| corpus | files | size | parse-only floor | shipshape scan --profile strict | scan / floor |');
  console.log('|---|---|---|---|---|---|');
  benchCorpus('generated (40 services)', generated);
  const realworld = join(SHARED, 'corpus', 'realworld');
  if (existsSync(realworld)) {
    for (const part of ['kubernetes', 'helm', 'dockerfile']) benchCorpus(`realworld/${part}`, join(realworld, part));
    benchCorpus('realworld (all)', realworld);
  } else {
    console.log(`(${realworld} not found: real-world corpus skipped)`);
  }
  console.log('');
  const scale = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench-scale.ts')], { stdio: 'inherit' });
  if (scale.status !== 0) process.exitCode = scale.status ?? 1;
  const lsp = join(ROOT, 'scripts', 'bench-lsp.ts');
  if (existsSync(lsp) && !process.argv.includes('--cli-only')) {
    console.log('');
    const result = spawnSync(process.execPath, ['--import', 'tsx', lsp], { stdio: 'inherit' });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
  }
}

main();
