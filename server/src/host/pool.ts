import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { WorkspaceFact, WorkspaceModel } from '../engine';
import { scanFile, type ScanJob, type ScanOutcome } from './scan-file';
import { readForFeed, type FeedReading, type FeedRequest } from './workspace-feed';

/** The worker thread's entry, bundled beside the CLI and the server (`server/out/scan-worker.js`). */
const WORKER_FILE = join(__dirname, 'scan-worker.js');

export interface ScanPoolOptions {
  /**
   * The calling thread analyses files too. The CLI wants that (on 2 cores a second worker would
   * only add another cold start); the language server does not (its thread answers requests).
   */
  callerWorks: boolean;
  /** Below this many files per extra thread, a worker costs more to start than it saves. */
  filesPerWorker: number;
  /** Threads that read and analyse files, the calling one included when it works (CLI `--concurrency`); default: one per core. */
  threads?: number;
}

export interface ScanRunOptions {
  /** Called as each file is done, in completion order. */
  onResult?: (index: number, outcome: ScanOutcome) => void;
  /** Checked before each file is handed out; once true, no further file is started. */
  isCancelled?: () => boolean;
  /** What the rest of the workspace says, for cross-file rules; each worker gets a copy of its facts. */
  workspace?: WorkspaceModel;
}

/** The CLI: every core, the calling thread included, and workers only for enough files. */
export const CLI_POOL: ScanPoolOptions = { callerWorks: true, filesPerWorker: 40 };

/** The language server: analysis never runs on its own thread. */
export const SERVER_POOL: ScanPoolOptions = { callerWorks: false, filesPerWorker: 1 };

/** Main thread → worker. */
export type WorkerRequest =
  | { kind: 'read'; index: number; request: FeedRequest }
  /** The workspace the following scans see (sent before the first scan, and when it changes). */
  | { kind: 'workspace'; facts?: WorkspaceFact[] }
  | { kind: 'scan'; index: number; job: ScanJob };

/** Worker → main thread: the answer to the request at `index`. */
export type WorkerResponse = { kind: 'read'; index: number; reading: FeedReading } | { kind: 'scan'; index: number; outcome: ScanOutcome };

/** One batch of tasks: how each is sent, done on the calling thread, and received. */
interface Batch<R> {
  count: number;
  request: (index: number) => WorkerRequest;
  local: (index: number) => R;
  receive: (response: WorkerResponse) => R;
  done: (index: number, result: R) => void;
  isCancelled?: () => boolean;
  /** Tells a worker what it needs before its first task of the batch. */
  prepare?: (worker: PoolWorker) => void;
}

/** A worker thread and what it was last told. */
interface PoolWorker {
  thread: Worker;
  /** The model whose facts it holds. */
  workspace?: WorkspaceModel;
  /** Why it died, if it did: the next batch fails with it. */
  failure?: unknown;
}

/**
 * Threads that read and analyse files: worker threads (and the calling thread, when it works too)
 * take tasks one at a time from a shared queue, so one huge file does not hold up a batch. The
 * workers live across batches (the workspace feed, then the scan), so a scan starts them once.
 */
export class ScanPool {
  private readonly workers: PoolWorker[] = [];

  constructor(private readonly options: ScanPoolOptions) {}

  /** Reads files for the workspace feed (their hash, and their facts when asked). */
  async read(requests: readonly FeedRequest[]): Promise<FeedReading[]> {
    const readings = new Array<FeedReading>(requests.length);
    await this.run<FeedReading>({
      count: requests.length,
      request: (index) => ({ kind: 'read', index, request: requests[index] as FeedRequest }),
      local: (index) => readForFeed(requests[index] as FeedRequest),
      receive: (response) => (response.kind === 'read' ? response.reading : {}),
      done: (index, reading) => {
        readings[index] = reading;
      },
    });
    return readings;
  }

  /** Analyses the jobs; results come back in job order, undefined for files a cancellation left out. */
  async scan(jobs: readonly ScanJob[], options: ScanRunOptions = {}): Promise<Array<ScanOutcome | undefined>> {
    const results = new Array<ScanOutcome | undefined>(jobs.length);
    const { workspace } = options;
    await this.run<ScanOutcome>({
      count: jobs.length,
      request: (index) => ({ kind: 'scan', index, job: jobs[index] as ScanJob }),
      local: (index) => scanFile(jobs[index] as ScanJob, workspace),
      receive: (response) => {
        if (response.kind !== 'scan') throw new Error('a scan worker answered a scan with something else');
        return response.outcome;
      },
      done: (index, outcome) => {
        results[index] = outcome;
        options.onResult?.(index, outcome);
      },
      ...(options.isCancelled ? { isCancelled: options.isCancelled } : {}),
      // Each worker holds a copy of the model's facts: sent once, before its first job.
      prepare: (worker) => {
        if (worker.workspace === workspace) return;
        worker.workspace = workspace;
        worker.thread.postMessage({ kind: 'workspace', ...(workspace ? { facts: workspace.allFacts() } : {}) } satisfies WorkerRequest);
      },
    });
    return results;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.thread.terminate()));
  }

  /** Starts workers until there are enough for `tasks` (never more than the threads allow). */
  private grow(tasks: number): void {
    const threads = this.options.threads ?? availableParallelism();
    // A server that does not analyse on its own thread needs one worker even on one core.
    const available = this.options.callerWorks ? threads - 1 : Math.max(1, threads - 1);
    const wanted = Math.max(0, Math.min(available, Math.floor(tasks / this.options.filesPerWorker)));
    while (this.workers.length < wanted) {
      const worker: PoolWorker = { thread: new Worker(WORKER_FILE) };
      worker.thread.on('error', (cause) => {
        worker.failure = cause;
      });
      this.workers.push(worker);
    }
  }

  private async run<R>(batch: Batch<R>): Promise<void> {
    this.grow(batch.count);
    let next = 0;
    const cancelled = (): boolean => batch.isCancelled?.() === true;
    const fed = this.workers.map(
      (worker) =>
        new Promise<void>((resolveAll, rejectAll) => {
          if (worker.failure !== undefined) {
            rejectAll(worker.failure);
            return;
          }
          const feed = (): void => {
            if (next >= batch.count || cancelled()) {
              worker.thread.off('message', onMessage).off('error', rejectAll);
              resolveAll();
              return;
            }
            worker.thread.postMessage(batch.request(next++));
          };
          const onMessage = (response: WorkerResponse): void => {
            batch.done(response.index, batch.receive(response));
            feed();
          };
          worker.thread.on('message', onMessage).on('error', rejectAll);
          batch.prepare?.(worker);
          feed();
        }),
    );
    if (this.options.callerWorks) {
      while (next < batch.count && !cancelled()) {
        const index = next++;
        batch.done(index, batch.local(index));
        // Let the workers' messages in between files, so they are fed new tasks without waiting.
        if (fed.length > 0) await nextTurn();
      }
    }
    await Promise.all(fed);
  }
}

/** Analyses files on a pool of its own, stopped when they are done. */
export async function scanFiles(jobs: readonly ScanJob[], options: ScanPoolOptions & ScanRunOptions): Promise<Array<ScanOutcome | undefined>> {
  const pool = new ScanPool(options);
  try {
    return await pool.scan(jobs, options);
  } finally {
    await pool.close();
  }
}
