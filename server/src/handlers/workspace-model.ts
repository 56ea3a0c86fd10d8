import { statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { extractFacts, extractReportFacts, extractUpdaterFacts, WorkspaceModel, type SkipReason, type WorkspaceFact } from '../engine';
import { ConfigLoader, type ConfigFile } from '../host/config-loader';
import { readUpdaterConfig, readUpdaterConfigs, readVulnerabilityReports, repositoryRoots, updaterConfigPaths, workspaceFiles } from '../host/workspace-feed';
import { readSourceFile } from '../host/source-files';
import { ReportCache } from '../host/vulnerability-reports';
import type { ConfigurationHandler } from './configuration';
import { SweptCache } from './swept-cache';

/** Files read per turn of the event loop while the model loads: requests are answered in between. */
const FILES_PER_TURN = 50;

/**
 * The language server's workspace model: every file of the workspace folders contributes facts
 * (Namespaces, service accounts, bindings, images built here, Dockerfile users, signature
 * policies) for the cross-file rules, and so do the updater configurations at the folders'
 * repository roots and the vulnerability reports their config files list. Open documents
 * contribute their live text, other files what is on disk. Each change answers with the files
 * whose findings may change, for the diagnostics handler to re-publish.
 */
export class WorkspaceModelHandler {
  readonly model = new WorkspaceModel();
  /** Open documents' facts by section, so a keystroke re-reads only the section it touched. */
  private readonly caches = new Map<string, SweptCache<readonly WorkspaceFact[]>>();
  private readonly open = new Set<string>();
  private loads = 0;
  /** Updater configuration files (existing or not) at the repository roots: path → root and name. */
  private updaterConfigs = new Map<string, { root: string; name: string }>();
  private repositories: string[] = [];
  /** Config files that list reports, and the reports they list (read again only when they change). */
  private reportConfigs: ConfigFile[] = [];
  private reportPaths = new Set<string>();
  private readonly reportCache = new ReportCache();
  /** Reports that cannot be used, with the reason: shown as file-skipped on the report. */
  skippedReports = new Map<string, SkipReason>();

  constructor(private readonly configuration: ConfigurationHandler) {}

  /**
   * Reads the facts of every file under the workspace folders (discovery and excludes of the
   * config files; editor settings are not asked for: a Namespace in an excluded folder still
   * enforces), a batch per turn. Open documents keep their live facts. Returns the files whose
   * findings may have changed meanwhile.
   */
  async load(): Promise<Set<string>> {
    const load = ++this.loads;
    const dependents = new Set<string>();
    const reportConfigs: ConfigFile[] = [];
    for (const root of this.configuration.workspaceRoots) {
      const loader = new ConfigLoader({ roots: [root], useConfigFiles: this.configuration.isTrusted });
      const paths = [...workspaceFiles([root], loader), ...loader.loadedFiles().map((file) => file.path)];
      for (let start = 0; start < paths.length; start += FILES_PER_TURN) {
        // A newer load (folders changed, trust granted) supersedes this one.
        if (load !== this.loads) return dependents;
        for (const path of paths.slice(start, start + FILES_PER_TURN)) {
          if (this.open.has(path) || this.reportPaths.has(path)) continue;
          for (const dependent of this.readFromDisk(path, loader.configFor(path).config.maxFileSize)) dependents.add(dependent);
        }
        await nextTurn();
      }
      reportConfigs.push(...loader.loadedFiles().filter((file) => (file.layer.vulnerabilityReports ?? []).length > 0));
    }
    if (load !== this.loads) return dependents;
    const repositories = repositoryRoots(this.configuration.workspaceRoots);
    const updaterConfigs = updaterConfigPaths(repositories);
    // Roots no longer in the workspace contribute nothing.
    for (const path of [...this.repositories.filter((root) => !repositories.includes(root)), ...[...this.updaterConfigs.keys()].filter((path) => !updaterConfigs.has(path))]) {
      for (const dependent of this.model.removeFile(path)) dependents.add(dependent);
    }
    this.repositories = repositories;
    this.updaterConfigs = updaterConfigs;
    for (const dependent of readUpdaterConfigs(repositories, this.model)) dependents.add(dependent);
    this.reportConfigs = reportConfigs;
    for (const dependent of this.refreshReports()) dependents.add(dependent);
    return dependents;
  }

  /**
   * Finds the reports the config files list again and reads the new or changed ones (a report that
   * is no longer listed contributes nothing); returns the files whose findings may change.
   */
  refreshReports(): Set<string> {
    const before = this.reportPaths;
    const read = readVulnerabilityReports(this.reportConfigs, this.model, this.reportCache);
    for (const notice of read.notices) this.onNotice?.(notice);
    const dependents = read.dependents;
    for (const path of before) if (!read.paths.has(path)) for (const file of this.model.removeFile(path)) dependents.add(file);
    this.reportPaths = read.paths;
    this.skippedReports = new Map(read.skipped.map(({ path, reason }) => [path, reason]));
    return dependents;
  }

  /** Where notices about the report globs go (the server's log). */
  onNotice: ((notice: string) => void) | undefined;

  /** Whether the file is a listed vulnerability report: read for its facts, never analysed as a manifest. */
  isReport(path: string): boolean {
    return this.reportPaths.has(path);
  }

  /** An open document's text: its facts now. Returns the other files whose findings may change. */
  documentChanged(path: string, text: string): Set<string> {
    this.open.add(path);
    let cache = this.caches.get(path);
    if (!cache) {
      cache = new SweptCache();
      this.caches.set(path, cache);
    }
    const facts = this.factsOf(path, text) ?? extractFacts(path, text, cache);
    cache.sweep();
    return this.model.setFacts(path, facts);
  }

  /** The facts of a report or updater configuration from its text; undefined for other files. */
  private factsOf(path: string, text: string): WorkspaceFact[] | undefined {
    const updater = this.updaterConfigs.get(path);
    if (updater) return extractUpdaterFacts(path, updater.root, updater.name, text);
    if (!this.reportPaths.has(path)) return undefined;
    const read = extractReportFacts(path, text, modifiedTime(path));
    if ('skipped' in read) this.skippedReports.set(path, read.skipped);
    else this.skippedReports.delete(path);
    return 'facts' in read ? read.facts : [];
  }

  /** Closed without saving or after it: what is on disk counts again. */
  documentClosed(path: string, maxFileSize: number): Set<string> {
    this.open.delete(path);
    this.caches.delete(path);
    return this.readFromDisk(path, maxFileSize);
  }

  /** A watched file changed, appeared or went away on disk; open documents keep their live text. */
  fileChangedOnDisk(path: string, deleted: boolean, maxFileSize: number): Set<string> {
    if (this.open.has(path)) return new Set();
    const updater = this.updaterConfigs.get(path);
    if (updater) return this.model.setFacts(path, readUpdaterConfig(path, updater.root, updater.name));
    // A report that changed, appeared or went away: the globs are matched again (cheap: they name a folder).
    if (this.reportPaths.has(path) || (this.reportConfigs.length > 0 && REPORT_NAME.test(path))) return this.refreshReports();
    if (deleted) return this.model.removeFile(path);
    return this.readFromDisk(path, maxFileSize);
  }


  private readFromDisk(path: string, maxFileSize: number): Set<string> {
    const source = readSourceFile(path, maxFileSize);
    return 'text' in source ? this.model.setFacts(path, extractFacts(path, source.text)) : this.model.removeFile(path);
  }
}

/** Report files by name: JSON and SARIF. */
const REPORT_NAME = /\.(?:json|sarif)$/i;

function modifiedTime(path: string): Date | undefined {
  try {
    return statSync(path).mtime;
  } catch {
    return undefined;
  }
}
