/**
 * Kustomize for both shells: gathers the texts every build of the workspace reads (the engine
 * reads no file), has the engine build and judge them, and turns the result into one outcome per
 * file the builds read. `--fix` applies each file's own fixes in passes, rebuilding in between.
 */
import { analyzeKustomizeBuilds, fixInPasses, type AnalysisResult, type Finding, type KustomizeBuildsResult, type WorkspaceModel } from '../engine';
import type { ConfigLoader } from './config-loader';
import { fingerprintsOf, type FileFixes, type FixOrder, type ScanOutcome } from './scan-file';
import { readSourceFile, writeSourceFileIfUnchanged } from './source-files';

/** Texts of the files the builds read; `override` gives an editor's unsaved texts first. */
export function readKustomizeFiles(model: WorkspaceModel, builds: readonly string[], maxFileSize: (path: string) => number, override?: (path: string) => string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  for (const build of builds) {
    for (const path of model.kustomizeFiles(build)) {
      if (files.has(path)) continue;
      const open = override?.(path);
      if (open !== undefined) {
        files.set(path, open);
        continue;
      }
      const source = readSourceFile(path, maxFileSize(path));
      if ('text' in source) files.set(path, source.text);
    }
  }
  return files;
}

export interface KustomizeScanOptions {
  today: Date;
  displayPath: (path: string) => string;
  /** Only these files are reported (and fixed); the builds still read every file they include. */
  reported: ReadonlySet<string>;
  fix?: FixOrder;
}

/** Builds and judges the given builds; settings per file come from the config loader. */
export function analyzeKustomize(model: WorkspaceModel, builds: readonly string[], files: ReadonlyMap<string, string>, loader: ConfigLoader, today: Date): KustomizeBuildsResult {
  return analyzeKustomizeBuilds({
    builds,
    files,
    today,
    workspace: model.view(),
    settingsFor: (path) => {
      const governing = loader.configFor(path);
      return { config: governing.config, configRelativePath: governing.relativePath, ...(governing.file ? { configSource: governing.file.path } : {}) };
    },
  });
}

/**
 * The outcome of every reported file the workspace's builds read, by path; files that are only
 * patches of a kustomization no build includes get an empty outcome (never a workload alone).
 */
export function scanKustomize(model: WorkspaceModel, loader: ConfigLoader, options: KustomizeScanOptions): { outcomes: Map<string, ScanOutcome>; failures: string[] } {
  const builds = model.kustomizeBuilds();
  const outcomes = new Map<string, ScanOutcome>();
  const failures: string[] = [];
  if (builds.length === 0) return { outcomes, failures };
  const files = readKustomizeFiles(model, builds, (path) => loader.configFor(path).config.maxFileSize);
  const fixes = new Map<string, FileFixes>();
  if (options.fix) {
    for (const path of [...files.keys()].filter((p) => options.reported.has(p)).sort()) {
      const fixed = fixMember(model, loader, files, path, options.fix, options.today);
      if (fixed) fixes.set(path, fixed);
    }
  }
  const result = analyzeKustomize(model, builds, files, loader, options.today);
  failures.push(...result.failures);
  for (const [path, analysis] of result.files) {
    if (!options.reported.has(path)) continue;
    failures.push(...analysis.failures);
    outcomes.set(path, toOutcome(path, analysis, files.get(path) ?? '', options, fixes.get(path)));
  }
  for (const path of options.reported) {
    if (!outcomes.has(path) && model.isKustomizePatch(path)) {
      outcomes.set(path, toOutcome(path, { fileKind: 'kubernetes', findings: [], failures: [] }, files.get(path) ?? '', options, undefined));
    }
  }
  return { outcomes, failures };
}

function toOutcome(path: string, analysis: AnalysisResult, text: string, options: KustomizeScanOptions, fixes: FileFixes | undefined): ScanOutcome {
  const displayPath = options.displayPath(path);
  return {
    ...analysis,
    displayPath,
    fingerprints: fingerprintsOf(analysis.findings, text, displayPath),
    ...(options.fix ? { fixes: fixes ?? { applied: [], written: false } } : {}),
  };
}

/**
 * Applies a member file's own fixes in passes (rebuilding its builds in between) and writes it,
 * unless it changed on disk meanwhile; a dry run keeps the fixed text for the report only.
 */
function fixMember(model: WorkspaceModel, loader: ConfigLoader, files: Map<string, string>, path: string, order: FixOrder, today: Date): FileFixes | undefined {
  const original = files.get(path);
  if (original === undefined) return undefined;
  const builds = model.kustomizeBuildsOf(path);
  const analyzeText = (text: string): readonly Finding[] => {
    const current = new Map(files);
    current.set(path, text);
    return analyzeKustomize(model, builds, current, loader, today).files.get(path)?.findings ?? [];
  };
  const fixed = fixInPasses(original, analyzeText, (finding) => order.mode === 'all' || (finding.fix?.isSafe ?? false));
  const applied = fixed.text === original ? [] : fixed.applied;
  const fixes: FileFixes = { applied, written: false };
  if (applied.length === 0) return fixes;
  if (order.dryRun) {
    fixes.preview = { before: original, after: fixed.text };
    files.set(path, fixed.text);
    return fixes;
  }
  const write = writeSourceFileIfUnchanged(path, original, fixed.text);
  if (write.written) {
    fixes.written = true;
    files.set(path, fixed.text);
  } else fixes.leftAlone = write.reason;
  return fixes;
}
