import type { YAMLError } from 'yaml';
import type { SectionFinding } from '../run';

/** A YAML syntax error as the parse-error finding on it, with its first line and where it is. */
export function yamlSyntaxError(text: string, error: YAMLError): { finding: SectionFinding; message: string; offset: number } {
  // An error found at the end of the section (an unclosed bracket) is shown on its last character.
  const contentEnd = text.trimEnd().length;
  const start = Math.min(error.pos[0], Math.max(0, contentEnd - 1));
  const end = Math.max(start, Math.min(error.pos[1], Math.max(contentEnd, start + 1)));
  const message = firstLine(error.message);
  return {
    finding: {
      ruleId: 'parse-error',
      messageId: 'syntax',
      severity: 'error',
      message: `YAML syntax error: ${message}. This document is not analysed until it parses.`,
      span: { start, end: end > start ? end : Math.min(start + 1, text.length) },
    },
    message,
    offset: start,
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '');
}
