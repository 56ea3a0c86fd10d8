import { basename } from 'node:path';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, DEFAULT_CONFIG, detectFileKind, keepFindingsWhileUnparsed, parseConfigText, RULE_IDS, skippedFinding, type SkipReason, type AnalyzeInput, type CachedOutcome, type EngineConfig, type Finding } from '../engine';
import { CONFIG_FILE_NAMES } from '../host/discovery';
import { StatusNotification, type ProblemCounts, type StatusParams } from '../protocol';
import type { ConfigurationHandler, DocumentConfig } from './configuration';
import { toDiagnostics } from './diagnostic-conversion';
import { SweptCache } from './swept-cache';
import { ShownFileCaches } from './shown-file-caches';
import type { WorkspaceModelHandler } from './workspace-model';
import type { KustomizeAnalysisOptions, KustomizeWorkspace } from './kustomize';
import { enginePath, pathToUri, URI_FILE_PREFIX, uriToPath } from './uris';

function isConfigFileUri(uri: string): boolean {
  return uri.startsWith(URI_FILE_PREFIX) && CONFIG_FILE_NAMES.includes(basename(uriToPath(uri)));
}

const SEVERITY_NAMES = ['error', 'warning', 'info'] as const;

/** LSP severities 1 (error), 2 (warning), 3 and 4 (information, hint), counted. */
function countBySeverity(diagnostics: readonly Diagnostic[]): ProblemCounts {
  const counts: ProblemCounts = { error: 0, warning: 0, info: 0 };
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity === 1) counts.error++;
    else if (diagnostic.severity === 2) counts.warning++;
    else counts.info++;
  }
  return counts;
}

/** A config file's own problems, as `config-error` diagnostics on it. */
function configFileDiagnostics(text: string, uri: string): Diagnostic[] {
  return toDiagnostics(parseConfigText(text, RULE_IDS).problems, uri);
}

/** What the engine is given besides the text, for a file under its resolved configuration. */
function engineInput(path: string, resolved: DocumentConfig, languageId?: string): AnalysedDocument['input'] {
  return {
    path,
    config: resolved.config,
    ...(languageId !== undefined ? { languageId } : {}),
    configRelativePath: resolved.relativePath,
    ...(resolved.configFile ? { configSource: resolved.configFile.path } : {}),
  };
}

/** The latest analysis of an open document: what hover and code actions read. */
export interface AnalysedDocument {
  uri: string;
  version: number;
  /** The text the findings' offsets point into. */
  text: string;
  findings: Finding[];
  /** What the analysis was given besides the text, to re-analyse fixed text the same way. */
  input: Omit<AnalyzeInput, 'text' | 'cache'>;
  /** The section results this analysis used: re-analysing fixed text re-parses only what a fix touched. */
  sections: ReadonlyMap<string, CachedOutcome>;
  /** How fixed text is analysed again, when not alone (a file of Kustomize builds is judged through them). */
  reanalyse?: (text: string) => readonly Finding[];
  /** The findings with the fixes a keystroke's analysis leaves out ("fix in overlay X"), for code actions. */
  withMoreFixes?: () => readonly Finding[];
}

interface DocumentState {
  /** Resolved configuration; undefined while it is being fetched or after it was invalidated. */
  config?: DocumentConfig;
  /** Bumped on every invalidation, so a fetch that raced one is not used. */
  configGeneration: number;
  /** The generation whose resolution is under way, so changes arriving meanwhile start no other. */
  resolving?: number;
  cache: SweptCache<CachedOutcome>;
  cacheConfig?: EngineConfig;
  analysed?: AnalysedDocument;
  /**
   * The analysed version's fixes are still to be worked out: a keystroke publishes its
   * diagnostics without them. `previous` is the analysis before it, whose findings in lines that do
   * not parse are kept the same way again.
   */
  pendingFixes?: { version: number; previous: AnalysedDocument | undefined; logged: ReadonlySet<string> };
}

/**
 * Analyses open documents on open and on every change, with no delay: the edit is applied by
 * the document store, the engine re-parses only the YAML section it touched (the per-document
 * section cache), and the result is published with the document's version. Analysis of one
 * version is synchronous, so a result can only be stale while the configuration is fetched;
 * then only the newest version is analysed and older ones are dropped.
 */
