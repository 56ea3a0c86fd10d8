import { countFindings, reportPath, type ScanReport } from './types';

/** Bumped on any incompatible change of the shape documented in docs/json-output.md. */
export const JSON_FORMAT_VERSION = 1;

export function formatJson(report: ScanReport): string {
  const counts = countFindings(report.files);
  const output = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'shipshape', version: report.toolVersion },
    profile: report.profile,
    files: report.files.map((file) => ({
      path: file.displayPath,
      kind: file.fileKind ?? null,
      ...(file.skipped ? { skipped: file.skipped } : {}),
      findings: file.findings.map((finding, index) => ({
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        range: {
          start: { line: finding.range.start.line + 1, column: finding.range.start.character + 1 },
          end: { line: finding.range.end.line + 1, column: finding.range.end.character + 1 },
        },
        fingerprint: file.fingerprints[index],
        ...(finding.fix ? { fix: { title: finding.fix.title, safe: finding.fix.isSafe } } : {}),
        ...(finding.suppression
          ? {
              suppressed: {
                kind: finding.suppression.kind,
                source: finding.suppression.source,
                ...(finding.suppression.justification ? { justification: finding.suppression.justification } : {}),
              },
            }
          : {}),
        ...(finding.related ? { related: finding.related.map((r) => ({ message: r.message, line: r.range.start.line + 1, column: r.range.start.character + 1, ...(r.file ? { path: reportPath(report, r.file) } : {}) })) } : {}),
      })),
    })),
    summary: {
      files: report.files.length,
      skipped: report.files.filter((file) => file.skipped).length,
      errors: counts.error,
      warnings: counts.warning,
      info: counts.info,
      suppressed: counts.suppressed,
    },
  };
  return `${JSON.stringify(output, null, 2)}\n`;
}
