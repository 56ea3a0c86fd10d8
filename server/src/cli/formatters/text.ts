import type { Severity } from '../../engine';
import { countFindings, type ScanReport } from './types';

const COLOURS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', info: '\u001b[36m' };
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * `path:line:col  severity  rule-id  message`, grouped by file, then one summary line. Suppressed
 * findings are counted, not listed.
 */
export function formatText(report: ScanReport, options: { color: boolean; quiet: boolean }): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text);
  const blocks: string[] = [];
  for (const file of report.files) {
    const lines = file.findings
      .filter((finding) => !finding.suppression)
      .map((finding) => {
        const where = `${file.displayPath}:${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
        return `${where}  ${paint(COLOURS[finding.severity], finding.severity.padEnd(7))}  ${paint(DIM, finding.ruleId)}  ${finding.message}`;
      });
    if (lines.length > 0) blocks.push(lines.join('\n'));
  }
  const counts = countFindings(report.files);
  const skipped = report.files.filter((file) => file.skipped).length;
  const summary =
    `Scanned ${plural(report.files.length, 'file')}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ` +
    `${counts.info} info, ${counts.suppressed} suppressed; ${plural(skipped, 'file')} skipped.`;
  const parts = [...blocks];
  if (!options.quiet) parts.push(summary);
  return parts.length > 0 ? `${parts.join('\n\n')}\n` : '';
}
