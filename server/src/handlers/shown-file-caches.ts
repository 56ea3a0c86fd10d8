import { statSync } from 'node:fs';
import type { CachedOutcome, EngineConfig } from '../engine';
import { readSourceFile, type SourceText } from '../host/source-files';
import { SweptCache } from './swept-cache';

/** Enough for the dependents of a busy Namespace; each holds its sections' parsed YAML. */
const DEFAULT_LIMIT = 1_000;

/**
 * Section caches of closed files the editor shows (workspace scan results), kept so that
 * re-publishing them when another file's facts change (a keystroke in their Namespace) reruns
 * their cross-file rules alone instead of parsing them again. The least recently used are
 * forgotten past the limit: such a file is analysed anew, as without this cache. Its results
 * carry no fixes (nobody applies a fix to a closed file), so it never serves an open document.
 */
export class ShownFileCaches {
  /** `config` is the configuration written out: each resolution of a closed file's configuration is a new object. */
  private readonly entries = new Map<string, { config: string; cache: SweptCache<CachedOutcome> }>();
  /** Texts read from disk, with what the file's stat said then; kept for the files that have an entry. */
  private readonly texts = new Map<string, { stamp: string; text: string }>();

  /** Each configuration object written out once: hundreds of files are re-published under one. */
  private readonly written = new WeakMap<EngineConfig, string>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  /** The cache for `uri` under `config` (a new one when the configuration changed). */
  cacheFor(uri: string, config: EngineConfig): SweptCache<CachedOutcome> {
    let written = this.written.get(config);
    if (written === undefined) {
      written = JSON.stringify(config);
      this.written.set(config, written);
    }
    let entry = this.entries.get(uri);
    this.entries.delete(uri);
    if (entry?.config !== written) entry = { config: written, cache: new SweptCache<CachedOutcome>() };
    this.entries.set(uri, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.forget(oldest);
    }
    return entry.cache;
  }

  /**
   * The file's text on disk: read again only when its size, modification time or inode changed
   * since the last read (one stat instead of a read, for each of the hundreds of files a
   * keystroke in their Namespace re-publishes).
   */
  textOf(uri: string, path: string, maxFileSize: number): SourceText {
    let stamp: string | undefined;
    try {
      const stats = statSync(path, { bigint: true });
      stamp = `${stats.ino}:${stats.size}:${stats.mtimeNs}:${maxFileSize}`;
    } catch {
      stamp = undefined; // gone or unreadable: the read says why
    }
    const known = this.texts.get(uri);
    if (known && stamp !== undefined && known.stamp === stamp) return { text: known.text };
    const source = readSourceFile(path, maxFileSize);
    if ('text' in source && stamp !== undefined && this.entries.has(uri)) this.texts.set(uri, { stamp, text: source.text });
    else this.texts.delete(uri);
    return source;
  }

  /** Opened, deleted or no longer shown: its live analysis, if any, has its own cache. */
  forget(uri: string): void {
    this.entries.delete(uri);
    this.texts.delete(uri);
  }
}
