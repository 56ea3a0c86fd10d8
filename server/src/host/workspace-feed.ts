import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { DEFAULT_CONFIG, extractFacts, extractUpdaterFacts, repositoryFact, UPDATER_CONFIG_FILES, type SkipReason, type WorkspaceFact, type WorkspaceModel } from '../engine';
import type { ConfigFile, ConfigLoader } from './config-loader';
import { discoverFiles } from './discovery';
import { contentHash, readSourceFile } from './source-files';
import { findReportFiles, ReportCache } from './vulnerability-reports';

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
 * accounts, bindings, skaffold and compose builds, Dockerfile stages, signature policies) and the
 * hash of its text. Runs on the pool's threads.
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

function repositoryRoot(path: string): string | undefined {
  for (let dir = isDirectory(path) ? path : dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where Dependabot and Renovate read their configuration for the workspace roots: each root's
 * repository root (the folder holding `.git`), else the root itself.
 */
export function repositoryRoots(roots: readonly string[]): string[] {
  return [...new Set(roots.map((root) => repositoryRoot(resolve(root)) ?? resolve(root)))];
}

/** Where Dependabot and Renovate configurations may be, at each repository root: path → its root and name there. */
export function updaterConfigPaths(repositories: readonly string[]): Map<string, { root: string; name: string }> {
  const paths = new Map<string, { root: string; name: string }>();
  for (const root of repositories) for (const name of UPDATER_CONFIG_FILES) paths.set(join(root, name), { root, name });
  return paths;
}

/** The facts of one updater configuration file (none when it does not exist or cannot be read). */
export function readUpdaterConfig(path: string, root: string, name: string): WorkspaceFact[] {
  if (!existsSync(path)) return [];
  const source = readSourceFile(path, DEFAULT_CONFIG.maxFileSize);
  return 'text' in source ? extractUpdaterFacts(path, root, name, source.text) : [];
}

/**
 * Dependabot's and Renovate's configuration files at each repository root, read into the model
 * (they are not analysed as manifests), with the fact that each root was looked at. Returns the
 * files whose findings read what changed.
 */
export function readUpdaterConfigs(repositories: readonly string[], model: WorkspaceModel): Set<string> {
  const dependents = new Set<string>();
  const add = (files: Iterable<string>): void => {
    for (const file of files) dependents.add(file);
  };
  for (const root of repositories) add(model.setFacts(root, [repositoryFact(root, existsSync(join(root, '.git')))]));
  for (const [path, { root, name }] of updaterConfigPaths(repositories)) add(model.setFacts(path, readUpdaterConfig(path, root, name)));
  return dependents;
}

/** The vulnerability reports config files list, as read into the model. */
export interface ReportsRead {
  /** Every report file listed (usable or not): none of them is a manifest to analyse. */
  paths: Set<string>;
  /** Reports that cannot be used, with the reason (reported as file-skipped on the report). */
  skipped: Array<{ path: string; reason: SkipReason }>;
  /** What is wrong with the globs themselves (matching nothing, leading out of the repository). */
  notices: string[];
  /** Files whose findings read a report that changed (for the language server to re-publish). */
  dependents: Set<string>;
}

/** Reads the reports the given config files list into the model (`cache` keeps unchanged ones between calls). */
export function readVulnerabilityReports(configFiles: readonly ConfigFile[], model: WorkspaceModel, cache = new ReportCache()): ReportsRead {
  const read: ReportsRead = { paths: new Set(), skipped: [], notices: [], dependents: new Set() };
  for (const file of configFiles) {
    const globs = file.layer.vulnerabilityReports ?? [];
    if (globs.length === 0) continue;
    const found = findReportFiles(file.path, globs);
    read.notices.push(...found.notices);
    for (const path of found.files) {
      if (read.paths.has(path)) continue;
      read.paths.add(path);
      const facts = cache.read(path);
      if ('skipped' in facts) read.skipped.push({ path, reason: facts.skipped });
      for (const dependent of model.setFacts(path, 'facts' in facts ? facts.facts : [])) read.dependents.add(dependent);
    }
  }
  return read;
}
