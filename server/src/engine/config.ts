/**
 * The engine's configuration: the defaults, layers resolved in precedence order, a
 * `.shipshape.yaml` read into a layer with every problem as a config-error finding, and the
 * editor's settings read the same way. What each setting is comes from settings/definition.ts.
 */
import { parseDocument } from 'yaml';
import { PROFILES, type Finding, type Profile, type Span } from './types';
import { LineIndex } from './source/text';
import { configErrorFinding } from './rules/engine-findings';
import { SETTING_KEYS, SETTINGS, type ConfigLayer, type EditorSettings, type EngineConfig, type SettingKey } from './settings/definition';
import { valueOfJson, valueOfYaml, type AnyValueType, type ReadContext } from './settings/value-types';
import { closestName } from './settings/did-you-mean';

export type { ConfigIgnore, ConfigLayer, EditorSettings, EngineConfig, ResourceQuantities, RuleSetting, VulnerabilitySettings, VulnerabilitySeverity } from './settings/definition';
export { VULNERABILITY_SEVERITIES } from './settings/definition';

const ENGINE_KEYS = SETTING_KEYS.filter((key) => SETTINGS[key].engine);
const FILE_KEYS = SETTING_KEYS.filter((key) => SETTINGS[key].file);
const EDITOR_KEYS = SETTING_KEYS.filter((key) => SETTINGS[key].editor !== false);

function typeOf(key: SettingKey): AnyValueType {
  return SETTINGS[key].type;
}

/** Each key's default; every key of the definition is there, so the record is the settings type. */
function defaultsOf<T>(keys: readonly SettingKey[]): T {
  return Object.fromEntries(keys.map((key) => [key, SETTINGS[key].default])) as T;
}

export const DEFAULT_CONFIG: EngineConfig = defaultsOf<EngineConfig>(ENGINE_KEYS);

/** Later layers win: pass defaults first, CLI flags last. Each setting's type says how a layer goes on top. */
export function resolveConfig(...layers: ConfigLayer[]): EngineConfig {
  let config: Record<string, unknown> = DEFAULT_CONFIG;
  for (const layer of layers) {
    const above: Record<string, unknown> = layer;
    const merged = { ...config };
    for (const key of ENGINE_KEYS) {
      const value = above[key];
      if (value !== undefined) merged[key] = typeOf(key).merge(config[key], value);
    }
    config = merged;
  }
  // Every engine key started from its default and was merged by its own type.
  return config as EngineConfig;
}

/**
 * Whether the configuration turns a rule on: a per-rule override does whatever the profile;
 * otherwise the profile must include the rule's, or `fromProfile` when a finding belongs to a
 * larger profile than its rule (RULES.md proc-mount-unmasked). Engine findings are always on.
 * The runner decides severities with it; a rule asks it whether another rule already reports
 * something (hardcoded-credential and secret-in-env).
 */
export function isRuleOn(meta: { id: string; profile: Profile | 'always' }, config: EngineConfig, fromProfile?: Profile): boolean {
  if (meta.profile === 'always') return true;
  const override = config.rules[meta.id];
  if (override !== undefined) return override !== 'off';
  return PROFILES.indexOf(fromProfile ?? meta.profile) <= PROFILES.indexOf(config.profile);
}

export interface ParsedConfig {
  layer: ConfigLayer;
  /** config-error findings, each at the exact text it is about. */
  problems: Finding[];
}

/** Where to show a YAML error: never empty, and a duplicated key as the whole key. */
function yamlErrorSpan(text: string, [start, end]: [number, number], code: string): Span {
  let until = Math.min(Math.max(end, start + 1), text.length);
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^\s:#]+/.exec(text.slice(start));
    if (key) until = start + key[0].length;
  }
  return { start: Math.min(start, until), end: until };
}

/** Completes "Unknown setting "x"." with what the author most likely meant. */
function unknownSettingHint(key: string): string {
  if (SETTING_KEYS.some((known) => known === key)) return ` It is an editor setting (shipshape.${key}), not a .shipshape.yaml key.`;
  const suggestion = closestName(key, FILE_KEYS);
  return suggestion ? ` Did you mean "${suggestion}"?` : ` Known settings: ${FILE_KEYS.join(', ')}.`;
}

/**
 * Reads a `.shipshape.yaml`. Every unknown key and wrong type is a problem at the exact span of
 * the offending text; what is valid still applies, so one typo does not drop the whole file.
 */
export function parseConfigText(text: string, knownRuleIds: ReadonlySet<string>): ParsedConfig {
  const lines = new LineIndex(text);
  const problems: Finding[] = [];
  const context: ReadContext = {
    knownRuleIds,
    report: (span, messageId, data) => problems.push(configErrorFinding(lines, span ?? { start: 0, end: 0 }, messageId, data)),
  };
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) {
    context.report(yamlErrorSpan(text, error.pos, error.code), 'invalidYaml', { reason: error.message.split('\n')[0] ?? error.message });
  }
  const root = doc.errors.length > 0 ? undefined : valueOfYaml(doc.contents);
  if (root === undefined || (root.kind === 'scalar' && (root.value === null || root.value === ''))) return { layer: {}, problems };
  if (root.kind !== 'map') {
    context.report(root.span, 'notAMapping', {});
    return { layer: {}, problems };
  }
  const layer: Record<string, unknown> = {};
  for (const { key, keySpan, value } of root.entries) {
    const known = FILE_KEYS.find((name) => name === key);
    if (key === undefined || known === undefined) {
      context.report(keySpan, 'unknownSetting', { key: key ?? '', hint: unknownSettingHint(key ?? '') });
      continue;
    }
    const read = typeOf(known).read(value, { subject: `"${known}"`, path: known, ...(keySpan ? { fallback: keySpan } : {}) }, context);
    if (read !== undefined) layer[known] = read;
  }
  // Each key is a setting of the file, read by its own type.
  return { layer: layer as ConfigLayer, problems };
}

/**
 * The editor's `shipshape` settings section (as `workspace/configuration` returns it): a value
 * of the wrong type falls back to that setting's default alone (VS Code has already shown the
 * mistake against the contributed schema), and unknown rule ids are dropped.
 */
export function readEditorSettings(section: unknown, knownRuleIds: ReadonlySet<string>): EditorSettings {
  const written = valueOfJson(section);
  const values = new Map(written?.kind === 'map' ? written.entries.map((entry) => [entry.key, entry.value]) : []);
  const context: ReadContext = { knownRuleIds, report: () => undefined };
  const settings: Record<string, unknown> = {};
  for (const key of EDITOR_KEYS) {
    const type = typeOf(key);
    const fallback: unknown = SETTINGS[key].default;
    const read = type.read(values.get(key), { subject: `"shipshape.${key}"`, path: key }, context);
    settings[key] = read === undefined ? fallback : type.merge(fallback, read);
  }
  // Every editor key was read by its own type or defaulted.
  return settings as EditorSettings;
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = defaultsOf<EditorSettings>(EDITOR_KEYS);

/** The editor settings as an engine layer: below the config file, above the defaults. */
export function editorSettingsLayer(settings: EditorSettings): ConfigLayer {
  const all: Record<string, unknown> = settings;
  // Each key is an engine setting the editor holds, with its full (resolved) value.
  return Object.fromEntries(EDITOR_KEYS.filter((key) => SETTINGS[key].engine).map((key) => [key, all[key]])) as ConfigLayer;
}
