import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_RULES, eolTableNotice, PROFILES_LIST, rulesReadWorkspace, type ConfigLayer, type Profile, type Severity } from '../engine';
import { feedWorkspace, scanWithCache } from '../host/batch-scan';
import { ConfigLoader } from '../host/config-loader';
import { discoverFiles, toPosix } from '../host/discovery';
import { CLI_POOL, ScanPool } from '../host/pool';
import { CACHE_FILE_NAME, ScanCache } from '../host/scan-cache';
import { parseShard, shardPaths } from '../host/shard';
import { readUpdaterConfigs, readVulnerabilityReports, repositoryRoots, workspaceFiles, workspaceRoots } from '../host/workspace-feed';
import { scanKustomize } from '../host/kustomize';
import { scanJob, skippedFileOutcome, type FixOrder, type ScanJob, type ScanOutcome } from '../host/scan-file';
import { formatFixDiffs, formatFixSummary } from './fix-summary';
import { FORMAT_NAMES, FORMATTERS, isFormatName, type FormatName } from './formatters';
import { countFindings, type ScanReport } from './formatters/types';
import { mergeReports, MergeError, readJsonReport } from './merge';
import packageJson from '../../../package.json';

const USAGE = `Usage: shipshape <command> [options]

Commands:
  scan [PATH...]        Scan files and folders (default: .) for Kubernetes YAML and Dockerfiles
  merge REPORT...       Merge JSON reports (the shards of one scan; a folder: its *.json) into
                        one report in any --format
  rules                 List the rule catalog (id, kind, severity, profile, fixable)

Scan options:
  --format FORMAT             text | json | sarif | github | gitlab (default: text)
  --output FILE               Write the report to FILE instead of standard output
  --profile NAME              baseline | restricted | recommended | strict (default: recommended)
  --config FILE               Use this configuration file instead of the nearest .shipshape.yaml
  --fail-on LEVEL             error | warning | info | none: exit 1 when a finding is at or
                              above LEVEL (default: error)
  --fix                       Apply the safe fixes (those Fix all applies in the editor) to the
                              files, and list every fix applied on standard error
  --fix-unsafe                With --fix or --fix-dry-run, apply every offered fix, including those
                              that can change what a workload may do (runAsUser, limits,
                              capabilities, a read-only root...): review them
  --fix-dry-run               Print the fixes as a unified diff and write nothing
  --no-inline-ignores         Disregard shipshape-ignore comments and suppression annotations
  --date YYYY-MM-DD           Judge end of life and suppression expiry as of this day (default: today)
  --cache                     Reuse the results of files unchanged since the last scan (kept in
                              .shipshape-cache in the config root: add it to .gitignore)
  --cache-location PATH       The cache file (or a folder to keep .shipshape-cache in); implies --cache
  --shard i/n                 Analyse only part i of n of the files (one job of a CI matrix);
                              cross-file rules still read every file. Merge with \`shipshape merge\`
  --concurrency N             Threads that analyse files (default: one per core)
  --no-color                  Never colour the output (it is coloured only on a terminal)
  --quiet                     Print findings only, without the summary line

Merge options: --format, --output, --fail-on, --no-color, --quiet, as for scan.

  -h, --help                  Show this help
  -v, --version               Show the version

Exit codes: 0 nothing at or above --fail-on; 1 findings; 2 usage, configuration or internal error.
`;

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      profile: { type: 'string' },
      config: { type: 'string' },
      'fail-on': { type: 'string', default: 'error' },
      fix: { type: 'boolean', default: false },
      'fix-unsafe': { type: 'boolean', default: false },
      'fix-dry-run': { type: 'boolean', default: false },
      'no-inline-ignores': { type: 'boolean', default: false },
      date: { type: 'string' },
      cache: { type: 'boolean', default: false },
      'cache-location': { type: 'string' },
      shard: { type: 'string' },
      concurrency: { type: 'string' },
      'no-color': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command === 'rules') return printRules(values.format ?? 'text');
  if (command !== 'scan' && command !== 'merge') throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');

  const format = values.format ?? 'text';
  if (!isFormatName(format)) throw new UsageError(`--format must be one of ${FORMAT_NAMES.join(', ')}, not "${format}".`);
  const failOn = values['fail-on'] ?? 'error';
  if (!['error', 'warning', 'info', 'none'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info or none, not "${failOn}".`);
  const output: OutputOptions = { format, failOn, quiet: values.quiet ?? false, noColor: values['no-color'] ?? false, ...(values.output !== undefined ? { file: values.output } : {}) };
  if (command === 'merge') {
    const scanOnly = SCAN_ONLY_OPTIONS.filter((name) => values[name] !== undefined && values[name] !== false);
    if (scanOnly.length > 0) throw new UsageError(`merge takes no ${scanOnly.map((name) => `--${name}`).join(', ')}: they belong to the scans.`);
    return merge(paths, output);
  }

  const flags: ConfigLayer = {};
  if (values.profile !== undefined) {
    if (!(PROFILES_LIST as readonly string[]).includes(values.profile)) throw new UsageError(`--profile must be one of ${PROFILES_LIST.join(', ')}.`);
    flags.profile = values.profile as Profile;
  }
  if (values['no-inline-ignores']) flags.allowInlineIgnores = false;
  const dryRun = values['fix-dry-run'] ?? false;
  if (values['fix-unsafe'] && !values.fix && !dryRun) throw new UsageError('--fix-unsafe goes with --fix or --fix-dry-run.');
  if (values.fix && dryRun) throw new UsageError('--fix writes the files and --fix-dry-run does not: give one of them.');
  if (dryRun && format !== 'text') throw new UsageError('--fix-dry-run prints a diff; it takes no --format.');
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (typeof shard === 'string') throw new UsageError(shard);
  const threads = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) throw new UsageError(`--concurrency must be a number of threads from 1 to 256, not "${values.concurrency}".`);

  const roots = (paths.length > 0 ? paths : ['.']).map((p) => resolve(p));
  if (values.config !== undefined) {
    try {
      readFileSync(values.config);
    } catch {
      throw new UsageError(`Cannot read the configuration file ${values.config}.`);
    }
  }
  // Config files are searched up to the current folder (the workspace) or the repository root.
  const loader = new ConfigLoader({ roots: [process.cwd()], above: [flags], ...(values.config !== undefined ? { explicitFile: values.config } : {}) });
  const files = discoverFiles(roots, { isExcluded: (path, isDirectory) => loader.isExcluded(path, isDirectory) });
  const configProblems = loader.loadedFiles().flatMap((file) =>
    file.problems.map(({ range, severity, ruleId, message }) => `${toPosix(relative(process.cwd(), file.path))}:${range.start.line + 1}:${range.start.character + 1}  ${severity}  ${ruleId}  ${message}`),
  );
  if (configProblems.length > 0) {
    process.stderr.write(`${configProblems.join('\n')}\nThe configuration is invalid; nothing was scanned.\n`);
    return 2;
  }

  const now = scanDate(values.date);
  const today = now.toISOString();
  const fix: FixOrder | undefined = values.fix || dryRun ? { mode: values['fix-unsafe'] ? 'all' : 'safe', dryRun } : undefined;
  const allJobs: ScanJob[] = files.map((path) => scanJob(path, toPosix(relative(process.cwd(), path)) || path, loader.configFor(path), today, fix));
  // A notice, not a finding: on standard error, so a json or sarif report on standard output stays clean.
  const staleTable = eolTableNotice(now, allJobs.map((job) => job.config));
  if (staleTable !== undefined) process.stderr.write(`shipshape: ${staleTable}\n`);

  // The folder the cache lives in and shards are cut from: the same in every job of a CI matrix.
  const configRoot = values.config !== undefined ? dirname(resolve(values.config)) : (workspaceRoots(roots, loader, process.cwd())[0] ?? process.cwd());
  const mine = shard ? new Set(shardPaths(files, configRoot, shard)) : undefined;
  const jobs = mine ? allJobs.filter((job) => mine.has(job.path)) : allJobs;
  const cache = values.cache || values['cache-location'] !== undefined ? openCache(values['cache-location'], configRoot) : undefined;
  const pool = new ScanPool({ ...CLI_POOL, ...(threads !== undefined ? { threads } : {}) });
  let outcomes: ScanOutcome[];
  let kustomizeFailures: string[];
  try {
    // Cross-file rules and Kustomize builds see the whole workspace, not only the files scanned
    // (README, "Workspace" and "Kustomize"), whatever the shard: every shard builds the same model.
    const workspaceRootPaths = workspaceRoots(roots, loader, process.cwd());
    const feed = await feedWorkspace(pool, {
      workspacePaths: cliWorkspacePaths(workspaceRootPaths, files, loader),
      ...(cache ? { hashed: jobs.map((job) => job.path), cache } : {}),
      maxFileSize: (path) => loader.configFor(path).config.maxFileSize,
    });
    const { workspace } = feed;
    // Updater configurations and reports are facts too, so a cached outcome that read them is
    // re-analysed when they change.
    readUpdaterConfigs(repositoryRoots(workspaceRootPaths), workspace);
    const reports = readVulnerabilityReports(loader.loadedFiles(), workspace);
    for (const notice of reports.notices) process.stderr.write(`shipshape: ${notice}\n`);
    // Reports are read for their findings, never analysed as manifests; one that cannot be used is reported on itself.
    const manifestJobs = jobs.filter((job) => !reports.paths.has(job.path));
    // Files a build reads are reported from the builds, in place; the rest are analysed alone.
    const kustomize = scanKustomize(workspace, loader, {
      today: now,
      displayPath: (path) => toPosix(relative(process.cwd(), path)) || path,
      reported: new Set(manifestJobs.map((job) => job.path)),
      ...(fix ? { fix } : {}),
    });
    kustomizeFailures = kustomize.failures;
    const alone = manifestJobs.filter((job) => !kustomize.outcomes.has(job.path));
    const crossFile = jobs.some((job) => rulesReadWorkspace(job.config));
    const aloneOutcomes = await scanWithCache(pool, alone, feed.contentHashes, crossFile ? workspace : undefined, cache);
    const byPath = new Map(alone.map((job, index) => [job.path, aloneOutcomes[index]]));
    const scanned = manifestJobs.map((job) => kustomize.outcomes.get(job.path) ?? byPath.get(job.path)).filter((outcome): outcome is ScanOutcome => outcome !== undefined);
    // An unusable report is reported by one shard only (the one its path falls to), so a merge lists it once.
    const skippedPaths = reports.skipped.map(({ path }) => path);
    const ours = new Set(shard ? shardPaths(skippedPaths, configRoot, shard) : skippedPaths);
    const skippedReports = reports.skipped.filter(({ path }) => ours.has(path)).map(({ path, reason }) => skippedFileOutcome(toPosix(relative(process.cwd(), path)) || path, reason));
    outcomes = skippedReports.length === 0 ? scanned : [...scanned, ...skippedReports].sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  } finally {
    await pool.close();
  }
  const unsaved = cache?.save();
  if (unsaved !== undefined) process.stderr.write(`shipshape: ${unsaved}\n`);
  // Standard output holds only the report (or the diff); what the fixes did goes to standard error.
  if (fix && !values.quiet) process.stderr.write(formatFixSummary(outcomes, dryRun));
  const failures = [...new Set([...outcomes.flatMap((outcome) => outcome.failures), ...kustomizeFailures])];
  for (const failure of failures) process.stderr.write(`shipshape: internal error: ${failure}\n`);
  const report: ScanReport = {
    files: outcomes,
    rules: ALL_RULES,
    baseDir: process.cwd(),
    toolVersion: packageJson.version,
    repositoryUrl: REPOSITORY_URL,
    // The whole scan's, so every shard (and their merge) names the same profile.
    profile: flags.profile ?? allJobs[0]?.config.profile ?? 'recommended',
    failures,
    ...(shard ? { shard } : {}),
  };
  if (dryRun) {
    writeOutput(formatFixDiffs(outcomes), output);
    return exitCode(report, output);
  }
  return emit(report, output);
}

const REPOSITORY_URL = packageJson.repository.url.replace(/\.git$/, '');

/** Options of `scan` that `merge` has no use for. */
const SCAN_ONLY_OPTIONS = ['profile', 'config', 'fix', 'fix-unsafe', 'fix-dry-run', 'no-inline-ignores', 'date', 'cache', 'cache-location', 'shard', 'concurrency'] as const;

/** Where and how a report is written, and what fails the run. */
interface OutputOptions {
  format: FormatName;
  failOn: string;
  quiet: boolean;
  noColor: boolean;
  file?: string;
}

/** Writes the report in its format; returns the exit code. */
function emit(report: ScanReport, output: OutputOptions): number {
  const color = !output.noColor && output.file === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
  writeOutput(FORMATTERS[output.format](report, { color, quiet: output.quiet }), output);
  return exitCode(report, output);
}

function writeOutput(rendered: string, output: OutputOptions): void {
  if (output.file !== undefined) writeFileSync(output.file, rendered);
  else process.stdout.write(rendered);
}

/** 2 after an internal failure; else 1 when a finding is at or above `--fail-on`. */
function exitCode(report: ScanReport, output: OutputOptions): number {
  if (report.failures.length > 0) return 2;
  if (output.failOn === 'none') return 0;
  const threshold = SEVERITY_RANK[output.failOn as Severity];
  const counts = countFindings(report.files);
  const worst = counts.error > 0 ? 2 : counts.warning > 0 ? 1 : counts.info > 0 ? 0 : -1;
  return worst >= threshold ? 1 : 0;
}

/** `shipshape merge`: the JSON reports (a folder gives its `*.json`) as one report. */
function merge(paths: readonly string[], output: OutputOptions): number {
  if (paths.length === 0) throw new UsageError('merge needs the JSON reports to merge (files, or folders holding them).');
  const files = paths.flatMap((path) => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new UsageError(`Cannot read the report ${path}.`);
    }
    if (!isDirectory) return [path];
    const reports = readdirSync(path).filter((name) => name.endsWith('.json')).sort().map((name) => join(path, name));
    if (reports.length === 0) throw new UsageError(`${path} holds no .json report.`);
    return reports;
  });
  let merged;
  try {
    merged = mergeReports(files.map((file) => readJsonReport(file, readFileSync(file, 'utf8'))), packageJson.version);
  } catch (error) {
    if (error instanceof MergeError) throw new UsageError(error.message);
    throw error;
  }
  return emit(
    {
      files: merged.files,
      rules: ALL_RULES,
      baseDir: merged.baseDir,
      toolVersion: merged.toolVersion,
      repositoryUrl: REPOSITORY_URL,
      profile: merged.profile,
      failures: merged.files.flatMap((file) => file.failures),
    },
    output,
  );
}

/**
 * The scan cache at `--cache-location` (a folder gets `.shipshape-cache` inside), else in the
 * config root. A cache it cannot use is ignored with a notice and replaced after the scan.
 */
function openCache(location: string | undefined, configRoot: string): ScanCache {
  let file = resolve(location ?? join(configRoot, CACHE_FILE_NAME));
  try {
    if (location !== undefined && (location.endsWith('/') || statSync(file).isDirectory())) file = join(file, CACHE_FILE_NAME);
  } catch {
    // Not there yet: the scan creates it.
  }
  const { cache, notice } = ScanCache.open(file, toolBuild());
  if (notice !== undefined) process.stderr.write(`shipshape: ${notice}\n`);
  return cache;
}

/**
 * The tool as the cache knows it: the version and a hash of the bundles that run (this file and
 * the scan worker), so that a build from other sources never reuses another's results.
 */
function toolBuild(): string {
  const hash = createHash('sha256');
  for (const bundle of [__filename, join(__dirname, 'scan-worker.js')]) {
    try {
      hash.update(readFileSync(bundle));
    } catch {
      hash.update(bundle);
    }
  }
  return `${packageJson.version}+${hash.digest('base64url').slice(0, 16)}`;
}

/** The day the scan judges dates against: `--date`, or now. */
function scanDate(option: string | undefined): Date {
  if (option === undefined) return new Date();
  const date = new Date(`${option}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(option) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== option) {
    throw new UsageError(`--date must be a day written YYYY-MM-DD, not "${option}".`);
  }
  return date;
}

