import type { CancellationToken, Connection, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { ScanWorkspaceParams, ScanWorkspaceResult } from '../protocol';
import { editorSettingsLayer } from '../engine';
import { ConfigLoader } from '../host/config-loader';
import { discoverFiles } from '../host/discovery';
import { scanFiles, SERVER_POOL } from '../host/pool';
import { scanJob, type ScanJob, type ScanOutcome } from '../host/scan-file';
import { scanKustomize } from '../host/kustomize';
import type { ConfigurationHandler } from './configuration';
import type { DiagnosticsHandler } from './diagnostics';
import { toDiagnostics } from './diagnostic-conversion';
import { pathToUri } from './uris';
import type { WorkspaceModelHandler } from './workspace-model';

/** Progress is reported at most this often: 10,000 files must not mean 10,000 messages. */
const PROGRESS_INTERVAL_MS = 100;

interface RunningScan {
  cancel(): void;
}

/**
 * `shipshape/scanWorkspace`: every Kubernetes YAML and Dockerfile under the workspace folders,
 * found with the same discovery and excludes as the CLI and analysed by the host's worker pool
 * (never on this thread, which keeps answering requests), with `$/progress` (files done /
 * total) and cancellation (the request's own, or the progress UI's). Diagnostics of files the
 * editor does not have open are published as they arrive.
 */
export class WorkspaceScanHandler {
  private running: RunningScan | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly configuration: ConfigurationHandler,
    private readonly diagnostics: DiagnosticsHandler,
    private readonly workspace: WorkspaceModelHandler,
    private readonly canCreateProgress: boolean,
  ) {}

  async scan(params: ScanWorkspaceParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
    this.running?.cancel(); // a new scan supersedes the old one
    const started = Date.now();
    const progress = await this.progressFor(params);
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
    let cancelled = false;
    const scan: RunningScan = {
      cancel: () => {
        cancelled = true;
      },
    };
    this.running = scan;
    const subscriptions = [token.onCancellationRequested(scan.cancel), progress.token?.onCancellationRequested(scan.cancel)];
    try {
      const { jobs: found, loaders, folders } = await this.findJobs(() => cancelled);
      result.files = found.length;
      let done = 0;
      let lastReport = 0;
      const report = (force: boolean): void => {
        const now = Date.now();
        if (!force && now - lastReport < PROGRESS_INTERVAL_MS) return;
        lastReport = now;
        const percentage = result.files === 0 ? 100 : Math.floor((done / result.files) * 100);
        progress.reporter.report(percentage, `${done}/${result.files} files`);
        this.diagnostics.setScanStatus({ state: 'scanning', done, total: result.files });
      };
      report(true);
      const model = this.workspace.model;
      const record = (path: string, outcome: ScanOutcome): void => {
        done++;
        const uri = pathToUri(path);
        // Kustomize reads too: a kustomization that comes to include the file re-publishes it.
        model.recordReads(path, [...(outcome.workspaceReads ?? []), ...model.kustomizeReads(path)]);
        for (const failure of outcome.failures) this.connection.console.error(`Shipshape: ${failure}`);
        if (outcome.failures.length > 0) result.failures++;
        this.diagnostics.publishScanned(uri, toDiagnostics(outcome.findings, uri));
        report(done === result.files);
      };
      // Files Kustomize builds read are reported from the builds (README, "Kustomize"), the rest alone.
      const built = new Set<string>();
      for (const folder of folders) {
        if (cancelled) break;
        const { outcomes, failures } = scanKustomize(model, folder.loader, { today: new Date(), displayPath: (path) => path, reported: new Set(folder.paths) });
        for (const failure of failures) this.connection.console.error(`Shipshape: ${failure}`);
        for (const [path, outcome] of outcomes) {
          built.add(path);
          record(path, outcome);
        }
      }
      const jobs = found.filter((job) => !built.has(job.path));
      await scanFiles(jobs, {
        ...SERVER_POOL,
        workspace: model,
        isCancelled: () => cancelled,
        onResult: (index, outcome) => {
          const job = jobs[index];
          if (job) record(job.path, outcome);
        },
      });
      result.analysed = done;
      result.cancelled = cancelled;
      const configFiles = loaders.flatMap((loader) => loader.loadedFiles());
      for (const file of configFiles) if (file.problems.length > 0) this.diagnostics.onConfigFileChanged(file.path);
      this.connection.console.info(
        configFiles.length > 0
          ? `Config files in effect: ${configFiles.map((file) => `${file.path}${file.problems.length > 0 ? ` (${file.problems.length} problems)` : ''}`).join(', ')}.`
          : 'No .shipshape.yaml in the workspace: the editor settings and the defaults apply.',
      );
    } catch (cause) {
      this.connection.console.error(`Shipshape: the workspace scan failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    } finally {
      for (const subscription of subscriptions) subscription?.dispose();
      if (this.running === scan) this.running = undefined;
      progress.reporter.done();
      this.diagnostics.setScanStatus(undefined);
    }
    // The summary counts what the Problems view shows: open documents' live results and the
    // config files' own errors too, not only what the scanned files gave.
    const problems = this.diagnostics.problems();
    result.findings = problems.counts;
    result.filesWithFindings = problems.files;
    result.durationMs = Date.now() - started;
    const { error, warning, info } = result.findings;
    this.connection.console.info(
      `Scan ${result.cancelled ? 'cancelled after' : 'done:'} ${result.analysed} of ${result.files} files in ${result.durationMs} ms; ` +
        `${error} errors, ${warning} warnings, ${info} infos in ${result.filesWithFindings} files${result.failures > 0 ? `; ${result.failures} files failed` : ''}.`,
    );
    return result;
  }

  /** Discovery per enabled workspace folder, under that folder's settings and config files. */
  private async findJobs(isCancelled: () => boolean): Promise<{ jobs: ScanJob[]; loaders: ConfigLoader[]; folders: Array<{ loader: ConfigLoader; paths: string[] }> }> {
    const jobs: ScanJob[] = [];
    const loaders: ConfigLoader[] = [];
    const folders: Array<{ loader: ConfigLoader; paths: string[] }> = [];
    const today = new Date().toISOString();
    for (const root of this.configuration.workspaceRoots) {
      const settings = await this.configuration.settingsFor(pathToUri(root));
      if (!settings.enable || isCancelled()) continue;
      const loader = new ConfigLoader({ roots: [root], below: [editorSettingsLayer(settings)], useConfigFiles: this.configuration.isTrusted });
      loaders.push(loader);
      const isExcluded = (path: string, isDirectory: boolean): boolean => loader.isExcluded(path, isDirectory);
      // Listed vulnerability reports are read for their findings, never analysed as manifests.
      const paths = discoverFiles([root], { isExcluded }).filter((path) => !this.workspace.isReport(path));
      folders.push({ loader, paths });
      for (const path of paths) jobs.push(scanJob(path, path, loader.configFor(path), today));
    }
    return { jobs, loaders, folders };
  }

  private async progressFor(params: ScanWorkspaceParams): Promise<{ reporter: WorkDoneProgressReporter; token?: CancellationToken }> {
    if (params.workDoneToken !== undefined) return { reporter: this.connection.window.attachWorkDoneProgress(params.workDoneToken) };
    if (!this.canCreateProgress) return { reporter: this.connection.window.attachWorkDoneProgress(undefined) };
    const created = await this.connection.window.createWorkDoneProgress();
    return { reporter: created, token: created.token };
  }
}
