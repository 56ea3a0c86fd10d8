import type { Connection } from 'vscode-languageserver';
import { URI_FILE_PREFIX, uriToPath } from './uris';
import { DEFAULT_CONFIG, RULE_IDS, resolveConfig, type ConfigLayer, type EngineConfig } from '../engine';
import { ConfigLoader, type ConfigFile } from '../host/config-loader';
import { excludeMatcher } from '../host/discovery';
import type { RuleSettingValue, ShipshapeSettings } from '../protocol';

const PROFILES = ['baseline', 'restricted', 'recommended', 'strict'] as const;
const RULE_SETTINGS: readonly RuleSettingValue[] = ['off', 'info', 'warning', 'error'];
const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;

const DEFAULT_SETTINGS: ShipshapeSettings = {
  enable: true,
  profile: DEFAULT_CONFIG.profile,
  rules: {},
  trustedRegistries: [],
  nonRootId: DEFAULT_CONFIG.nonRootId,
  defaults: DEFAULT_CONFIG.defaults,
  exclude: [],
  allowInlineIgnores: true,
  trace: { server: 'off' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item): item is string => typeof item === 'string') ? value : undefined;
}

function oneOf<T extends string>(value: unknown, options: readonly T[]): T | undefined {
  return options.find((option) => option === value);
}

function quantities(value: unknown, fallback: { cpu: string; memory: string }): { cpu: string; memory: string } {
  if (!isRecord(value)) return fallback;
  return {
    cpu: typeof value.cpu === 'string' && value.cpu !== '' ? value.cpu : fallback.cpu,
    memory: typeof value.memory === 'string' && value.memory !== '' ? value.memory : fallback.memory,
  };
}

/**
 * The settings as the client sent them, narrowed field by field: a wrong type falls back to the
 * default for that field only, and unknown rule ids are dropped (they are a typo, not an override).
 */
function readSettings(raw: unknown): ShipshapeSettings {
  if (!isRecord(raw)) return DEFAULT_SETTINGS;
  const rules: Record<string, RuleSettingValue> = {};
  if (isRecord(raw.rules)) {
    for (const [id, setting] of Object.entries(raw.rules)) {
      const value = oneOf(setting, RULE_SETTINGS);
      if (value !== undefined && RULE_IDS.has(id)) rules[id] = value;
    }
  }
  const nonRootId = raw.nonRootId;
  const defaults = isRecord(raw.defaults) ? raw.defaults : {};
  return {
    enable: typeof raw.enable === 'boolean' ? raw.enable : DEFAULT_SETTINGS.enable,
    profile: oneOf(raw.profile, PROFILES) ?? DEFAULT_SETTINGS.profile,
    rules,
    trustedRegistries: stringList(raw.trustedRegistries) ?? [],
    nonRootId: typeof nonRootId === 'number' && Number.isInteger(nonRootId) && nonRootId > 0 ? nonRootId : DEFAULT_SETTINGS.nonRootId,
    defaults: {
      limits: quantities(defaults.limits, DEFAULT_SETTINGS.defaults.limits),
      requests: quantities(defaults.requests, DEFAULT_SETTINGS.defaults.requests),
    },
    exclude: stringList(raw.exclude) ?? [],
    allowInlineIgnores: typeof raw.allowInlineIgnores === 'boolean' ? raw.allowInlineIgnores : DEFAULT_SETTINGS.allowInlineIgnores,
    trace: { server: (isRecord(raw.trace) ? oneOf(raw.trace.server, TRACE_LEVELS) : undefined) ?? 'off' },
  };
}

/** The editor settings as an engine layer: below the config file, above the defaults. */
export function settingsLayer(settings: ShipshapeSettings): ConfigLayer {
  return {
    profile: settings.profile,
    rules: settings.rules,
    trustedRegistries: settings.trustedRegistries,
    nonRootId: settings.nonRootId,
    defaults: settings.defaults,
    exclude: settings.exclude,
    allowInlineIgnores: settings.allowInlineIgnores,
  };
}

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

/**
 * Settings per resource (`workspace/configuration`, scope resource) and the nearest config file,
 * combined with the precedence RULES.md gives: config file over editor settings over defaults.
 */
export class ConfigurationHandler {
  private readonly settings = new Map<string, Promise<ShipshapeSettings>>();
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
        ? this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'shipshape' }).then(readSettings, () => DEFAULT_SETTINGS)
        : Promise.resolve(DEFAULT_SETTINGS);
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
    const layer = settingsLayer(settings);
    if (!uri.startsWith(URI_FILE_PREFIX)) {
      // An untitled or virtual document has no folder, so no config file governs it.
      return { enabled: settings.enable, config: resolveConfig(layer), relativePath: '', excluded: false, settings };
    }
    const path = uriToPath(uri);
    const located = this.loader.configFor(path, [layer]);
    const excluded = excludeMatcher(located.baseDir, located.config.exclude)(path, false);
    return {
      enabled: settings.enable,
      config: located.config,
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

  private newLoader(): ConfigLoader {
    return new ConfigLoader({ roots: this.roots, useConfigFiles: this.trusted });
  }
}