/**
 * The files whose facts make the workspace model for cross-file rules: every file under the
 * workspace roots, the files scanned, and the config files that govern them (their `images:`
 * maps). Updater configurations and vulnerability reports are read into the model after these.
 */
function cliWorkspacePaths(roots: readonly string[], scanned: readonly string[], loader: ConfigLoader): string[] {
  const factFiles = workspaceFiles(roots, loader);
  const configFiles = loader.loadedFiles().map((file) => file.path);
  return [...new Set([...factFiles, ...scanned, ...configFiles])];
}

function printRules(format: string): number {
  const rows = ALL_RULES.map((rule) => ({
    id: rule.meta.id,
    kind: rule.meta.kind,
    severity: rule.meta.alternateSeverity ? `${rule.meta.severity}/${rule.meta.alternateSeverity}` : rule.meta.severity,
    profile: rule.meta.profile,
    fixable: rule.meta.fix !== undefined,
    title: rule.meta.title,
  }));
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (format !== 'text') throw new UsageError(`rules --format must be text or json, not "${format}".`);
  const header = { id: 'ID', kind: 'KIND', severity: 'SEVERITY', profile: 'PROFILE', fixable: 'FIX' };
  const width = (key: keyof typeof header): number => Math.max(header[key].length, ...rows.map((r) => String(r[key] === true ? 'yes' : r[key] === false ? 'no' : r[key]).length));
  const line = (r: Record<keyof typeof header, string>): string =>
    [r.id.padEnd(width('id')), r.kind.padEnd(width('kind')), r.severity.padEnd(width('severity')), r.profile.padEnd(width('profile')), r.fixable].join('  ');
  const lines = [line(header), ...rows.map((r) => line({ ...r, fixable: r.fixable ? 'yes' : 'no' }))];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`shipshape: ${error.message}\nRun \`shipshape --help\` for usage.\n`);
    } else {
      process.stderr.write(`shipshape: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 2;
  },
);
