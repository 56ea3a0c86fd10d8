import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { scanFile, type ScanJob, type ScanOutcome } from './scan-file';

/** Below this many files per extra thread, a worker costs more to start than it saves. */
const FILES_PER_WORKER = 40;

/**
 * Analyses files on every core: the main thread and one worker thread per other core take jobs
 * one at a time from a shared queue (so one huge file does not hold up a whole batch), and
 * results come back in job order. The main thread works too: on a 2-core machine a second
 * worker would only add another cold start.
 */
export async function scanAll(jobs: readonly ScanJob[], onResult?: (done: number) => void): Promise<ScanOutcome[]> {
  const workers = Math.min(availableParallelism() - 1, Math.floor(jobs.length / FILES_PER_WORKER));
  const results: ScanOutcome[] = new Array<ScanOutcome>(jobs.length);
  let next = 0;
  let done = 0;
  const record = (index: number, outcome: ScanOutcome): void => {
    results[index] = outcome;
    onResult?.(++done);
  };
  const threads = Array.from({ length: Math.max(0, workers) }, () => {
    const worker = new Worker(__filename, { workerData: { shipshapeScanWorker: true } });
    return new Promise<void>((resolveAll, rejectAll) => {
      const feed = (): void => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolveAll());
          return;
        }
        const index = next++;
        worker.postMessage({ index, job: jobs[index] });
      };
      worker.on('message', (message: { index: number; outcome: ScanOutcome }) => {
        record(message.index, message.outcome);
        feed();
      });
      worker.on('error', rejectAll);
      feed();
    });
  });
  while (next < jobs.length) {
    const index = next++;
    const job = jobs[index];
    if (job) record(index, scanFile(job));
    // Let the workers' messages in between files, so they are fed new jobs without waiting.
    if (threads.length > 0) await nextTurn();
  }
  await Promise.all(threads);
  return results;
}

/** The worker side: runs when this bundle is loaded as a scan worker. */
export function serveScanJobs(): boolean {
  if (isMainThread || !parentPort) return false;
  const port = parentPort;
  port.on('message', (message: { index: number; job: ScanJob }) => {
    port.postMessage({ index: message.index, outcome: scanFile(message.job) });
  });
  return true;
}
