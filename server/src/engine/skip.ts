/**
 * Why a file is not analysed: the messages of `file-skipped`, declared once, and the reasons
 * every caller gives by message id (the engine checks the text it is given, the host the bytes
 * before it decodes them, so a huge file is never read whole). rules/engine-findings.ts turns a
 * reason into the finding.
 */
import type { ReportData } from './types';

export const FILE_SKIPPED_MESSAGES = {
  tooLarge: 'The file is larger than maxFileSize ({size} > {limit}); it was not analysed.',
  binary: 'The file holds NUL bytes (binary content); it was not analysed.',
  notUtf8: 'The file is not valid UTF-8; it was not analysed.',
  unreadable: 'The file cannot be read: {cause}',
  internalFailure: 'Shipshape failed on this file (an internal error, logged); it was not analysed.',
  tooDeep: 'The YAML nests collections too deeply to be read (around line {line}); the file was not analysed.',
  helmActions: 'Helm template: {problem} at line {line}; the file was not analysed.',
  helmMaskedYaml:
    'Helm template: with its {{ }} actions masked, line {line} is not valid YAML ({reason}), so the rendered output cannot be judged from the template; the file was not analysed.',
  dockerfileTemplate:
    'Dockerfile template: line {line} holds a {{ … }} template action, so this file generates Dockerfiles rather than being one; the file was not analysed.',
  pastBound: '{what}{where}; the file was not analysed.',
  reportTooLarge: 'The vulnerability report is larger than {limit} ({size}); it was not read, so image-vulnerable does not use it.',
  reportUnusable: 'The vulnerability report cannot be used: {why}. image-vulnerable does not use it.',
} as const;

export type SkipMessageId = keyof typeof FILE_SKIPPED_MESSAGES;

export interface SkipReason {
  messageId: SkipMessageId;
  data?: ReportData;
}

export const SKIP_REASONS = {
  binary: { messageId: 'binary' },
  notUtf8: { messageId: 'notUtf8' },
  internalFailure: { messageId: 'internalFailure' },
  tooLarge: (size: number, maxFileSize: number): SkipReason => ({ messageId: 'tooLarge', data: { size: formatBytes(size), limit: formatBytes(maxFileSize) } }),
  unreadable: (cause: string): SkipReason => ({ messageId: 'unreadable', data: { cause } }),
  reportTooLarge: (size: number, maxSize: number): SkipReason => ({ messageId: 'reportTooLarge', data: { size: formatBytes(size), limit: formatBytes(maxSize) } }),
  reportUnusable: (why: string): SkipReason => ({ messageId: 'reportUnusable', data: { why } }),
  /** Input past one of the engine's bounds (limits.ts); without a bound named, the call stack ran out. */
  pastBound: (what: string | undefined, line: number | undefined): SkipReason => ({
    messageId: 'pastBound',
    data: { what: what ?? 'The file nests constructs too deeply to be read', where: line === undefined ? '' : ` (line ${line})` },
  }),
} as const satisfies Record<string, SkipReason | ((...args: never[]) => SkipReason)>;

/** The reason a text is not analysed (too large, binary), or undefined when it can be. */
export function textSkipReason(text: string, maxFileSize: number): SkipReason | undefined {
  if (text.length > maxFileSize) return SKIP_REASONS.tooLarge(text.length, maxFileSize);
  if (text.includes('\u0000')) return SKIP_REASONS.binary;
  return undefined;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
