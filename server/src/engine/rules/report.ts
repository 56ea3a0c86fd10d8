import type { Fix, Severity, Span, Suppression } from '../types';
import { effectiveSeverity, type EngineConfig } from '../config';
import { formatMessage, type Report, type RuleMeta } from './define';

/** A finding with offsets relative to the text it was found in (a YAML section, a Dockerfile). */
export interface SectionFinding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  span: Span;
  fix?: Fix;
  related?: Array<{ span: Span; message: string }>;
  containerKey?: string;
  suppression?: Suppression;
}

interface Editor {
  readonly edits: Array<Span & { text: string }>;
  readonly refused: string | undefined;
}

/**
 * Turns a rule's report into a finding: severity under the configuration (undefined: the rule
 * is off and nothing is recorded), the message filled in, and the fix computed on a fresh
 * editor, dropped whole when the editor refused any part of it.
 */
export function createReporter<E extends Editor>(
  meta: RuleMeta,
  config: EngineConfig,
  newEditor: () => E,
  sink: (finding: SectionFinding) => void,
): (report: Report<E>) => void {
  return (request) => {
    const severity = effectiveSeverity(meta, config, request.severity ?? meta.severity);
    if (severity === undefined) return;
    const template = meta.messages[request.messageId];
    if (template === undefined) throw new Error(`rule ${meta.id} has no message "${request.messageId}"`);
    const finding: SectionFinding = { ruleId: meta.id, messageId: request.messageId, severity, message: formatMessage(template, request.data), span: request.at };
    if (request.fix) {
      const fixRequest = request.fix;
      const editor = newEditor();
      fixRequest.apply(editor);
      if (!editor.refused && editor.edits.length > 0) {
        finding.fix = {
          title: fixRequest.title ?? meta.fix ?? `Fix ${meta.id}`,
          isSafe: meta.safeFix === true && fixRequest.safe !== false,
          partOfHarden: meta.hardening === true,
          edits: editor.edits,
        };
      }
    }
    if (request.related) finding.related = request.related.map((r) => ({ span: r.at, message: r.message }));
    if (request.containerKey !== undefined) finding.containerKey = request.containerKey;
    sink(finding);
  };
}

export function describeError(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}
