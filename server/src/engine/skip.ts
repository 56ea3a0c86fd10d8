/**
 * Why a file is not analysed, worded once for every caller: the engine checks the text it is
 * given, the host checks the bytes before it decodes them (a huge file is never read whole).
 */
import type { Finding } from './types';

export const SKIP_REASONS = {
  binary: 'The file holds NUL bytes (binary content); it was not analysed.',
  notUtf8: 'The file is not valid UTF-8; it was not analysed.',
  internalFailure: 'Shipshape failed on this file (an internal error, logged); it was not analysed.',
  tooLarge: (size: number, maxFileSize: number): string =>
    `The file is larger than maxFileSize (${formatBytes(size)} > ${formatBytes(maxFileSize)}); it was not analysed.`,
  unreadable: (cause: string): string => `The file cannot be read: ${cause}`,
  reportTooLarge: (size: number, maxSize: number): string =>
    `The vulnerability report is larger than ${formatBytes(maxSize)} (${formatBytes(size)}); it was not read, so image-vulnerable does not use it.`,
  reportUnusable: (why: string): string => `The vulnerability report cannot be used: ${why}. image-vulnerable does not use it.`,
  /** Input past one of the engine's bounds (limits.ts); without a bound named, the call stack ran out. */
  pastBound: (what: string | undefined, line: number | undefined): string =>
    `${what ?? 'The file nests constructs too deeply to be read'}${line === undefined ? '' : ` (line ${line})`}; the file was not analysed.`,
} as const;

/** The reason a text is not analysed (too large, binary), or undefined when it can be. */
export function textSkipReason(text: string, maxFileSize: number): string | undefined {
  if (text.length > maxFileSize) return SKIP_REASONS.tooLarge(text.length, maxFileSize);
  if (text.includes('\u0000')) return SKIP_REASONS.binary;
  return undefined;
}

/** A finding at the top of the file saying why it was not analysed. */
export function skippedFinding(reason: string): Finding {
  return {
    ruleId: 'file-skipped',
    messageId: 'skipped',
    severity: 'info',
    message: reason,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    span: { start: 0, end: 0 },
  };
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
