import type { ScanOutcome } from '../host/scan-file';
import { unifiedDiff } from './unified-diff';

/**
 * What `--fix`, `--fix --fix-unsafe` and `--fix-dry-run` did, for standard error: every fix
 * applied (file:line, rule, title; the unsafe ones marked), the files left alone and why, a
 * warning when unsafe fixes were applied, and the counts of fixed and remaining findings last.
 * Lines are those of the fixed text (what the file holds after `--fix`, the `+` side of the diff).
 */
export function formatFixSummary(outcomes: readonly ScanOutcome[], dryRun: boolean): string {
  const lines: string[] = [];
  let fixed = 0;
  let files = 0;
  let unsafe = 0;
  for (const outcome of outcomes) {
    const fixes = outcome.fixes;
    if (!fixes || fixes.applied.length === 0) continue;
    for (const fix of [...fixes.applied].sort((a, b) => a.line - b.line)) {
      lines.push(`${outcome.displayPath}:${fix.line + 1}  ${fix.ruleId}  ${fix.title}${fix.isSafe ? '' : '  (unsafe)'}`);
      if (!fix.isSafe) unsafe++;
    }
    if (fixes.leftAlone !== undefined) {
      lines.push(`${outcome.displayPath}: left alone, ${fixes.leftAlone}; its ${plural(fixes.applied.length, 'fix', 'fixes')} were not written.`);
      continue;
    }
    fixed += fixes.applied.length;
    files++;
  }
  if (unsafe > 0) {
    lines.push(
      `${plural(unsafe, 'unsafe fix', 'unsafe fixes')} ${dryRun ? 'would change' : 'changed'} what a workload may do at run time: dropping capabilities stops a server binding port 80, a read-only root file system breaks images that write to /var/cache, a non-root user cannot write root-owned paths. Review ${unsafe === 1 ? 'it' : 'them'} before deploying.`,
    );
  }
  const remaining = outcomes.reduce((sum, outcome) => sum + outcome.findings.filter((finding) => !finding.suppression).length, 0);
  const findings = plural(fixed, 'finding', 'findings');
  lines.push(
    dryRun
      ? `Would fix ${findings} in ${plural(files, 'file', 'files')} (nothing was written); ${plural(remaining, 'finding', 'findings')} would remain.`
      : `Fixed ${findings} in ${plural(files, 'file', 'files')}; ${plural(remaining, 'finding', 'findings')} remain.`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--fix-dry-run`'s output: one unified diff per file the fixes would change. */
export function formatFixDiffs(outcomes: readonly ScanOutcome[]): string {
  return outcomes.map((outcome) => (outcome.fixes?.preview ? unifiedDiff(outcome.displayPath, outcome.fixes.preview.before, outcome.fixes.preview.after) : '')).join('');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
