import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import { REGISTRY, type Finding } from '../engine';
import type { AnalysedDocument } from './diagnostics';
import { ruleDocumentationUri } from './rule-docs';

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Title, why it matters, what the finding adds, and the fix, with a link to the rule's full page. */
function describe(finding: Finding): string {
  const meta = REGISTRY.get(finding.ruleId)?.meta;
  const title = meta?.title ?? finding.ruleId;
  const fix = finding.fix ? `**Quick fix:** ${finding.fix.title}.` : meta?.fix ? `**Fix:** ${meta.fix}.` : '**Fix:** no quick fix; see the rule page.';
  return [
    `**${title}** (\`${finding.ruleId}\`)`,
    meta?.description ?? finding.message,
    ...(finding.details !== undefined ? [finding.details] : []),
    `${fix} [Rule documentation](${ruleDocumentationUri(finding.ruleId)})`,
  ].join('\n\n');
}

/** Hover on a flagged range: one block per finding there (suppressed ones are not shown). */
export function hoverAt(analysed: AnalysedDocument, position: Position): Hover | null {
  const here = analysed.findings.filter((finding) => !finding.suppression && contains(finding.range, position));
  const first = here[0];
  if (!first) return null;
  const seen = new Set<string>();
  const blocks: string[] = [];
  for (const finding of here) {
    if (seen.has(finding.ruleId)) continue;
    seen.add(finding.ruleId);
    blocks.push(describe(finding));
  }
  return { contents: { kind: MarkupKind.Markdown, value: blocks.join('\n\n---\n\n') }, range: first.range };
}
