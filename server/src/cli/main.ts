import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_RULES, eolTableNotice, PROFILES_LIST, rulesReadWorkspace, type WorkspaceModel, type ConfigLayer, type Profile, type Severity } from '../engine';
import { ConfigLoader } from '../host/config-loader';
import { discoverFiles, toPosix } from '../host/discovery';
import { CLI_POOL, scanFiles } from '../host/pool';
import { readUpdaterConfigs, readVulnerabilityReports, readWorkspace, repositoryRoots, workspaceFiles, workspaceRoots, type ReportsRead } from '../host/workspace-feed';
import { scanKustomize } from '../host/kustomize';
import { scanJob, skippedFileOutcome, type FixOrder, type ScanJob, type ScanOutcome } from '../host/scan-file';
import { formatFixDiffs, formatFixSummary } from './fix-summary';
import { FORMAT_NAMES, FORMATTERS, isFormatName } from './formatters';
import { countFindings, type ScanReport } from './formatters/types';
import packageJson from '../../../package.json';

const USAGE = `Usage: shipshape <command> [options]

Commands:
  scan [PATH...]        Scan files and folders (default: .) for Kubernetes YAML and Dockerfiles
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
  --no-color                  Never colour the output (it is coloured only on a terminal)
  --quiet                     Print findings only, without the summary line

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
  if (command !== 'scan') throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');

  const format = values.format ?? 'text';
  if (!isFormatName(format)) throw new UsageError(`--format must be one of ${FORMAT_NAMES.join(', ')}, not "${format}".`);
  const failOn = values['fail-on'] ?? 'error';
  if (!['error', 'warning', 'info', 'none'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info or none, not "${failOn}".`);
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
  const jobs: ScanJob[] = files.map((path) => scanJob(path, toPosix(relative(process.cwd(), path)) || path, loader.configFor(path), today, fix));
  // A notice, not a finding: on standard error, so a json or sarif report on standard output stays clean.
  const staleTable = eolTableNotice(now, jobs.map((job) => job.config));
  if (staleTable !== undefined) process.stderr.write(`shipshape: ${staleTable}\n`);

  // Cross-file rules and Kustomize builds see the whole workspace, not only the files scanned
  // (README, "Workspace" and "Kustomize"), so the workspace's facts are always read.
  const { workspace, reports } = readCliWorkspace(roots, files, loader);
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
  const alone = manifestJobs.filter((job) => !kustomize.outcomes.has(job.path));
  const crossFile = jobs.some((job) => rulesReadWorkspace(job.config));
  // Every job is handed out (no cancellation), so every outcome is there.
  const aloneOutcomes = await scanFiles(alone, { ...CLI_POOL, ...(crossFile ? { workspace } : {}) });
  const byPath = new Map(alone.map((job, index) => [job.path, aloneOutcomes[index]]));
  const scanned = manifestJobs.map((job) => kustomize.outcomes.get(job.path) ?? byPath.get(job.path)).filter((outcome): outcome is ScanOutcome => outcome !== undefined);
  const skippedReports = reports.skipped.map(({ path, reason }) => skippedFileOutcome(toPosix(relative(process.cwd(), path)) || path, reason));
  const outcomes = skippedReports.length === 0 ? scanned : [...scanned, ...skippedReports].sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  // Standard output holds only the report (or the diff); what the fixes did goes to standard error.
  if (fix && !values.quiet) process.stderr.write(formatFixSummary(outcomes, dryRun));
  const failures = [...new Set([...outcomes.flatMap((outcome) => outcome.failures), ...kustomize.failures])];
  for (const failure of failures) process.stderr.write(`shipshape: internal error: ${failure}\n`);
  const report: ScanReport = {
    files: outcomes,
    rules: ALL_RULES,
    baseDir: process.cwd(),
    toolVersion: packageJson.version,
    repositoryUrl: packageJson.repository.url.replace(/\.git$/, ''),
    profile: flags.profile ?? jobs[0]?.config.profile ?? 'recommended',
    failures,
  };
  const color = !values['no-color'] && values.output === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const rendered = dryRun ? formatFixDiffs(outcomes) : FORMATTERS[format](report, { color, quiet: values.quiet ?? false });
  if (values.output !== undefined) writeFileSync(values.output, rendered);
  else process.stdout.write(rendered);

  if (failures.length > 0) return 2;
  if (failOn === 'none') return 0;
  const threshold = SEVERITY_RANK[failOn as Severity];
  const counts = countFindings(outcomes);
  const worst = counts.error > 0 ? 2 : counts.warning > 0 ? 1 : counts.info > 0 ? 0 : -1;
  return worst >= threshold ? 1 : 0;
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
 * The workspace model for cross-file rules: every file's facts under the scanned paths' workspace
 * roots (config files included), the updater configurations at their repository roots, and the
 * vulnerability reports the config files list.
 */
function readCliWorkspace(scanRoots: readonly string[], scanned: readonly string[], loader: ConfigLoader): { workspace: WorkspaceModel; reports: ReportsRead } {
  const roots = workspaceRoots(scanRoots, loader, process.cwd());
  const factFiles = workspaceFiles(roots, loader);
  const configFiles = loader.loadedFiles().map((file) => file.path);
  const workspace = readWorkspace([...factFiles, ...scanned, ...configFiles], loader);
  readUpdaterConfigs(repositoryRoots(roots), workspace);
  return { workspace, reports: readVulnerabilityReports(loader.loadedFiles(), workspace) };
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
