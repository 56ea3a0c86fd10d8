import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { scanFile, type ScanJob, type ScanOutcome } from './scan-file';

/** Below this many files a worker costs more to start than it saves. */
const FILES_PER_WORKER = 40;

/**
 * Analyses files on every core: worker threads take jobs one at a time from a shared queue (so
 * one huge file does not hold up a whole batch), and results come back in job order.
 */
export async function scanAll(jobs: readonly ScanJob[], onResult?: (done: number) => void): Promise<ScanOutcome[]> {
  const workers = Math.min(availableParallelism(), Math.floor(jobs.length / FILES_PER_WORKER));
  if (workers < 2) {
    return jobs.map((job, index) => {
      const outcome = scanFile(job);
      onResult?.(index + 1);
      return outcome;
    });
  }
  const results: ScanOutcome[] = new Array<ScanOutcome>(jobs.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, () => {
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
          results[message.index] = message.outcome;
          onResult?.(++done);
          feed();
        });
        worker.on('error', rejectAll);
        feed();
      });
    }),
  );
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
