/**
 * The workspace scan, in a worker thread (bundled as `server/out/scan-worker.js`): discovery,
 * reading and analysis of thousands of files never block the server's request loop. The server
 * posts one `ScanOrder`; the worker answers with `ScanMessage`s and stops early when the shared
 * cancel flag is set (a message would wait behind the synchronous loop).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { ConfigLayer } from '../engine';
import type { Diagnostic } from 'vscode-languageserver';
import { toDiagnostics } from '../handlers/diagnostic-conversion';
import { pathToUri } from '../handlers/uris';
import { scanFile, scanJob } from '../cli/scan-file';
import { ConfigLoader } from './config-loader';
import { discoverFiles } from './discovery';

export interface ScanRoot {
  path: string;
  /** The editor settings for this folder, as an engine layer. */
  settings: ConfigLayer;
}

export interface ScanOrder {
  roots: ScanRoot[];
  useConfigFiles: boolean;
  /** Int32 flag: non-zero means stop. */
  cancel: SharedArrayBuffer;
  /** ISO date suppressions expire against. */
  today: string;
}

export type ScanMessage =
  | { type: 'found'; total: number }
  | {
      type: 'file';
      uri: string;
      diagnostics: Diagnostic[];
      counts: { error: number; warning: number; info: number };
      failures: string[];
    }
  | { type: 'configProblems'; path: string }
  | { type: 'done'; analysed: number; cancelled: boolean };

function runScan(order: ScanOrder, post: (message: ScanMessage) => void): void {
  const cancelled = new Int32Array(order.cancel);
  const isCancelled = (): boolean => Atomics.load(cancelled, 0) !== 0;
  const work: Array<{ path: string; loader: ConfigLoader }> = [];
  for (const root of order.roots) {
    const loader = new ConfigLoader({ roots: [root.path], below: [root.settings], useConfigFiles: order.useConfigFiles });
    const isExcluded = (path: string, isDirectory: boolean): boolean => loader.isExcluded(path, isDirectory);
    for (const path of discoverFiles([root.path], { isExcluded })) work.push({ path, loader });
    if (isCancelled()) break;
  }
  post({ type: 'found', total: work.length });
  let analysed = 0;
  for (const { path, loader } of work) {
    if (isCancelled()) break;
    const uri = pathToUri(path);
    try {
      const outcome = scanFile(scanJob(path, path, loader.configFor(path), order.today));
      const diagnostics = toDiagnostics(outcome.findings, uri);
      const counts = { error: 0, warning: 0, info: 0 };
      for (const diagnostic of diagnostics) {
        if (diagnostic.severity === 1) counts.error++;
        else if (diagnostic.severity === 2) counts.warning++;
        else counts.info++;
      }
      post({ type: 'file', uri, diagnostics, counts, failures: outcome.failures });
    } catch (cause) {
      // One file never ends the scan: it is logged by the server and the scan moves on.
      post({ type: 'file', uri, diagnostics: [], counts: { error: 0, warning: 0, info: 0 }, failures: [`${path}: ${String(cause)}`] });
    }
    analysed++;
  }
  const configFiles = new Set<string>();
  for (const { loader } of work) {
    for (const file of loader.loadedFiles()) if (file.problems.length > 0) configFiles.add(file.path);
  }
  for (const path of configFiles) post({ type: 'configProblems', path });
  post({ type: 'done', analysed, cancelled: isCancelled() });
}

function isScanOrder(value: unknown): value is ScanOrder {
  return typeof value === 'object' && value !== null && 'roots' in value && Array.isArray(value.roots) && 'cancel' in value && value.cancel instanceof SharedArrayBuffer;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const order: unknown = workerData;
  if (isScanOrder(order)) runScan(order, (message) => port.postMessage(message));
  else port.postMessage({ type: 'done', analysed: 0, cancelled: true } satisfies ScanMessage);
}
