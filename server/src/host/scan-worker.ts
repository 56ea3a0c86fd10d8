/**
 * A scan worker thread (bundled as `server/out/scan-worker.js`): analyses the jobs the pool
 * hands it, one at a time, for the CLI and the language server's workspace scan alike.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { scanFile } from './scan-file';
import type { ScanRequest, ScanResponse } from './pool';

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (message: ScanRequest) => {
    port.postMessage({ index: message.index, outcome: scanFile(message.job) } satisfies ScanResponse);
  });
}
