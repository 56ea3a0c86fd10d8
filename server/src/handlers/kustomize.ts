/**
 * The language server's view of the workspace's Kustomize builds: the kustomization facts of the
 * workspace folders in a workspace model (read at start, kept current from open documents and
 * watched files), and the analysis of the builds an open file belongs to, over the editor's
 * texts where it has them. The diagnostics handler asks it which files a change re-publishes.
 */
import { analyzeKustomizeBuilds, extractFacts, isKustomizationPath, KustomizeCache, WorkspaceModel, type EngineConfig, type KustomizeBuildsResult, type SectionCache } from '../engine';
import { discoverFiles } from '../host/discovery';
import { readKustomizeFiles } from '../host/kustomize';
import { readSourceFile } from '../host/source-files';

export interface KustomizeAnalysisOptions {
  /** The text of the analysed file, when it is not the editor's (fixed text, re-analysed). */
  text?: string;
  reportFor?: (path: string) => boolean;
  sectionCacheFor?: (path: string) => SectionCache | undefined;
  /** "Fix in overlay X" (default true): left out of a keystroke's analysis, worked out for code actions. */
  overlayFixes?: boolean;
}

export class KustomizeWorkspace {
  private readonly model = new WorkspaceModel();
  /** Parsed files between keystrokes: a change to a base leaves the overlays' files as they were. */
  private readonly cache = new KustomizeCache();
  private readonly known = new Set<string>();

  constructor(
    /** The editor's text of a file it has open, by path. */
    private readonly openText: (path: string) => string | undefined,
  ) {}

  /** Reads every kustomization under the workspace folders (again when the folders change). */
  load(roots: readonly string[], maxFileSize: number): void {
    for (const path of this.known) this.model.setFacts(path, []);
    this.known.clear();
    for (const path of discoverFiles(roots).filter(isKustomizationPath)) {
      const text = this.openText(path) ?? readText(path, maxFileSize);
      if (text !== undefined) this.setText(path, text);
    }
  }

  /**
   * A kustomization's text changed (in the editor, or on disk: `text` undefined when deleted).
   * True when what the builds include changed, so every open document may belong elsewhere now.
   */
  update(path: string, text: string | undefined): boolean {
    if (!isKustomizationPath(path)) return false;
    const before = JSON.stringify(this.model.kustomizeBuilds().map((build) => [build, this.model.kustomizeFiles(build)]));
    if (text === undefined) {
      this.model.removeFile(path);
      this.known.delete(path);
    } else this.setText(path, text);
    return JSON.stringify(this.model.kustomizeBuilds().map((build) => [build, this.model.kustomizeFiles(build)])) !== before;
  }

  /** The builds that read `path`; none for a file analysed alone. */
  buildsOf(path: string): string[] {
    return this.model.kustomizeBuildsOf(path);
  }

  /** A file some kustomization lists as a patch, in no build: never analysed as a workload. */
  isPatchOnly(path: string): boolean {
    return this.model.isKustomizePatch(path) && this.buildsOf(path).length === 0;
  }

  /** Builds and judges the builds `path` belongs to, with the editor's texts for open files. */
  analyse(path: string, config: EngineConfig, options: KustomizeAnalysisOptions = {}): KustomizeBuildsResult {
    const builds = this.buildsOf(path);
    const { text } = options;
    const override = (file: string): string | undefined => (text !== undefined && file === path ? text : this.openText(file));
    const files = readKustomizeFiles(this.model, builds, () => config.maxFileSize, override);
    return analyzeKustomizeBuilds({
      builds,
      files,
      settingsFor: () => ({ config }),
      workspace: this.model.view(),
      cache: this.cache,
      overlayFixes: options.overlayFixes ?? true,
      ...(options.reportFor ? { reportFor: options.reportFor } : {}),
      ...(options.sectionCacheFor ? { sectionCacheFor: options.sectionCacheFor } : {}),
    });
  }

  private setText(path: string, text: string): void {
    this.known.add(path);
    this.model.setFacts(path, extractFacts(path, text));
  }
}

function readText(path: string, maxFileSize: number): string | undefined {
  const source = readSourceFile(path, maxFileSize);
  return 'text' in source ? source.text : undefined;
}
