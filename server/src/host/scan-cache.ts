/**
 * The scan cache (`--cache`): each file's outcome and workspace facts from the last scan, reused
 * while nothing they depend on has changed. An outcome is reused when the file's text (its hash),
 * the job (effective configuration, path shown, fix order, and the UTC day that end-of-life rules
 * and expiring suppressions judge by), the tool (version and build), and the facts under every
 * workspace key its analysis read are all unchanged. Facts are reused when the text is: they
 * depend on the text and the path alone. The file is one JSON document behind a header line that
 * names the format, the tool and a checksum; anything else is ignored with a notice, never trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SEVERITIES, type WorkspaceFact, type WorkspaceModel } from '../engine';
import type { ScanJob, ScanOutcome } from './scan-file';
import { isRecord, isStringArray } from './json-guards';

/** The default file name, in the config root (README: add it to `.gitignore`). */
export const CACHE_FILE_NAME = '.shipshape-cache';

const FORMAT = 'shipshape-cache';
/** Bumped when the layout of entries changes. */
const FORMAT_VERSION = 1;

interface CachedFacts {
  contentHash: string;
  facts: WorkspaceFact[];
}

interface CachedOutcome {
  contentHash: string;
  /** `jobKey` of the job the outcome answers. */
  job: string;
  /** The workspace keys the analysis read, and `readsSignature` of them then. */
  reads: string[];
  readsSignature: string;
  outcome: ScanOutcome;
}

/** What the cache keeps of one file (by absolute path). */
interface CacheEntry {
  facts?: CachedFacts;
  outcome?: CachedOutcome;
}

interface CacheHeader {
  format: typeof FORMAT;
  version: number;
  /** Tool version and build: a cache written by another build is not read. */
  tool: string;
  /** sha256 of the body. */
  checksum: string;
}

/** The cache file's text for these entries. */
export function serializeCache(tool: string, entries: ReadonlyMap<string, CacheEntry>): string {
  const body = JSON.stringify(Object.fromEntries(entries));
  const header: CacheHeader = { format: FORMAT, version: FORMAT_VERSION, tool, checksum: sha256(body) };
  return `${JSON.stringify(header)}\n${body}`;
}

/**
 * The entries of a cache file's text: none (silently) when another tool build or format version
 * wrote it, since it is stale, not broken; a `problem` when it is not a Shipshape cache or is
 * damaged.
 */
export function parseCache(text: string, tool: string): { entries: Map<string, CacheEntry>; problem?: string } {
  const none = (problem?: string): { entries: Map<string, CacheEntry>; problem?: string } => ({ entries: new Map(), ...(problem ? { problem } : {}) });
  const newline = text.indexOf('\n');
  const header = parseJson(newline < 0 ? text : text.slice(0, newline));
  if (!isRecord(header) || header.format !== FORMAT || typeof header.version !== 'number' || typeof header.tool !== 'string' || typeof header.checksum !== 'string') {
    return none('it is not a Shipshape cache');
  }
  if (header.version !== FORMAT_VERSION || header.tool !== tool) return none();
  const body = text.slice(newline + 1);
  if (sha256(body) !== header.checksum) return none('it is damaged (its checksum does not match)');
  const parsed = parseJson(body);
  if (!isRecord(parsed)) return none('it is damaged (no entries)');
  const entries = new Map<string, CacheEntry>();
  for (const [path, entry] of Object.entries(parsed)) {
    if (!isCacheEntry(entry)) return none(`it is damaged (the entry of ${path})`);
    entries.set(path, entry);
  }
  return { entries };
}

export class ScanCache {
  /** Entries read from the file, then replaced as this scan reads and analyses files. */
  private readonly entries: Map<string, CacheEntry>;
  /** Paths whose entries this scan confirmed or wrote. */
  private readonly touched = new Set<string>();
  /** Key → [the model's signature of it, its digest]: a key read by many files is hashed once. */
  private readonly digests = new Map<string, [string, string]>();
  private changed = false;