export class DiagnosticsHandler {
  private readonly states = new Map<string, DocumentState>();
  /** Diagnostics counts by URI and severity, for the status bar and the scan summary. */
  private readonly counts = new Map<string, ProblemCounts>();
  /** Reports shown as file-skipped (publishSkippedReports). */
  private skippedReports = new Set<string>();
  private skippedReportsKey = '[]';
  /** Files the workspace scan reported on: closing them restores their on-disk diagnostics. */
  private readonly scanned = new Set<string>();
  /** Closed shown files' section caches: their re-publishing reruns only what reads the workspace. */
  private readonly shownFileCaches = new ShownFileCaches();
  /** Config files whose problems were published (once each, until they change). */
  private readonly reportedConfigFiles = new Set<string>();
  private readonly total: ProblemCounts = { error: 0, warning: 0, info: 0 };
  /** What the status bar last showed, so a keystroke that changes nothing sends nothing. */
  private lastStatus = '';
  /** True while a batch of files is published: the status is sent once, after it. */
  private holdStatus = false;
  /** Documents waiting for their configuration (the first analysis after open or a settings change). */
  private resolving = 0;
  private scanStatus: Omit<StatusParams, 'counts' | 'files'> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly configuration: ConfigurationHandler,
    private readonly document: (uri: string) => TextDocument | undefined,
    private readonly openUris: () => readonly string[],
    private readonly workspace: WorkspaceModelHandler,
    private readonly kustomize: KustomizeWorkspace,
  ) {}

  /** On open and on every change. */
  onContent(document: TextDocument): void {
    const state = this.stateOf(document.uri);
    this.shownFileCaches.forget(document.uri);
    const path = document.uri.startsWith(URI_FILE_PREFIX) && !isConfigFileUri(document.uri) ? uriToPath(document.uri) : undefined;
    if (path !== undefined && state.config && detectFileKind(path)?.kind === 'dockerfile') {
      // A Dockerfile's facts (its stages' users, for the manifests that run what it builds) are
      // read by Kubernetes rules, never by a Dockerfile's: its diagnostics come first.
      this.analyseNow(document, state, state.config);
      const { uri, version } = document;
      setImmediate(() => {
        if (this.document(uri)?.version === version) this.refreshDependents(this.workspace.documentChanged(path, document.getText()));
      });
      return;
    }
    // The document's own facts first: its analysis may read them (a Namespace beside its workloads).
    const dependents = path === undefined ? undefined : this.workspace.documentChanged(path, document.getText());
    if (state.config) this.analyseNow(document, state, state.config);
    else void this.resolveThenAnalyse(document.uri, state);
    if (dependents) this.refreshDependents(dependents);
  }

  onClose(uri: string): void {
    const state = this.states.get(uri);
    this.states.delete(uri);
    if (isConfigFileUri(uri)) {
      this.onConfigFileChanged(uriToPath(uri));
      return;
    }
    if (uri.startsWith(URI_FILE_PREFIX)) {
      const maxFileSize = state?.config?.config.maxFileSize ?? DEFAULT_CONFIG.maxFileSize;
      this.refreshDependents(this.workspace.documentClosed(uriToPath(uri), maxFileSize));
    }
    if (!this.scanned.has(uri) || !uri.startsWith(URI_FILE_PREFIX)) {
      this.publish(uri, undefined, []);
      return;
    }
    void this.analyseFromDisk(uri);
  }

  /** The analysis of the document's current version, fixes included (waiting for its configuration if needed). */
  async current(uri: string): Promise<AnalysedDocument | undefined> {
    const document = this.document(uri);
    if (!document) return undefined;
    const state = this.stateOf(uri);
    if (state.analysed?.version !== document.version) {
      const config = state.config ?? (await this.configuration.resolve(uri));
      const latest = this.document(uri);
      if (!latest) return undefined;
      state.config ??= config;
      this.analyseNow(latest, state, config);
    }
    this.completeFixes(uri, state);
    return state.analysed;
  }

  /** Settings, trust or a config file changed: re-resolve and re-analyse every open document. */
  refreshAll(): void {
    for (const uri of this.openUris()) {
      const state = this.stateOf(uri);
      delete state.config;
      state.configGeneration++;
      void this.resolveThenAnalyse(uri, state);
    }
  }

  /**
   * Other files' facts changed under these files: re-analyse the open ones with fresh caches (their
   * cached sections read the old facts) and the closed ones whose findings are shown (workspace scan).
   */
  refreshDependents(paths: Iterable<string>): void {
    const closed: string[] = [];
    for (const path of paths) {
      const uri = pathToUri(path);
      const document = this.document(uri);
      const state = this.states.get(uri);
      if (document && state?.config) {
        state.cache = new SweptCache<CachedOutcome>();
        delete state.analysed;
        this.analyseNow(document, state, state.config);
      } else if (!document && this.scanned.has(uri)) {
        closed.push(uri);
      }
    }
    if (closed.length > 0) void this.republishClosed(closed);
  }

  /**
   * Closed files re-published together (a keystroke in a Namespace can concern hundreds): their
   * configurations first, then each read and analysed in one go, so that the last is published
   * as soon as the work allows rather than after hundreds of interleaved reads.
   */
  private async republishClosed(uris: readonly string[]): Promise<void> {
    const resolved = await Promise.all(uris.map((uri) => this.configuration.resolve(uri).catch(() => undefined)));
    // One status bar update for the batch, not one per file.
    this.holdStatus = true;
    try {
      uris.forEach((uri, index) => {
        const config = resolved[index];
        if (config) this.analyseClosed(uri, config);
      });
    } finally {
      this.holdStatus = false;
    }
    this.sendStatus();
  }

  /**
   * Vulnerability reports that cannot be used, each with a file-skipped diagnostic saying why;
   * reports that became usable again lose theirs.
   */
  publishSkippedReports(skipped: ReadonlyMap<string, SkipReason>): void {
    const key = JSON.stringify([...skipped]);
    if (key === this.skippedReportsKey) return;
    this.skippedReportsKey = key;
    for (const path of this.skippedReports) if (!skipped.has(path)) this.publish(pathToUri(path), undefined, []);
    for (const [path, reason] of skipped) {
      const uri = pathToUri(path);
      this.publish(uri, undefined, toDiagnostics([skippedFinding(reason)], uri));
    }
    this.skippedReports = new Set(skipped.keys());
  }

  /** A config file changed on disk (or appeared, or went away): show its own problems again. */
  onConfigFileChanged(path: string): void {
    this.reportedConfigFiles.delete(path);
    this.publishConfigFileProblems(path);
  }

  /** A file the workspace scan analysed: shown unless the editor has it open (live results win). */
  publishScanned(uri: string, diagnostics: Diagnostic[]): void {
    this.scanned.add(uri);
    if (this.document(uri)) return;
    this.publish(uri, undefined, diagnostics);
  }

  /** Scan progress for the status bar (undefined when the scan ends). */
  setScanStatus(status: Omit<StatusParams, 'counts' | 'files'> | undefined): void {
    this.scanStatus = status;
    this.sendStatus();
  }

  private stateOf(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) {
      state = { configGeneration: 0, cache: new SweptCache<CachedOutcome>() };
      this.states.set(uri, state);
    }
    return state;
  }

  private async resolveThenAnalyse(uri: string, state: DocumentState): Promise<void> {
    const generation = state.configGeneration;
    if (state.resolving === generation) return;
    state.resolving = generation;
    this.resolving++;
    this.sendStatus();
    let config: DocumentConfig;
    try {
      config = await this.configuration.resolve(uri);
    } catch (cause) {
      this.connection.console.error(`Shipshape: reading the configuration for ${uri} failed: ${String(cause)}`);
      this.resolving--;
      this.sendStatus();
      return;
    } finally {
      if (state.resolving === generation) delete state.resolving;
    }
    this.resolving--;
    // Closed, re-opened or invalidated meanwhile: a newer resolution is under way.
    if (this.states.get(uri) !== state || state.configGeneration !== generation) {
      this.sendStatus();
      return;
    }
    state.config = config;
    const configFile = config.configFile;
    if (configFile && !this.reportedConfigFiles.has(configFile.path)) {
      const problems = configFile.problems.length;
      this.connection.console.info(
        `Config file in effect: ${configFile.path} (profile ${config.config.profile}${problems > 0 ? `; ${problems} problems, shown on the file` : ''}).`,
      );
      this.publishConfigFileProblems(configFile.path);
    }
    const document = this.document(uri);
    if (document) this.analyseNow(document, state, config);
    this.sendStatus();
  }

  /** Problems of a config file on it; an open config file shows those of its live text instead. */
  private publishConfigFileProblems(path: string): void {
    this.reportedConfigFiles.add(path);
    const uri = pathToUri(path);
    if (this.document(uri)) return;
    const file = this.configuration.readConfigFile(path);
    this.publish(uri, undefined, file ? configFileDiagnostics(file.text, uri) : []);
  }

  private analyseNow(document: TextDocument, state: DocumentState, resolved: DocumentConfig): void {
    const { uri, version } = document;
    if (state.analysed?.version === version && state.cacheConfig === resolved.config) return;
    if (isConfigFileUri(uri)) {
      this.publish(uri, version, configFileDiagnostics(document.getText(), uri));
      return;
    }
    if (!resolved.enabled || resolved.excluded) {
      delete state.analysed;
      this.publish(uri, version, []);
      return;
    }
    if (state.cacheConfig !== resolved.config) {
      // Findings depend on the configuration: results cached under another one are stale.
      state.cache = new SweptCache<CachedOutcome>();
      state.cacheConfig = resolved.config;
    }
    delete state.pendingFixes;
    const text = document.getText();
    const path = enginePath(uri);
    // An open document is being edited: a line that does not parse must not wipe its findings.
    const input = { ...engineInput(path, resolved, document.languageId), recover: true };
    if (uri.startsWith(URI_FILE_PREFIX) && this.analyseWithKustomize(document, state, path, input)) return;
    const workspace = this.workspace.model.view();
    const previous = state.analysed?.input.config === resolved.config ? state.analysed : undefined;
    // A keystroke's diagnostics go out without fixes, which only requests read (`current`); a
    // document's first analysis (opened, new settings) works them out, as a request often follows.
    const withFixes = previous === undefined;
    const result = analyze({ ...input, text, cache: state.cache, workspace, withFixes });
    // Kustomize reads too: a kustomization that comes to include this file re-publishes it.
    if (uri.startsWith(URI_FILE_PREFIX)) this.workspace.model.recordReads(path, [...workspace.reads, ...this.workspace.model.kustomizeReads(path)]);
    state.cache.sweep();
    for (const failure of result.failures) this.connection.console.error(`Shipshape: ${failure}`);
    const findings = previous ? keepFindingsWhileUnparsed(previous, { text, findings: result.findings }, result.unparsed) : result.findings;
    state.analysed = {
      uri,
      version,
      text,
      findings,
      input,
      sections: state.cache,
    };
    if (!withFixes) state.pendingFixes = { version, previous, logged: new Set(result.failures) };
    this.publish(uri, version, toDiagnostics(findings, uri));
  }

  /**
   * The fixes of the analysed version, worked out when a request first needs them (code actions,
   * fix-all, hover), not at every keystroke: the rules run again, with fixes, on the sections the
   * keystroke's analysis ran them on (the others come from the cache with theirs). The findings
   * are the same, so nothing is published.
   */
  private completeFixes(uri: string, state: DocumentState): void {
    const pending = state.pendingFixes;
    const analysed = state.analysed;
    if (!pending || this.states.get(uri) !== state) return;
    delete state.pendingFixes;
    if (analysed?.version !== pending.version) return;
    // No sweep: what this pass reads of the cache through the parse the keystroke's analysis left
    // (chunks, RUN scripts) it does not ask the cache for again, and the next keystroke needs them.
    const result = analyze({ ...analysed.input, text: analysed.text, cache: state.cache, workspace: this.workspace.model.view() });
    // The rules' failures were logged with the diagnostics: only one of working out a fix is new.
    for (const failure of result.failures) if (!pending.logged.has(failure)) this.connection.console.error(`Shipshape: ${failure}`);
    const findings = pending.previous ? keepFindingsWhileUnparsed(pending.previous, { text: analysed.text, findings: result.findings }, result.unparsed) : result.findings;
    state.analysed = { ...analysed, findings };
  }

  /**
   * A file Kustomize builds read is judged through them, and its change re-publishes every other
   * file of those builds that the editor shows (from the same builds, not one rebuild each); one
   * that is only a patch is never judged alone. False: the file is analysed alone. A change to
   * what kustomizations include reaches the files it concerns through the model's dependents.
   */
  private analyseWithKustomize(document: TextDocument, state: DocumentState, path: string, input: AnalysedDocument['input']): boolean {
    const text = document.getText();
    const model = this.workspace.model;
    if (this.kustomize.isPatchOnly(path)) {
      model.recordReads(path, model.kustomizeReads(path));
      state.analysed = { uri: document.uri, version: document.version, text, findings: [], input, sections: state.cache };
      this.publish(document.uri, document.version, []);
      return true;
    }
    if (this.kustomize.buildsOf(path).length === 0) return false;
    // Only what the editor shows is worked out: open documents and files the workspace scan published.
    const shown = (file: string): boolean => file === path || this.document(pathToUri(file)) !== undefined || this.scanned.has(pathToUri(file));
    const sectionCacheFor = (file: string): SweptCache<CachedOutcome> | undefined => (file === path ? state.cache : undefined);
    const { result, reads } = this.kustomize.analyse(path, input.config, { reportFor: shown, sectionCacheFor, overlayFixes: false });
    state.cache.sweep();
    for (const failure of result.failures) this.connection.console.error(`Shipshape: ${failure}`);
    const only = (file: string) => (candidate: string): boolean => candidate === file;
    const findingsOf = (file: string, options: KustomizeAnalysisOptions): readonly Finding[] => this.kustomize.analyse(file, input.config, { ...options, reportFor: only(file) }).result.files.get(file)?.findings ?? [];
    const publishFile = (file: string, findings: Finding[]): void => {
      const uri = pathToUri(file);
      model.recordReads(file, [...reads, ...model.kustomizeReads(file)]);
      const open = file === path ? document : this.document(uri);
      if (!open) {
        if (this.scanned.has(uri)) this.publish(uri, undefined, toDiagnostics(findings, uri));
        return;
      }
      const openState = file === path ? state : this.stateOf(uri);
      openState.analysed = {
        uri,
        version: open.version,
        text: open.getText(),
        findings,
        input: file === path ? input : { ...input, path: file },
        sections: openState.cache,
        reanalyse: (fixed) => findingsOf(file, { text: fixed }),
        withMoreFixes: () => findingsOf(file, {}),
      };
      this.publish(uri, open.version, toDiagnostics(findings, uri));
    };
    for (const [file, analysis] of result.files) publishFile(file, analysis.findings);
    if (!result.files.has(path)) publishFile(path, []);
    return true;
  }

  /** A closed file the workspace scan showed, judged through its builds; false when it is in none. */
  private publishFromBuilds(uri: string, path: string, resolved: DocumentConfig): boolean {
    if (this.kustomize.isPatchOnly(path)) {
      this.publish(uri, undefined, []);
      return true;
    }
    if (this.kustomize.buildsOf(path).length === 0) return false;
    const { result, reads } = this.kustomize.analyse(path, resolved.config, { reportFor: (file) => file === path, overlayFixes: false });
    this.workspace.model.recordReads(path, [...reads, ...this.workspace.model.kustomizeReads(path)]);
    this.publish(uri, undefined, toDiagnostics(result.files.get(path)?.findings ?? [], uri));
    return true;
  }

  private async analyseFromDisk(uri: string): Promise<void> {
    let resolved: DocumentConfig;
    try {
      resolved = await this.configuration.resolve(uri);
    } catch {
      return; // the connection is going away
    }
    this.analyseClosed(uri, resolved);
  }

  /** A closed file the editor shows: its text on disk analysed and published, or nothing when it is gone. */
  private analyseClosed(uri: string, resolved: DocumentConfig): void {
    if (this.document(uri)) return; // re-opened meanwhile: the live analysis owns it
    if (!resolved.enabled || resolved.excluded) {
      this.publish(uri, undefined, []);
      return;
    }
    const path = uriToPath(uri);
    // Read synchronously: closed files come in batches, and each read is small (bounded by maxFileSize).
    const source = this.shownFileCaches.textOf(uri, path, resolved.config.maxFileSize);
    if ('skipped' in source) {
      if (source.skipped.messageId === 'unreadable') {
        // Deleted or unreadable since the scan: nothing to show for it any more.
        this.scanned.delete(uri);
        this.shownFileCaches.forget(uri);
        this.publish(uri, undefined, []);
      } else {
        this.publish(uri, undefined, toDiagnostics([skippedFinding(source.skipped)], uri));
      }
      return;
    }
    if (this.publishFromBuilds(uri, path, resolved)) return;
    const workspace = this.workspace.model.view();
    // A closed file is only shown: no code action reads its fixes.
    const cache = this.shownFileCaches.cacheFor(uri, resolved.config);
    const result = analyze({ ...engineInput(path, resolved), text: source.text, workspace, withFixes: false, cache });
    cache.sweep();
    this.workspace.model.recordReads(path, workspace.reads);
    this.publish(uri, undefined, toDiagnostics(result.findings, uri));
  }


  /** Every diagnostic published, by severity, and the number of files that have any. */
  problems(): { counts: ProblemCounts; files: number } {
    return { counts: { ...this.total }, files: this.counts.size };
  }

  private publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    void this.connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
    const before = this.counts.get(uri);
    const after = countBySeverity(diagnostics);
    for (const severity of SEVERITY_NAMES) this.total[severity] += after[severity] - (before?.[severity] ?? 0);
    if (diagnostics.length === 0) this.counts.delete(uri);
    else this.counts.set(uri, after);
    this.sendStatus();
  }

  private sendStatus(): void {
    if (this.holdStatus) return;
    const problems = { counts: { ...this.total }, files: this.counts.size };
    const status: StatusParams = this.scanStatus ? { ...this.scanStatus, ...problems } : { state: this.resolving > 0 ? 'analysing' : 'idle', ...problems };
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(StatusNotification.method, status);
  }
}
