import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseConfigText, resolveConfig, RULE_IDS, type ConfigLayer, type EngineConfig, type Finding } from '../engine';
import { CONFIG_FILE_NAMES, excludeMatcher, toPosix } from './discovery';

/** A config file as read: its settings and its problems (reported as config-error). */
export interface ConfigFile {
  path: string;
  text: string;
  layer: ConfigLayer;
  /** config-error findings on the file. */
  problems: Finding[];
}

/** The configuration that governs one file. */
export interface FileConfig {
  config: EngineConfig;
  /** The governing config file, if any. */
  file?: ConfigFile;
  /** The folder `exclude` and `ignore` globs are relative to. */
  baseDir: string;
  /** The file's path relative to `baseDir`, with `/` separators. */
  relativePath: string;
}

export interface ConfigLoaderOptions {
  /** Workspace folders (editor) or the scan's start folders (CLI): the search stops there. */
  roots: readonly string[];
  /** Layers below the config file: defaults first, then editor settings. */
  below?: readonly ConfigLayer[];
  /** Layers above the config file: CLI flags. */
  above?: readonly ConfigLayer[];
  /** `--config FILE`: one file governs everything, no search. */
  explicitFile?: string;
  /** False in an untrusted workspace: config files there could hide findings. */
  useConfigFiles?: boolean;
}

/**
 * Finds the `.shipshape.yaml` that governs a file: the nearest one in its folder or above, up to
 * the workspace root or the repository root (a folder holding `.git`). Files are not merged;
 * precedence is flags, then the file, then editor settings, then defaults. Parsed files are
 * cached until `invalidate`.
 */
export class ConfigLoader {
  private readonly files = new Map<string, ConfigFile | null>();
  /** The nearest config file of each folder searched from: a scan asks once per folder, not per file. */
  private readonly nearest = new Map<string, ConfigFile | null>();
  private readonly roots: string[];

  constructor(private readonly options: ConfigLoaderOptions) {
    this.roots = options.roots.map((root) => resolve(root));
  }

  /** `below` replaces the loader's own lower layers: the editor's settings differ per document. */
  configFor(filePath: string, below: readonly ConfigLayer[] = this.options.below ?? []): FileConfig {
    const absolute = resolve(filePath);
    const file = this.options.useConfigFiles === false ? undefined : this.findConfigFile(absolute);
    const baseDir = file ? dirname(file.path) : (this.rootOf(absolute) ?? dirname(absolute));
    const config = resolveConfig(...below, file?.layer ?? {}, ...(this.options.above ?? []));
    return { config, ...(file ? { file } : {}), baseDir, relativePath: toPosix(relative(baseDir, absolute)) };
  }

  /** True for files and folders the `exclude` globs of their governing configuration leave out. */
  isExcluded(path: string, isDirectory: boolean): boolean {
    const { config, baseDir } = this.configFor(path);
    return excludeMatcher(baseDir, config.exclude)(path, isDirectory);
  }

  /** Every config file read so far, for reporting their problems. */
  loadedFiles(): ConfigFile[] {
    return [...this.files.values()].filter((f): f is ConfigFile => f !== null);
  }

  /** Forget cached files (all, or the one at `path`), e.g. when a watched config file changes. */
  invalidate(path?: string): void {
    if (path === undefined) this.files.clear();
    else this.files.delete(resolve(path));
    // A config file that appears or goes away changes which file governs a folder.
    this.nearest.clear();
  }

  /** Reads and parses a config file (cached); null when it does not exist. */
  read(path: string): ConfigFile | null {
    const absolute = resolve(path);
    const cached = this.files.get(absolute);
    if (cached !== undefined) return cached;
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch {
      this.files.set(absolute, null);
      return null;
    }
    const { layer, problems } = parseConfigText(text, RULE_IDS);
    const file: ConfigFile = { path: absolute, text, layer, problems };
    this.files.set(absolute, file);
    return file;
  }

  private findConfigFile(absolute: string): ConfigFile | undefined {
    if (this.options.explicitFile) return this.read(this.options.explicitFile) ?? undefined;
    const start = dirname(absolute);
    let found = this.nearest.get(start);
    if (found === undefined) {
      found = this.searchUpwards(start, this.rootOf(absolute));
      this.nearest.set(start, found);
    }
    return found ?? undefined;
  }

  private searchUpwards(start: string, stop: string | undefined): ConfigFile | null {
    for (let dir = start; ; dir = dirname(dir)) {
      for (const name of CONFIG_FILE_NAMES) {
        const candidate = join(dir, name);
        const file = this.files.has(candidate) || existsSync(candidate) ? this.read(candidate) : null;
        if (file) return file;
      }
      if (dir === stop || existsSync(join(dir, '.git')) || dirname(dir) === dir) return null;
    }
  }

  /** The innermost root that contains the path. */
  private rootOf(absolute: string): string | undefined {
    return this.roots
      .filter((root) => absolute === root || absolute.startsWith(root.endsWith('/') ? root : `${root}/`))
      .sort((a, b) => b.length - a.length)[0];
  }
}
