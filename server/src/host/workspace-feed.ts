import { statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { extractFacts, type WorkspaceFact } from '../engine';
import type { ConfigLoader } from './config-loader';
import { discoverFiles } from './discovery';
import { contentHash, readSourceFile } from './source-files';

/** What the workspace feed asks of one file: its content hash, and its facts unless they are known for that hash. */
export interface FeedRequest {
  path: string;
  maxFileSize: number;
  /** Read the file's facts (it is in the workspace); false: only its hash is wanted (the cache's key). */
  facts: boolean;
  /** The hash of the text whose facts the caller already has: the same text is not parsed again. */
  knownHash?: string;
}

/** One file as the feed read it; no hash when the file could not be read (too large, binary...). */
export interface FeedReading {
  contentHash?: string;
  /** Absent when not asked for, or when the caller knows them (`knownHash` matched). */
  facts?: WorkspaceFact[];
}

/**
 * Reads one file for the workspace model's feed: the facts it contributes (namespaces, service
 * accounts, bindings, skaffold and compose builds, Dockerfile stages) and the hash of its text.
 * Runs on the pool's threads.
 */
export function readForFeed(request: FeedRequest): FeedReading {
  const source = readSourceFile(request.path, request.maxFileSize);
  if (!('text' in source)) return {};
  const hash = contentHash(source.text);
  if (!request.facts || hash === request.knownHash) return { contentHash: hash };
  return { contentHash: hash, facts: extractFacts(request.path, source.text) };
}

/**
 * The folders whose files the CLI reads facts from when it scans `scanned`: for each, the folder
 * of the config file that governs it, else the current folder when the path is inside it, else
 * the scanned folder itself. So a scan of one manifest still sees the Namespace, skaffold and
 * compose files of its workspace.
 */
export function workspaceRoots(scanned: readonly string[], loader: ConfigLoader, cwd: string): string[] {
  const roots = new Set<string>();
  const current = resolve(cwd);
  for (const path of scanned) {
    const absolute = resolve(path);
    const directory = isDirectory(absolute);
    // The loader searches from a file's folder: a folder is asked about through a name inside it.
    const governing = loader.configFor(directory ? join(absolute, '.shipshape-probe') : absolute).file;
    if (governing) roots.add(dirname(governing.path));
    else if (absolute === current || absolute.startsWith(current.endsWith(sep) ? current : `${current}${sep}`)) roots.add(current);
    else roots.add(directory ? absolute : dirname(absolute));
  }
  return [...roots];
}

/** Discovery over the workspace roots, with the same excludes and ignores as the scan. */
export function workspaceFiles(roots: readonly string[], loader: ConfigLoader): string[] {
  return discoverFiles(roots, { isExcluded: (path, directory) => loader.isExcluded(path, directory) });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
