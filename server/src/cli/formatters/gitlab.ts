import type { Severity } from '../../engine';
import type { ScanReport } from './types';

/**
 * GitLab's five levels for Shipshape's three: an error is a security problem that fails the
 * pipeline by default (`critical`), a warning one to fix (`major`), info a hint (`info`).
 * `blocker` is left to the pipeline: `--fail-on` decides what blocks a merge.
 */
export const GITLAB_SEVERITIES: Record<Severity, 'critical' | 'major' | 'info'> = { error: 'critical', warning: 'major', info: 'info' };

/**
 * A GitLab Code Quality report: a JSON array with one issue per finding, which the merge request
 * widget and diff show. The fingerprint is the finding's own (as in JSON and SARIF), unique within
 * a scan, so GitLab tells new findings from fixed ones across pipelines. Suppressed findings are
 * left out: GitLab has no way to mark an issue as accepted.
 */
export function formatGitlab(report: ScanReport): string {
  const issues = report.files.flatMap((file) =>
    file.findings.flatMap((finding, index) =>
      finding.suppression
        ? []
        : [
            {
              description: finding.message,
              check_name: finding.ruleId,
              fingerprint: file.fingerprints[index] ?? '',
              severity: GITLAB_SEVERITIES[finding.severity],
              location: { path: file.displayPath, lines: { begin: finding.range.start.line + 1 } },
            },
          ],
    ),
  );
  return `${JSON.stringify(issues, null, 2)}\n`;
}
