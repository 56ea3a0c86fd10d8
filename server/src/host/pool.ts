import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { WorkspaceFact, WorkspaceModel } from '../engine';
import { scanFile, type ScanJob, type ScanOutcome } from './scan-file';

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
  /** Called as each file is done, in completion order. */
  onResult?: (index: number, outcome: ScanOutcome) => void;
  /** Checked before each file is handed out; once true, no further file is started. */
  isCancelled?: () => boolean;
  /** What the rest of the workspace says, for cross-file rules; each worker gets a copy of its facts. */
  workspace?: WorkspaceModel;
}

/** What a worker thread starts with. */
export interface ScanWorkerData {
  workspaceFacts?: WorkspaceFact[];
}

/** The CLI: every core, the calling thread included, and workers only for enough files. */
export const CLI_POOL: ScanPoolOptions = { callerWorks: true, filesPerWorker: 40 };

/** The language server: analysis never runs on its own thread. */
export const SERVER_POOL: ScanPoolOptions = { callerWorks: false, filesPerWorker: 1 };

/**
 * Analyses files on the cores available: worker threads (and the calling thread, when it works
 * too) take jobs one at a time from a shared queue, so one huge file does not hold up a batch.
 * Results come back in job order; files not started because of a cancellation are undefined.
 */
export async function scanFiles(jobs: readonly ScanJob[], options: ScanPoolOptions): Promise<Array<ScanOutcome | undefined>> {
  // A server that does not analyse on its own thread needs one worker even on one core.
  const available = options.callerWorks ? availableParallelism() - 1 : Math.max(1, availableParallelism() - 1);
  const workers = Math.max(0, Math.min(available, Math.floor(jobs.length / options.filesPerWorker)));
  const results = new Array<ScanOutcome | undefined>(jobs.length);
  let next = 0;
  const cancelled = (): boolean => options.isCancelled?.() === true;
  const record = (index: number, outcome: ScanOutcome): void => {
    results[index] = outcome;
    options.onResult?.(index, outcome);
  };
  const threads = Array.from({ length: workers }, () => {
    const workerData: ScanWorkerData = options.workspace ? { workspaceFacts: options.workspace.allFacts() } : {};
    const worker = new Worker(WORKER_FILE, { workerData });
    return new Promise<void>((resolveAll, rejectAll) => {
      const feed = (): void => {
        if (next >= jobs.length || cancelled()) {
          void worker.terminate().then(() => resolveAll());
          return;
        }
        const index = next++;
        const job = jobs[index];
        if (job) worker.postMessage({ index, job } satisfies ScanRequest);
        else feed();
      };
      worker.on('message', (message: ScanResponse) => {
        record(message.index, message.outcome);
        feed();
      });
      worker.on('error', rejectAll);
      feed();
    });
  });
  if (options.callerWorks) {
    while (next < jobs.length && !cancelled()) {
      const index = next++;
      const job = jobs[index];
      if (job) record(index, scanFile(job, options.workspace));
      // Let the workers' messages in between files, so they are fed new jobs without waiting.
      if (threads.length > 0) await nextTurn();
    }
  }
  await Promise.all(threads);
  return results;
}

/** Main thread → worker: analyse the job at this index. */
export interface ScanRequest {
  index: number;
  job: ScanJob;
}

/** Worker → main thread: the job's outcome. */
export interface ScanResponse {
  index: number;
  outcome: ScanOutcome;
}
