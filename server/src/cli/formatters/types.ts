import { isAbsolute, relative, sep } from 'node:path';
import type { RuleDefinition } from '../../engine';
import type { ScanOutcome } from '../../host/scan-file';

/** Everything a formatter may report: findings in, a string out. */
export interface ScanReport {
  files: readonly ScanOutcome[];
  rules: readonly RuleDefinition[];
  /** Absolute folder that relative paths in the report start from. */
  baseDir: string;
  toolVersion: string;
  repositoryUrl: string;
  profile: string;
  /** Internal failures (rules that threw), each already logged. */
  failures: readonly string[];
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
}

export function countFindings(files: readonly ScanOutcome[]): SeverityCounts {
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