  private constructor(
    readonly location: string,
    private readonly tool: string,
    entries: Map<string, CacheEntry>,
  ) {
    this.entries = entries;
  }

  /** The cache at `location` (a fresh one when there is none); `notice` says why a file there was not used. */
  static open(location: string, tool: string): { cache: ScanCache; notice?: string } {
    let text: string;
    try {
      text = readFileSync(location, 'utf8');
    } catch (cause) {
      if (isMissing(cause)) return { cache: new ScanCache(location, tool, new Map()) };
      return { cache: new ScanCache(location, tool, new Map()), notice: `the cache ${location} cannot be read (${describe(cause)}); scanning without it` };
    }
    const { entries, problem } = parseCache(text, tool);
    const cache = new ScanCache(location, tool, entries);
    // A cache nobody can use is replaced by this scan's.
    if (problem) cache.changed = true;
    return { cache, ...(problem ? { notice: `ignoring the cache ${location}: ${problem}` } : {}) };
  }

  /** The hash of the text whose facts are cached for `path`, so the feed need not parse it again. */
  factsHash(path: string): string | undefined {
    return this.entries.get(path)?.facts?.contentHash;
  }

  /** The cached facts of `path` when its text is the one they were read from. */
  facts(path: string, contentHash: string): WorkspaceFact[] | undefined {
    const cached = this.entries.get(path)?.facts;
    return cached?.contentHash === contentHash ? cached.facts : undefined;
  }

  rememberFacts(path: string, contentHash: string, facts: WorkspaceFact[]): void {
    const entry = this.entryOf(path);
    if (entry.facts?.contentHash !== contentHash) {
      entry.facts = { contentHash, facts };
      this.changed = true;
    }
  }

  /** The cached outcome of `job` when the file's text, the job and everything it read are unchanged. */
  outcome(job: ScanJob, contentHash: string, workspace: WorkspaceModel | undefined): ScanOutcome | undefined {
    const cached = this.entries.get(job.path)?.outcome;
    if (!cached || cached.contentHash !== contentHash || cached.job !== jobKey(job)) return undefined;
    if (cached.readsSignature !== this.readsSignature(cached.reads, workspace)) return undefined;
    this.touched.add(job.path);
    return cached.outcome;
  }

  /**
   * Keeps a fresh outcome. Not kept: a file that could not be read, an internal failure (it may
   * not happen again), and a file that fixes changed (its text is no longer the one analysed).
   */
  remember(job: ScanJob, outcome: ScanOutcome, workspace: WorkspaceModel | undefined): void {
    if (outcome.contentHash === undefined || outcome.failures.length > 0 || (outcome.fixes?.applied.length ?? 0) > 0) return;
    const reads = [...(outcome.workspaceReads ?? [])].sort();
    this.entryOf(job.path).outcome = { contentHash: outcome.contentHash, job: jobKey(job), reads, readsSignature: this.readsSignature(reads, workspace), outcome };
    this.changed = true;
  }

