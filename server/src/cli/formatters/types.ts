import { isAbsolute, relative, sep } from 'node:path';
import type { Position, Range, RuleDefinition, Severity, Suppression } from '../../engine';
import type { Shard } from '../../host/shard';

/**
 * What a report says of one finding: what every format prints, no more. A scan's findings have
 * it all; `shipshape merge` rebuilds it from JSON reports.
 */
export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  fix?: { title: string; isSafe: boolean };
  /** `file`: an absolute path, or one relative to the report's `baseDir`; undefined for the same file. */
  related?: ReadonlyArray<{ file?: string; message: string; range: { start: Position } }>;
  suppression?: Suppression;
}

/** What a report says of one file (a scan's ScanOutcome has all of it). */
export interface ReportFile {
  displayPath: string;
  /** `kubernetes`, `dockerfile`...; undefined for a file no rule reads. */
  fileKind: string | undefined;
  skipped?: string;
  findings: readonly ReportFinding[];
  /** One per finding. */
  fingerprints: readonly string[];
  /** Internal failures while analysing the file. */
  failures: readonly string[];
}

/** Everything a formatter may report: findings in, a string out. */
export interface ScanReport {
  files: readonly ReportFile[];
  rules: readonly RuleDefinition[];
  /** Absolute folder that relative paths in the report start from. */
  baseDir: string;
  toolVersion: string;
  repositoryUrl: string;
  profile: string;
  /** Internal failures (rules that threw), each already logged. */
  failures: readonly string[];
  /** The part of the files this report covers (`--shard`); absent for a whole scan. */
  shard?: Shard;
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
}

export function countFindings(files: readonly ReportFile[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const file of files) {
    for (const finding of file.findings) {
      if (finding.suppression) counts.suppressed++;
      else counts[finding.severity]++;
    }
  }
  return counts;
}

/** How a report names a file a finding points into (related locations): relative to `baseDir`, with `/`. */
export function reportPath(report: ScanReport, path: string): string {
  const shown = isAbsolute(path) ? relative(report.baseDir, path) : path;
  return sep === '/' ? shown : shown.split(sep).join('/');
}
