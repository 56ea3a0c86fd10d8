/**
 * The language server's Kustomize builds, over the workspace model's kustomization facts (the
 * workspace model handler keeps them current from open documents and watched files): which
 * builds read a file, and their analysis over the editor's texts where it has them. Parsed files
 * are kept between keystrokes.
 */
import { analyzeKustomizeBuilds, KustomizeCache, type EngineConfig, type KustomizeBuildsResult, type SectionCache, type WorkspaceModel } from '../engine';
import { readKustomizeFiles } from '../host/kustomize';

export interface KustomizeAnalysisOptions {
  /** The text of the analysed file, when it is not the editor's (fixed text, re-analysed). */
  text?: string;
  reportFor?: (path: string) => boolean;
  sectionCacheFor?: (path: string) => SectionCache | undefined;
  /** "Fix in overlay X" (default true): left out of a keystroke's analysis, worked out for code actions. */
  overlayFixes?: boolean;
}

export class KustomizeWorkspace {
  /** Parsed files between keystrokes: a change to a base leaves the overlays' files as they were. */
  private readonly cache = new KustomizeCache();

  constructor(
    private readonly model: WorkspaceModel,
    /** The editor's text of a file it has open, by path. */
    private readonly openText: (path: string) => string | undefined,
  ) {}

  /** The builds that read `path`; none for a file analysed alone. */
  buildsOf(path: string): string[] {
    return this.model.kustomizeBuildsOf(path);
  }

  /** A file some kustomization lists as a patch, in no build: never analysed as a workload. */
  isPatchOnly(path: string): boolean {
    return this.model.isKustomizePatch(path) && this.buildsOf(path).length === 0;
  }

  /** Builds and judges the builds `path` belongs to; `reads` are what their rules asked the workspace. */
  analyse(path: string, config: EngineConfig, options: KustomizeAnalysisOptions = {}): { result: KustomizeBuildsResult; reads: string[] } {
    const builds = this.buildsOf(path);
    const { text } = options;
    const override = (file: string): string | undefined => (text !== undefined && file === path ? text : this.openText(file));
    const files = readKustomizeFiles(this.model, builds, () => config.maxFileSize, override);
    const workspace = this.model.view();
    const result = analyzeKustomizeBuilds({
      builds,
      files,
      settingsFor: () => ({ config }),
      workspace,
      cache: this.cache,
      overlayFixes: options.overlayFixes ?? true,
      ...(options.reportFor ? { reportFor: options.reportFor } : {}),
      ...(options.sectionCacheFor ? { sectionCacheFor: options.sectionCacheFor } : {}),
    });
    return { result, reads: [...workspace.reads] };
  }
}
