/**
 * A scan worker thread (bundled as `server/out/scan-worker.js`): analyses the jobs the pool
 * hands it, one at a time, for the CLI and the language server's workspace scan alike.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { WorkspaceModel } from '../engine';
import { scanFile } from './scan-file';
import type { ScanRequest, ScanResponse, ScanWorkerData } from './pool';

function isWorkerData(value: unknown): value is ScanWorkerData {
  return typeof value === 'object' && value !== null;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const data: unknown = workerData;
  const facts = isWorkerData(data) ? data.workspaceFacts : undefined;
  const workspace = facts ? WorkspaceModel.fromFacts(facts) : undefined;
  port.on('message', (message: ScanRequest) => {
    port.postMessage({ index: message.index, outcome: scanFile(message.job, workspace) } satisfies ScanResponse);
  });
}
