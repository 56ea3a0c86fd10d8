/**
 * `shipshape merge`: JSON reports (the shards of one scan, or scans of different folders) made
 * into one report, in any output format. A JSON report carries everything the formats print, so
 * the merge of a scan's shards prints exactly what the whole scan prints.
 */
import { resolve } from 'node:path';
import { SEVERITIES, type Severity, type Suppression } from '../engine';
import { JSON_FORMAT_VERSION } from './formatters/json';
import type { ReportFile, ReportFinding } from './formatters/types';
import type { Shard } from '../host/shard';
import { isRecord, isStringArray } from '../host/json-guards';

/** A JSON report as read back. */
export interface ReadReport {
  /** Where it came from, for messages. */
  name: string;
  toolVersion: string;
  profile: string;
  baseDir: string;
  shard?: Shard;
  files: ReportFile[];
}

/** The reports merged into one. */
export interface MergedReport {
  toolVersion: string;
  profile: string;
  baseDir: string;
  files: ReportFile[];
}

/** Why reports cannot be merged; the CLI prints the message and exits 2. */
export class MergeError extends Error {}

/** One JSON report's text, checked field by field (a report is input like any other). */
export function readJsonReport(name: string, text: string): ReadReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MergeError(`${name} is not JSON: give the reports of \`shipshape scan --format json\`.`);
  }
  const fail = (what: string): never => {
    throw new MergeError(`${name} is not a Shipshape JSON report this version can merge (${what}).`);
  };
  if (!isRecord(parsed) || !isRecord(parsed.tool) || parsed.tool.name !== 'shipshape') return fail('no "tool": {"name": "shipshape"}');
  if (parsed.version !== JSON_FORMAT_VERSION) return fail(`format version ${String(parsed.version)}, not ${JSON_FORMAT_VERSION}`);
  const { tool, profile, baseDir, shard, files } = parsed;
  if (typeof tool.version !== 'string' || typeof profile !== 'string' || typeof baseDir !== 'string') return fail('no tool version, profile or baseDir');
  if (!Array.isArray(files)) return fail('no files');
  const report: ReadReport = { name, toolVersion: tool.version, profile, baseDir, files: files.map((file, index) => readFile(file) ?? fail(`files[${index}]`)) };
  if (shard !== undefined) {
    if (!isRecord(shard) || !isCount(shard.index) || !isCount(shard.count) || shard.index > shard.count) return fail('a bad shard');
    report.shard = { index: shard.index, count: shard.count };
  }
  return report;
}

/**
 * Merges reports: every shard of one scan (all n of them), or scans that share no file. They must
 * come from this version of Shipshape (rule descriptions come from the registry) and one profile.
 * Files are ordered as a scan orders them: by path.
 */
export function mergeReports(reports: readonly ReadReport[], toolVersion: string): MergedReport {
  const [first] = reports;
  if (!first) throw new MergeError('merge needs at least one JSON report.');
  for (const report of reports) {
    if (report.toolVersion !== toolVersion) throw new MergeError(`${report.name} was written by Shipshape ${report.toolVersion}; merge it with that version (this is ${toolVersion}).`);
    if (report.profile !== first.profile) throw new MergeError(`${report.name} is a ${report.profile} scan and ${first.name} a ${first.profile} one: merge reports of one scan.`);
  }
  checkShards(reports);
  const seen = new Map<string, string>();
  const files: ReportFile[] = [];
  for (const report of reports) {
    for (const file of report.files) {
      const other = seen.get(file.displayPath);
      if (other !== undefined) throw new MergeError(`${file.displayPath} is in both ${other} and ${report.name}: merge the shards of one scan, or scans of different files.`);
      seen.set(file.displayPath, report.name);
      files.push(file);
    }
  }
  // Every report's paths are relative to the folder its scan ran in: the same folder of the same
  // repository in each job of a CI matrix, wherever the job checked it out.
  const absolute = (file: ReportFile): string => resolve(first.baseDir, file.displayPath);
  files.sort((a, b) => (absolute(a) < absolute(b) ? -1 : absolute(a) > absolute(b) ? 1 : 0));
  return { toolVersion, profile: first.profile, baseDir: first.baseDir, files };
}

