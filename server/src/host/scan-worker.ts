/**
 * A scan worker thread (bundled as `server/out/scan-worker.js`): reads and analyses what the pool
 * hands it, one task at a time, for the CLI and the language server's workspace scan alike.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { WorkspaceModel } from '../engine';
import { scanFile } from './scan-file';
import { readForFeed } from './workspace-feed';
import type { WorkerRequest, WorkerResponse } from './pool';

if (!isMainThread && parentPort) {
  const port = parentPort;
  let workspace: WorkspaceModel | undefined;
  port.on('message', (message: WorkerRequest) => {
    switch (message.kind) {
      case 'workspace':
        workspace = message.facts ? WorkspaceModel.fromFacts(message.facts) : undefined;
        return;
      case 'read':
        port.postMessage({ kind: 'read', index: message.index, reading: readForFeed(message.request) } satisfies WorkerResponse);
        return;
      case 'scan':
        port.postMessage({ kind: 'scan', index: message.index, outcome: scanFile(message.job, workspace) } satisfies WorkerResponse);
    }
  });
}
