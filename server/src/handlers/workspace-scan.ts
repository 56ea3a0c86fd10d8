import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CancellationToken, Connection, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { ScanWorkspaceParams, ScanWorkspaceResult } from '../protocol';
import type { ScanMessage, ScanOrder, ScanRoot } from '../workspace/scan-worker';
import { settingsLayer, type ConfigurationHandler } from './configuration';
import type { DiagnosticsHandler } from './diagnostics';
import { pathToUri } from './uris';

/** Progress is reported at most this often: 10,000 files must not mean 10,000 messages. */
const PROGRESS_INTERVAL_MS = 100;

interface RunningScan {
  cancel(): void;
}

/**
 * `shipshape/scanWorkspace`: every Kubernetes YAML and Dockerfile under the workspace folders,
 * analysed in a worker thread, with `$/progress` (files done / total) and cancellation (the
 * request's own, or the progress UI's). Diagnostics of files the editor does not have open are
 * published as they arrive.
 */
export class WorkspaceScanHandler {
  private running: RunningScan | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly configuration: ConfigurationHandler,
    private readonly diagnostics: DiagnosticsHandler,
    private readonly canCreateProgress: boolean,
  ) {}

  async scan(params: ScanWorkspaceParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
    this.running?.cancel(); // a new scan supersedes the old one
    const started = Date.now();
    const progress = await this.progressFor(params);
    const roots: ScanRoot[] = [];
    for (const path of this.configuration.workspaceRoots) {
      const settings = await this.configuration.settingsFor(pathToUri(path));
      if (settings.enable) roots.push({ path, settings: settingsLayer(settings) });
    }
    const result: ScanWorkspaceResult = {
      files: 0,
      analysed: 0,
      findings: { error: 0, warning: 0, info: 0 },
      filesWithFindings: 0,
      failures: 0,
      cancelled: false,
      durationMs: 0,
    };
    progress.reporter.begin('Shipshape: scanning the workspace', 0, 'Finding files…', true);
    this.diagnostics.setScanStatus({ state: 'scanning', done: 0, total: 0 });
    const cancelFlag = new SharedArrayBuffer(4);
    const cancel = (): void => {
      Atomics.store(new Int32Array(cancelFlag), 0, 1);
    };
    const scan: RunningScan = { cancel };
    this.running = scan;
    const subscriptions = [token.onCancellationRequested(cancel), progress.token?.onCancellationRequested(cancel)];
    try {
      const order: ScanOrder = { roots, useConfigFiles: this.configuration.isTrusted, cancel: cancelFlag, today: new Date().toISOString() };
      const outcome = await this.runWorker(order, result, progress.reporter);
      result.analysed = outcome.analysed;
      result.cancelled = outcome.cancelled;
    } finally {
      for (const subscription of subscriptions) subscription?.dispose();
      if (this.running === scan) this.running = undefined;
      progress.reporter.done();
      this.diagnostics.setScanStatus(undefined);
    }
    result.durationMs = Date.now() - started;
    return result;
  }

  private async progressFor(params: ScanWorkspaceParams): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
    if (params.workDoneToken !== undefined) return { reporter: this.connection.window.attachWorkDoneProgress(params.workDoneToken) };
    if (!this.canCreateProgress) return { reporter: this.connection.window.attachWorkDoneProgress(undefined) };
    const created = await this.connection.window.createWorkDoneProgress();
    return { reporter: created, token: created.token };
  }

  private runWorker(order: ScanOrder, result: ScanWorkspaceResult, reporter: WorkDoneProgressReporter): Promise<{ analysed: number; cancelled: boolean }> {
    return new Promise((resolve) => {
      const worker = new Worker(join(__dirname, 'scan-worker.js'), { workerData: order });
      let done = 0;
      let lastReport = 0;
      let finished = false;
      const finish = (outcome: { analysed: number; cancelled: boolean }): void => {
        if (finished) return;
        finished = true;
        void worker.terminate();
        resolve(outcome);
      };
      const report = (force: boolean): void => {
        const now = Date.now();
        if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        const percentage = result.files === 0 ? 100 : Math.floor((done / result.files) * 100);
        reporter.report(percentage, `${done}/${result.files} files`);
        this.diagnostics.setScanStatus({ state: 'scanning', done, total: result.files });
      };
      worker.on('message', (message: ScanMessage) => {
        switch (message.type) {
          case 'found':
            result.files = message.total;
            report(true);
            break;
          case 'file':
            done++;
            for (const failure of message.failures) this.connection.console.error(`Shipshape: ${failure}`);
            if (message.failures.length > 0) result.failures++;
            if (message.diagnostics.length > 0) result.filesWithFindings++;
            result.findings.error += message.counts.error;
            result.findings.warning += message.counts.warning;
            result.findings.info += message.counts.info;
            this.diagnostics.publishScanned(message.uri, message.diagnostics);
            report(done === result.files);
            break;
          case 'configProblems':
            this.diagnostics.onConfigFileChanged(message.path);
            break;
          case 'done':
            finish(message);
            break;
        }
      });
      worker.on('error', (cause) => {
        this.connection.console.error(`Shipshape: the workspace scan failed: ${cause.stack ?? cause.message}`);
        finish({ analysed: done, cancelled: false });
      });
      worker.on('exit', () => finish({ analysed: done, cancelled: Atomics.load(new Int32Array(order.cancel), 0) !== 0 }));
    });
  }
}
