/**
 * A scan of many files at once (the CLI): the workspace feed, then the analysis, both on one pool
 * of threads, with the scan cache in between when there is one.
 */
import { WorkspaceModel } from '../engine';
import type { ScanPool } from './pool';
import type { ScanCache } from './scan-cache';
import type { ScanJob, ScanOutcome } from './scan-file';
import type { FeedRequest } from './workspace-feed';

export interface FeedOptions {
  /** Files whose facts make the workspace model (cross-file rules and Kustomize builds read it). */
  workspacePaths: readonly string[];
  /** Files whose content hash is wanted as well (the scanned files, for the cache). */
  hashed?: readonly string[];
  maxFileSize: (path: string) => number;
  cache?: ScanCache;
}

/** What the feed read: the workspace model, and the hash of every file it could read. */
export interface WorkspaceFeed {
  workspace: WorkspaceModel;
  contentHashes: Map<string, string>;
}

/**
 * Reads every file once, on the pool's threads: its hash, and, for the workspace's files, the
 * facts they contribute (taken from the cache for a text seen before). The model is built in
 * path order, so every shard of a scan builds the same one.
 */
export async function feedWorkspace(pool: ScanPool, options: FeedOptions): Promise<WorkspaceFeed> {
  const { cache } = options;
  const inWorkspace = new Set(options.workspacePaths);
  const paths = [...new Set([...inWorkspace, ...(options.hashed ?? [])])];
  const requests = paths.map((path): FeedRequest => {
    const knownHash = inWorkspace.has(path) ? cache?.factsHash(path) : undefined;
    return { path, maxFileSize: options.maxFileSize(path), facts: inWorkspace.has(path), ...(knownHash ? { knownHash } : {}) };
  });
  const readings = await pool.read(requests);
  const contentHashes = new Map<string, string>();
  const workspace = new WorkspaceModel();
  paths.forEach((path, index) => {
    const hash = readings[index]?.contentHash;
    if (hash === undefined) return;
    contentHashes.set(path, hash);
    if (!inWorkspace.has(path)) return;
    const facts = readings[index]?.facts ?? cache?.facts(path, hash) ?? [];
    workspace.setFacts(path, facts);
    cache?.rememberFacts(path, hash, facts);
  });
  return { workspace, contentHashes };
}

/**
 * Every job's outcome, in job order: from the cache where it still holds, analysed on the pool
 * otherwise (and then kept in the cache). `workspace`: the model the rules read, when a
 * cross-file rule is on.
 */
export async function scanWithCache(pool: ScanPool, jobs: readonly ScanJob[], contentHashes: ReadonlyMap<string, string>, workspace: WorkspaceModel | undefined, cache: ScanCache | undefined): Promise<ScanOutcome[]> {
  const outcomes = jobs.map((job) => {
    const hash = contentHashes.get(job.path);
    return hash === undefined ? undefined : cache?.outcome(job, hash, workspace);
  });
  const missing = jobs.filter((_job, index) => outcomes[index] === undefined);
  // Every job is handed out (no cancellation), so every outcome is there.
  const fresh = await pool.scan(missing, workspace ? { workspace } : {});
  let next = 0;
  return jobs.map((job, index) => {
    const cached = outcomes[index];
    if (cached) return cached;
    const outcome = fresh[next++] as ScanOutcome;
    cache?.remember(job, outcome, workspace);
    return outcome;
  });
}