  /**
   * Writes the cache if this scan changed it: the entries of this scan, and those of files it did
   * not look at that still exist (another folder, another shard). Written to a temporary file
   * renamed over the old one, so a reader never sees half a cache. Returns a notice on failure.
   */
  save(): string | undefined {
    const kept = new Map<string, CacheEntry>();
    for (const [path, entry] of this.entries) {
      if (this.touched.has(path)) kept.set(path, entry);
      else if (existsSync(path)) kept.set(path, entry);
      else this.changed = true;
    }
    if (!this.changed) return undefined;
    const temporary = join(dirname(this.location), `.${basename(this.location)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      mkdirSync(dirname(this.location), { recursive: true });
      writeFileSync(temporary, serializeCache(this.tool, kept), { flag: 'wx' });
      renameSync(temporary, this.location);
    } catch (cause) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Its folder is not there: nothing was left behind.
      }
      return `the cache ${this.location} could not be written (${describe(cause)})`;
    }
    return undefined;
  }

  private entryOf(path: string): CacheEntry {
    this.touched.add(path);
    let entry = this.entries.get(path);
    if (!entry) {
      entry = {};
      this.entries.set(path, entry);
    }
    return entry;
  }

  /** One hash of the facts under `reads` (sorted keys), from the model's signature of each key. */
  private readsSignature(reads: readonly string[], workspace: WorkspaceModel | undefined): string {
    if (reads.length === 0) return '';
    // Findings that read the workspace cannot be reused by a scan that has none.
    if (!workspace) return 'no workspace';
    const hash = createHash('sha256');
    for (const key of reads) hash.update(`${key}\u0000${this.keyDigest(key, workspace)}\u0000`);
    return hash.digest('base64url');
  }

  private keyDigest(key: string, workspace: WorkspaceModel): string {
    const signature = workspace.factsSignature(key);
    const known = this.digests.get(key);
    if (known && known[0] === signature) return known[1];
    const digest = sha256(signature);
    this.digests.set(key, [signature, digest]);
    return digest;
  }
}

/**
 * Everything about a job but its path (the entry's key) that its outcome depends on, as a stable
 * string: every field of the job (a field added later is covered too), keys sorted, with the
 * scan's instant reduced to its UTC day.
 */
export function jobKey(job: ScanJob): string {
  const { path: _path, today, ...rest } = job;
  return sha256(stableJson({ ...rest, day: today.slice(0, 10) }));
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableJson(item === undefined ? null : item)).join(',')}]`;
  if (isRecord(value)) {
    const fields = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(value[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}


function isPosition(value: unknown): boolean {
  return isRecord(value) && typeof value.line === 'number' && typeof value.character === 'number';
}

function isRange(value: unknown): boolean {
  return isRecord(value) && isPosition(value.start) && isPosition(value.end);
}

/** What the reports read of a finding has the types they expect. */
function isFinding(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.ruleId === 'string' &&
    typeof value.message === 'string' &&
    (SEVERITIES as readonly unknown[]).includes(value.severity) &&
    isRange(value.range) &&
    (value.fix === undefined || (isRecord(value.fix) && typeof value.fix.title === 'string' && typeof value.fix.isSafe === 'boolean')) &&
    (value.suppression === undefined || (isRecord(value.suppression) && typeof value.suppression.kind === 'string' && typeof value.suppression.source === 'string')) &&
    (value.related === undefined || (Array.isArray(value.related) && value.related.every((related) => isRecord(related) && typeof related.message === 'string' && isRange(related.range))))
  );
}

function isOutcome(value: unknown): value is ScanOutcome {
  return (
    isRecord(value) &&
    typeof value.displayPath === 'string' &&
    Array.isArray(value.findings) &&
    value.findings.every(isFinding) &&
    isStringArray(value.fingerprints) &&
    value.fingerprints.length === value.findings.length &&
    isStringArray(value.failures)
  );
}

function isCacheEntry(value: unknown): value is CacheEntry {
  if (!isRecord(value)) return false;
  const { facts, outcome } = value;
  const factsOk = facts === undefined || (isRecord(facts) && typeof facts.contentHash === 'string' && Array.isArray(facts.facts) && facts.facts.every((fact) => isRecord(fact) && typeof fact.kind === 'string'));
  const outcomeOk =
    outcome === undefined ||
    (isRecord(outcome) &&
      typeof outcome.contentHash === 'string' &&
      typeof outcome.job === 'string' &&
      isStringArray(outcome.reads) &&
      typeof outcome.readsSignature === 'string' &&
      isOutcome(outcome.outcome));
  return factsOk && outcomeOk;
}

/** Nothing there (a path through a file leads nowhere too): a first scan. */
function isMissing(cause: unknown): boolean {
  return cause instanceof Error && 'code' in cause && (cause.code === 'ENOENT' || cause.code === 'ENOTDIR');
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
