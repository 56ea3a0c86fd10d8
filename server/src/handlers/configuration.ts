import type { Connection } from 'vscode-languageserver';
import { URI_FILE_PREFIX, uriToPath } from './uris';
import { DEFAULT_EDITOR_SETTINGS, editorSettingsLayer, readEditorSettings, resolveConfig, RULE_IDS, type EngineConfig } from '../engine';
import { ConfigLoader, type ConfigFile } from '../host/config-loader';
import { excludeMatcher } from '../host/discovery';
import type { ShipshapeSettings } from '../protocol';

/** Everything the engine needs to analyse one document, resolved once and cached per document. */
export interface DocumentConfig {
  enabled: boolean;
  config: EngineConfig;
  /** The governing `.shipshape.yaml`, if any. */
  configFile?: ConfigFile;
  relativePath: string;
  /** Left out by an `exclude` glob (settings or config file): nothing is published. */
  excluded: boolean;
  settings: ShipshapeSettings;
}

/** Distinct settings and config files a workspace has are few; past this many, start again. */
const MAX_SHARED_CONFIGS = 1_000;

/**
 * Settings per resource (`workspace/configuration`, scope resource) and the nearest config file,
 * combined with the precedence RULES.md gives: config file over editor settings over defaults.
 */
export class ConfigurationHandler {
  private readonly settings = new Map<string, Promise<ShipshapeSettings>>();
  private readonly configs = new Map<string, { file: ConfigFile | undefined; config: EngineConfig }>();
  private loader: ConfigLoader;
  private roots: string[] = [];
  private trusted: boolean;

  constructor(
    private readonly connection: Connection,
    private readonly canPullSettings: boolean,
    trusted: boolean,
  ) {
    this.trusted = trusted;
    this.loader = this.newLoader();
  }

  get workspaceRoots(): readonly string[] {
    return this.roots;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  setRoots(roots: readonly string[]): void {
    this.roots = [...roots];
    this.loader = this.newLoader();
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.loader = this.newLoader();
  }

  /** Settings changed: every cached answer is stale. */
  clearSettings(): void {
    this.settings.clear();
  }

  /** A config file changed on disk (or all of them, without a path). */
  invalidateConfigFile(path?: string): void {
    this.loader.invalidate(path);
  }

  settingsFor(uri: string): Promise<ShipshapeSettings> {
    let pending = this.settings.get(uri);
    if (!pending) {
      pending = this.canPullSettings
        ? this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'shipshape' }).then((section) => readEditorSettings(section, RULE_IDS), () => DEFAULT_EDITOR_SETTINGS)
        : Promise.resolve(DEFAULT_EDITOR_SETTINGS);
      this.settings.set(uri, pending);
    }
    return pending;
  }

  async resolve(uri: string): Promise<DocumentConfig> {
    const settings = await this.settingsFor(uri);
    return this.combine(uri, settings);
  }

  /** The configuration for a document, from settings already fetched for it. */
  combine(uri: string, settings: ShipshapeSettings): DocumentConfig {
    const layer = editorSettingsLayer(settings);
    if (!uri.startsWith(URI_FILE_PREFIX)) {
      // An untitled or virtual document has no folder, so no config file governs it.
      return { enabled: settings.enable, config: resolveConfig(layer), relativePath: '', excluded: false, settings };
    }
    const path = uriToPath(uri);
    const located = this.loader.configFor(path, [layer]);
    const config = this.shared(settings, located.file, located.config);
    const excluded = excludeMatcher(located.baseDir, config.exclude)(path, false);
    return {
      enabled: settings.enable,
      config,
      ...(located.file ? { configFile: located.file } : {}),
      relativePath: located.relativePath,
      excluded,
      settings,
    };
  }

  /** A config file as the loader reads it (for its own diagnostics); null when it is gone. */
  readConfigFile(path: string): ConfigFile | null {
    return this.loader.read(path);
  }

  /**
   * One configuration object for every file under the same settings and config file. What the
   * engine and the handlers work out per configuration (the rules it turns on, the section caches
   * made under it) is kept by identity, and a keystroke in a Namespace resolves the configuration
   * of hundreds of files; a document whose configuration did not change also keeps its caches
   * when the settings change. A config file read again (it changed) is a new object.
   */
  private shared(settings: ShipshapeSettings, file: ConfigFile | undefined, config: EngineConfig): EngineConfig {
    const key = `${file?.path ?? ''}\u0000${JSON.stringify(settings)}`;
    const known = this.configs.get(key);
    if (known && known.file === file) return known.config;
    if (this.configs.size >= MAX_SHARED_CONFIGS) this.configs.clear();
    this.configs.set(key, { file, config });
    return config;
  }

  private newLoader(): ConfigLoader {
    return new ConfigLoader({ roots: this.roots, useConfigFiles: this.trusted });
  }
}