/** Shards are merged all or none: n reports, shards 1 to n of n, or no shard at all. */
function checkShards(reports: readonly ReadReport[]): void {
  const sharded = reports.filter((report) => report.shard);
  if (sharded.length === 0) return;
  const plain = reports.find((report) => !report.shard);
  if (plain) throw new MergeError(`${plain.name} is a whole scan and ${sharded[0]?.name} a shard: merge the shards of one scan.`);
  const count = sharded[0]?.shard?.count ?? 0;
  const byIndex = new Map<number, string>();
  for (const report of sharded) {
    const shard = report.shard as Shard;
    if (shard.count !== count) throw new MergeError(`${report.name} is shard ${shard.index}/${shard.count}, not one of ${count}.`);
    const twin = byIndex.get(shard.index);
    if (twin !== undefined) throw new MergeError(`${twin} and ${report.name} are both shard ${shard.index}/${count}.`);
    byIndex.set(shard.index, report.name);
  }
  const missing = Array.from({ length: count }, (_unused, index) => index + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: merge all ${count}.`);
}

function readFile(value: unknown): ReportFile | undefined {
  if (!isRecord(value) || typeof value.path !== 'string' || !(value.kind === null || typeof value.kind === 'string') || !Array.isArray(value.findings)) return undefined;
  if (value.skipped !== undefined && typeof value.skipped !== 'string') return undefined;
  const failures = value.failures ?? [];
  if (!isStringArray(failures)) return undefined;
  const findings: ReportFinding[] = [];
  const fingerprints: string[] = [];
  for (const raw of value.findings) {
    const finding = readFinding(raw);
    if (!finding || !isRecord(raw) || typeof raw.fingerprint !== 'string') return undefined;
    findings.push(finding);
    fingerprints.push(raw.fingerprint);
  }
  return {
    displayPath: value.path,
    fileKind: value.kind ?? undefined,
    ...(value.skipped !== undefined ? { skipped: value.skipped } : {}),
    findings,
    fingerprints,
    failures,
  };
}

type SuppressionKind = Suppression['kind'];

const SUPPRESSION_KINDS: readonly SuppressionKind[] = ['comment', 'annotation', 'config'];

function readFinding(value: unknown): ReportFinding | undefined {
  if (!isRecord(value) || typeof value.ruleId !== 'string' || typeof value.message !== 'string' || !isSeverity(value.severity) || !isRecord(value.range)) return undefined;
  const start = readPosition(value.range.start);
  const end = readPosition(value.range.end);
  if (!start || !end) return undefined;
  const finding: ReportFinding = { ruleId: value.ruleId, severity: value.severity, message: value.message, range: { start, end } };
  const { fix, suppressed, related } = value;
  if (fix !== undefined) {
    if (!isRecord(fix) || typeof fix.title !== 'string' || typeof fix.safe !== 'boolean') return undefined;
    finding.fix = { title: fix.title, isSafe: fix.safe };
  }
  if (suppressed !== undefined) {
    if (!isRecord(suppressed) || !SUPPRESSION_KINDS.includes(suppressed.kind as SuppressionKind) || typeof suppressed.source !== 'string') return undefined;
    if (suppressed.justification !== undefined && typeof suppressed.justification !== 'string') return undefined;
    finding.suppression = {
      kind: suppressed.kind as SuppressionKind,
      source: suppressed.source,
      ...(suppressed.justification !== undefined ? { justification: suppressed.justification } : {}),
    };
  }
  if (related !== undefined) {
    if (!Array.isArray(related)) return undefined;
    const locations: Array<NonNullable<ReportFinding['related']>[number]> = [];
    for (const location of related) {
      if (!isRecord(location) || typeof location.message !== 'string' || (location.path !== undefined && typeof location.path !== 'string')) return undefined;
      const at = readPosition(location);
      if (!at) return undefined;
      locations.push({ message: location.message, range: { start: at }, ...(location.path !== undefined ? { file: location.path } : {}) });
    }
    finding.related = locations;
  }
  return finding;
}

/** A report's 1-based line and column as a 0-based position. */
function readPosition(value: unknown): { line: number; character: number } | undefined {
  if (!isRecord(value) || !isCount(value.line) || !isCount(value.column)) return undefined;
  return { line: value.line - 1, character: value.column - 1 };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isSeverity(value: unknown): value is Severity {
  return (SEVERITIES as readonly unknown[]).includes(value);
}

