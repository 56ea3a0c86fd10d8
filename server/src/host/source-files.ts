import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
    // One open for the size and the bytes: a keystroke in a Namespace re-reads hundreds of files.
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > maxFileSize) return { skipped: SKIP_REASONS.tooLarge(size, maxFileSize) };
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
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

/** What a file held when it was read: equal hashes, equal texts (the scan cache's key). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Whether a fixed file was written, and why not when it was not. */
export type WriteOutcome = { written: true } | { written: false; reason: string };

/**
 * Writes a fixed file back (only ever on an explicit `--fix`), if it still holds `expected`, the
 * text the fixes were computed from: a file that changed on disk since it was read (an editor
 * saved it, a formatter ran) is left alone. The new text goes to a temporary file beside it, with
 * the file's mode, and is renamed over it, so a crash or a full disk never leaves half a file. A
 * symbolic link is followed: the file it points to is replaced, the link stays.
 */
export function writeSourceFileIfUnchanged(path: string, expected: string, text: string): WriteOutcome {
  const target = realpathSync(path);
  const now = readSourceFile(target, Number.POSITIVE_INFINITY);
  if ('skipped' in now || now.text !== expected) return { written: false, reason: 'it changed on disk since it was read' };
  const mode = statSync(target).mode & 0o7777;
  const temporary = join(dirname(target), `.${basename(target)}.shipshape-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, text, { mode, flag: 'wx' });
    // The umask may have narrowed the mode the file was created with.
    chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (cause) {
    rmSync(temporary, { force: true });
    return { written: false, reason: `it could not be written (${cause instanceof Error ? cause.message : String(cause)})` };
  }
  return { written: true };
}
