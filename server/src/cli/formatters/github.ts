import type { Severity } from '../../engine';
import type { ReportFinding, ScanReport } from './types';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** Escapes a command's message, as the Actions runner unescapes it (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value, where `,` and `:` also delimit (actions/toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Where an annotation sits, 1-based. Columns go only with a range on one line (GitHub takes them
 * for nothing else); `endColumn` is the last character covered, `col` itself for an empty range.
 * A range that ends at the start of a line ends on the line before.
 */
function position(finding: ReportFinding): Array<[string, number]> {
  const { start, end } = finding.range;
  if (end.line === start.line) {
    return [['line', start.line + 1], ['col', start.character + 1], ['endLine', end.line + 1], ['endColumn', Math.max(end.character, start.character + 1)]];
  }
  return [['line', start.line + 1], ['endLine', end.character === 0 ? end.line : end.line + 1]];
}

/**
 * One GitHub Actions workflow command per finding (`::error file=…,line=…::message`), so the
 * findings show as annotations on the run and the pull request without code scanning. Suppressed
 * findings are left out: an annotation asks someone to act.
 */
export function formatGithub(report: ScanReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const finding of file.findings) {
      if (finding.suppression) continue;
      const properties: Array<[string, string | number]> = [['file', file.displayPath], ...position(finding), ['title', finding.ruleId]];
      const rendered = properties.map(([name, value]) => `${name}=${escapeProperty(String(value))}`).join(',');
      lines.push(`::${COMMANDS[finding.severity]} ${rendered}::${escapeData(finding.message)}`);
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}
