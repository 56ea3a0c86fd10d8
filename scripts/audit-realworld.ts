/**
 * Scans the real-world corpus (../shared/corpus/realworld, read in place) with the built CLI, as a
 * user would, and prints what a person needs to judge noise quickly: findings per rule (and in how
 * many files), findings per file (median, max), files skipped and why, and a sample of findings per
 * rule with file:line and the source line. It also fails when the CLI exits 2 or writes anything
 * to standard error: no input may make the scan crash.
 *
 *   npm run audit:realworld -- [folder] [--profile strict] [--samples 3] [--rule <id>]
 *
 * The corpus is unlabelled (corpus/README.md): the numbers say where to look, not what is right.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROFILES_LIST, type Profile } from '../server/src/engine';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'server', 'out', 'cli.js');
const DEFAULT_FOLDER = join(ROOT, '..', 'shared', 'corpus', 'realworld');

interface Options {
  folder: string;
  profile: Profile;
  samples: number;
  rule?: string;
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  range: { start: { line: number; column: number } };
  suppressed?: unknown;
}

interface JsonFile {
  path: string;
  kind: string | null;
  skipped?: string;
  findings: JsonFinding[];
}

function isJsonReport(value: unknown): value is { files: JsonFile[] } {
  return typeof value === 'object' && value !== null && 'files' in value && Array.isArray(value.files);
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { folder: DEFAULT_FOLDER, profile: 'strict', samples: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = argv[i + 1] ?? '';
    if (arg === '--profile') {
      const profile = PROFILES_LIST.find((name) => name === value);
      if (profile === undefined) throw new Error(`--profile must be one of ${PROFILES_LIST.join(', ')}`);
      options.profile = profile;
      i++;
    } else if (arg === '--samples') {
      options.samples = Number(value);
      i++;
    } else if (arg === '--rule') {
      options.rule = value;
      i++;
    } else if (!arg.startsWith('--')) {
      options.folder = resolve(arg);
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The reason with line numbers and quoted details left out, so equal reasons group together. */
function reasonKind(reason: string): string {
  return reason.replace(/line \d+/g, 'line N').replace(/ \(.*\)/, (detail) => detail.replace(/"[^"]*"/g, '"…"'));
}

function sourceLine(folder: string, path: string, line: number): string {
  try {
    return (readFileSync(resolve(folder, path), 'utf8').split(/\r?\n/)[line - 1] ?? '').trim().slice(0, 140);
  } catch {
    return '';
  }
}

function main(): number {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(options.folder)) {
    console.error(`No corpus at ${options.folder}: the audit needs ../shared/corpus/realworld beside the repository.`);
    return 2;
  }
  if (!existsSync(CLI)) {
    console.error(`No built CLI at ${CLI}: run \`npm run build\` first.`);
    return 2;
  }
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json', '--profile', options.profile, '--fail-on', 'none'], {
    cwd: options.folder,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const parsed: unknown = JSON.parse(run.stdout);
  if (!isJsonReport(parsed)) throw new Error('the CLI did not print a JSON report');
  const files = parsed.files;

  const perRule = new Map<string, number>();
  const filesPerRule = new Map<string, number>();
  const skipped = new Map<string, string[]>();
  const samples = new Map<string, string[]>();
  const perFile: Array<{ path: string; count: number }> = [];
  let suppressed = 0;
  for (const file of files) {
    if (file.skipped !== undefined) {
      skipped.set(reasonKind(file.skipped), [...(skipped.get(reasonKind(file.skipped)) ?? []), file.path]);
      continue;
    }
    if (file.kind === null) continue;
    const rulesHere = new Set<string>();
    let count = 0;
    for (const finding of file.findings) {
      if (finding.suppressed !== undefined) {
        suppressed++;
        continue;
      }
      count++;
      increment(perRule, finding.ruleId);
      rulesHere.add(finding.ruleId);
      const list = samples.get(finding.ruleId) ?? [];
      const wanted = options.rule === undefined || options.rule === finding.ruleId ? options.samples : 0;
      // Samples come from different files, so one noisy file does not fill them all.
      if (list.length < wanted && !list.some((sample) => sample.startsWith(`${file.path}:`))) {
        const { line, column } = finding.range.start;
        list.push(`${file.path}:${line}:${column} [${finding.severity}] ${finding.message}\n        ${sourceLine(options.folder, file.path, line)}`);
        samples.set(finding.ruleId, list);
      }
    }
    for (const rule of rulesHere) increment(filesPerRule, rule);
    perFile.push({ path: file.path, count });
  }

  const analysed = perFile.length;
  const total = perFile.reduce((sum, file) => sum + file.count, 0);
  const worst = [...perFile].sort((a, b) => b.count - a.count)[0];
  const skippedCount = [...skipped.values()].reduce((sum, paths) => sum + paths.length, 0);
  console.log(`corpus: ${options.folder}`);
  console.log(`profile: ${options.profile}; CLI exit code ${run.status ?? `signal ${run.signal ?? '?'}`}; ${seconds.toFixed(1)} s`);
  console.log(`files: ${files.length} (analysed: ${analysed}, skipped: ${skippedCount}, not Kubernetes or Dockerfile: ${files.length - analysed - skippedCount})`);
  console.log(`findings: ${total} (suppressed: ${suppressed}); per analysed file: median ${median(perFile.map((f) => f.count))}, max ${worst?.count ?? 0}${worst ? ` (${worst.path})` : ''}`);

  console.log('\nfindings per rule (findings, files):');
  for (const [rule, count] of [...perRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    console.log(`${String(count).padStart(7)} ${String(filesPerRule.get(rule) ?? 0).padStart(6)}  ${rule}`);
  }

  console.log('\nskipped, by reason:');
  if (skipped.size === 0) console.log('  (none)');
  for (const [reason, paths] of [...skipped].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`${String(paths.length).padStart(7)}  ${reason}`);
    for (const path of paths.slice(0, 3)) console.log(`           ${path}`);
  }

  console.log('\nsamples:');
  for (const [rule, list] of [...samples].sort((a, b) => a[0].localeCompare(b[0]))) {
    console.log(`${rule}:`);
    for (const sample of list) console.log(`  ${sample}`);
  }

  const stderr = run.stderr.trim();
  if (stderr !== '') console.log(`\nstandard error of the CLI:\n${stderr.split('\n').slice(0, 20).join('\n')}`);
  // Exit 2 (an internal error) or anything on standard error means some input broke the scan.
  if (run.status !== 0 || stderr !== '') {
    console.log('\nFAILED: the scan must never exit 2 or print errors, whatever the input.');
    return 1;
  }
  return 0;
}

process.exitCode = main();
