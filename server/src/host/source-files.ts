import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { SKIP_REASONS, type SkipReason } from '../engine';

export type SourceText = { text: string } | { skipped: SkipReason };

// The BOM stays in the text: the engine skips it, and a fixed file is written back with it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A file's text, or why it is not analysed: too large (judged by its size on disk, so a huge
 * file is never read whole), unreadable, binary, or not UTF-8. The engine words every reason.
 */
export function readSourceFile(path: string, maxFileSize: number): SourceText {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > maxFileSize) return { skipped: SKIP_REASONS.tooLarge(size, maxFileSize) };
    bytes = readFileSync(path);
  } catch (cause) {
    return { skipped: SKIP_REASONS.unreadable(cause instanceof Error ? cause.message : String(cause)) };
  }
  if (bytes.includes(0)) return { skipped: SKIP_REASONS.binary };
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { skipped: SKIP_REASONS.notUtf8 };
  }
}

/** Writes a fixed file back (only ever on an explicit `--fix`). */
export function writeSourceFile(path: string, text: string): void {
  writeFileSync(path, text);
}
