/**
 * A vulnerability report file as workspace facts: one per image scan it holds (a SARIF file can
 * hold several runs), keyed by the images it names. Reports are not text a person edits, so every
 * fact points at the file's first line.
 */
import { SKIP_REASONS, type SkipReason } from '../skip';
import { readVulnerabilityReport } from '../reports';
import type { VulnerabilityReportFact } from './facts';

export type ReportFacts = { facts: VulnerabilityReportFact[] } | { skipped: SkipReason };

/**
 * The facts of the report at `path`; `modified` (the file's modification time) dates a report
 * that does not say when it was made (SARIF). An unusable report gives the reason it is skipped.
 */
export function extractReportFacts(path: string, text: string, modified?: Date): ReportFacts {
  const reading = readVulnerabilityReport(text);
  if ('error' in reading) return { skipped: SKIP_REASONS.reportUnusable(reading.error) };
  const fileDate = modified !== undefined && !Number.isNaN(modified.getTime()) ? modified.toISOString() : undefined;
  return {
    facts: reading.reports.map(({ scannedAt, ...report }) => {
      const date = scannedAt ?? fileDate;
      return {
        kind: 'vulnerability-report',
        ...report,
        ...(date === undefined ? {} : { scannedAt: date }),
        scannedAtSource: scannedAt === undefined ? 'file' : 'report',
        at: { path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      };
    }),
  };
}
