import { isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { PROFILES, SEVERITIES, type Profile, type Severity, type Span } from './types';
import { scalarString, spanOf } from './source/yaml-view';

export type RuleSetting = Severity | 'off';

export interface ResourceQuantities {
  cpu: string;
  memory: string;
}

/** Scanner severities, lowest first (Trivy's scale, with Grype's Negligible below Low). */
export const VULNERABILITY_SEVERITIES = ['UNKNOWN', 'NEGLIGIBLE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export type VulnerabilitySeverity = (typeof VULNERABILITY_SEVERITIES)[number];

/** How image-vulnerable reads the configured reports. */
export interface VulnerabilitySettings {
  /** Findings below this severity are not counted. */
  minSeverity: VulnerabilitySeverity;
  /** A report older than this many days is said to be stale. */
  maxAgeDays: number;
}

export interface ConfigIgnore {
  /** Glob, relative to the folder of the config file that declares it. */
  path: string;
  rules: string[];
  reason?: string;
}

/** The settings the engine runs with, every layer (flags, file, editor, defaults) resolved. */
export interface EngineConfig {
  profile: Profile;
  rules: Record<string, RuleSetting>;
  trustedRegistries: string[];
  nonRootId: number;
  defaults: { limits: ResourceQuantities; requests: ResourceQuantities };
  exclude: string[];
  maxFileSize: number;
  ignore: ConfigIgnore[];
  images: Record<string, string>;
  allowInlineIgnores: boolean;
  /** Vulnerability report files or globs, relative to the config file (the host reads them). */
  vulnerabilityReports: string[];
  vulnerabilities: VulnerabilitySettings;
}

export type ConfigLayer = Partial<Omit<EngineConfig, 'defaults' | 'vulnerabilities'>> & {
  defaults?: { limits?: Partial<ResourceQuantities>; requests?: Partial<ResourceQuantities> };
  vulnerabilities?: Partial<VulnerabilitySettings>;
};

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export const DEFAULT_CONFIG: EngineConfig = {
  profile: 'recommended',
  rules: {},
  trustedRegistries: [],
  nonRootId: 10001,
  defaults: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
  exclude: [],
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  ignore: [],
  images: {},
  allowInlineIgnores: true,
  vulnerabilityReports: [],
  vulnerabilities: { minSeverity: 'HIGH', maxAgeDays: 30 },
};

/** Later layers win: pass defaults first, CLI flags last. */
export function resolveConfig(...layers: ConfigLayer[]): EngineConfig {
  let config: EngineConfig = DEFAULT_CONFIG;
  for (const layer of layers) {
    config = {
      ...config,
      ...withoutUndefined(layer),
      rules: { ...config.rules, ...layer.rules },
      defaults: {
        limits: { ...config.defaults.limits, ...withoutUndefined(layer.defaults?.limits ?? {}) },
        requests: { ...config.defaults.requests, ...withoutUndefined(layer.defaults?.requests ?? {}) },
      },
      vulnerabilities: { ...config.vulnerabilities, ...withoutUndefined(layer.vulnerabilities ?? {}) },
    };
  }
  return config;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
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

export interface ConfigProblem {
  message: string;
  span: Span;
}

export interface ParsedConfig {
  layer: ConfigLayer;
  problems: ConfigProblem[];
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `5MB`, `512KiB`, `1.5mb` or a plain number of bytes; sizes use 1024-based units. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && Math.floor(value) > 0 ? Math.floor(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] || 'b').toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

/** A Kubernetes quantity (resource.Quantity): a decimal number with an SI, binary or exponent suffix. */
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

const SETTINGS = ['profile', 'rules', 'trustedRegistries', 'nonRootId', 'defaults', 'exclude', 'maxFileSize', 'ignore', 'images', 'vulnerabilityReports', 'vulnerabilities'];

const RULE_SETTINGS: readonly RuleSetting[] = ['off', ...SEVERITIES];

function isProfile(value: string | undefined): value is Profile {
  return PROFILES.some((profile) => profile === value);
}

function isRuleSetting(value: string | undefined): value is RuleSetting {
  return RULE_SETTINGS.some((setting) => setting === value);
}

/**
 * Keys and values of parsed pairs are typed `unknown`; this narrows them to YAML nodes. An
 * empty value (`profile:`) is null, so problems about it point at its key.
 */
function nodeOf(value: unknown): Node | null {
  if (!isNode(value)) return null;
  const empty = isScalar(value) && value.value === null && spanOf(value).start === spanOf(value).end;
  return empty ? null : value;
}

/** A string scalar's value; numbers and booleans are not strings here (the schema says so too). */
function stringValue(node: Node | null): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

type Fail = (node: Node | null, message: string, fallback: Span) => void;

/** Where to show a YAML error: never empty, and a duplicated key as the whole key. */
function yamlErrorSpan(text: string, [start, end]: [number, number], code: string): Span {
  let until = Math.min(Math.max(end, start + 1), text.length);
  if (code === 'DUPLICATE_KEY') {
    const key = /^[^\s:#]+/.exec(text.slice(start));
    if (key) until = start + key[0].length;
  }
  return { start: Math.min(start, until), end: until };
}

/**
 * Reads a `.shipshape.yaml`. Every unknown key and wrong type is a problem with the exact span
 * of the offending text; what is valid still applies, so one typo does not drop the whole file.
 * schemas/shipshape.schema.json describes the same shape for editors.
 */
export function parseConfigText(text: string, knownRuleIds: ReadonlySet<string>): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const layer: ConfigLayer = {};
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) {
    problems.push({ message: `Invalid YAML: ${error.message.split('\n')[0] ?? error.message}`, span: yamlErrorSpan(text, error.pos, error.code) });
  }
  if (doc.errors.length > 0) return { layer, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { layer, problems };
  if (!isMap(root)) {
    problems.push({ message: 'The configuration must be a mapping of settings (profile, rules, ...).', span: spanOf(root) });
    return { layer, problems };
  }
  const fail: Fail = (node, message, fallback) => {
    problems.push({ message, span: node ? spanOf(node) : fallback });
  };
  for (const pair of root.items) {
    const keyNode = nodeOf(pair.key);
    const key = scalarString(keyNode);
    const value = nodeOf(pair.value);
    const keySpan = keyNode ? spanOf(keyNode) : { start: 0, end: 0 };
    const at = value ?? keyNode;
    switch (key) {
      case 'profile': {
        const profile = scalarString(value);
        if (isProfile(profile)) layer.profile = profile;
        else fail(at, `"profile" must be one of ${PROFILES.join(', ')}.`, keySpan);
        break;
      }
      case 'rules':
        readRules(value, knownRuleIds, layer, fail, keySpan);
        break;
      case 'trustedRegistries':
      case 'exclude': {
        const list = readStringList(value, `"${key}"`, fail, keySpan);
        if (list) layer[key] = list;
        break;
      }
      case 'nonRootId': {
        const id = isScalar(value) ? value.value : undefined;
        if (typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= 2147483647) layer.nonRootId = id;
        else fail(at, '"nonRootId" must be a whole number from 1 to 2147483647 (0 is root).', keySpan);
        break;
      }
      case 'maxFileSize': {
        const raw = isScalar(value) ? value.value : undefined;
        const size = typeof raw === 'number' || typeof raw === 'string' ? parseByteSize(raw) : undefined;
        if (size !== undefined) layer.maxFileSize = size;
        else fail(at, '"maxFileSize" must be a size such as 5MB, 512KB or a number of bytes.', keySpan);
        break;
      }
      case 'defaults':
        readDefaults(value, layer, fail, keySpan);
        break;
      case 'ignore':
        readIgnores(value, knownRuleIds, layer, fail, keySpan);
        break;
      case 'images':
        readImages(value, layer, fail, keySpan);
        break;
      case 'vulnerabilityReports':
        readReportGlobs(value, layer, fail, keySpan);
        break;
      case 'vulnerabilities':
        readVulnerabilitySettings(value, layer, fail, keySpan);
        break;
      default:
        fail(keyNode, `Unknown setting "${key ?? ''}". Known settings: ${SETTINGS.join(', ')}.`, keySpan);
    }
  }
  return { layer, problems };
}

function readRules(value: Node | null, knownRuleIds: ReadonlySet<string>, layer: ConfigLayer, fail: Fail, keySpan: Span): void {
  if (!isMap(value)) {
    fail(value, '"rules" must map rule ids to off, info, warning or error.', keySpan);
    return;
  }
  const rules: Record<string, RuleSetting> = {};
  for (const pair of value.items) {
    const idNode = nodeOf(pair.key);
    const settingNode = nodeOf(pair.value);
    const id = scalarString(idNode);
    const setting = scalarString(settingNode);
    if (id === undefined || !knownRuleIds.has(id)) {
      fail(idNode, `Unknown rule id "${id ?? ''}". Run \`shipshape rules\` for the list.`, keySpan);
    } else if (!isRuleSetting(setting)) {
      fail(settingNode ?? idNode, `Rule "${id}" must be set to off, info, warning or error.`, keySpan);
    } else {
      rules[id] = setting;
    }
  }
  layer.rules = rules;
}

/** A list of strings; reports the first item that is not one (or the value, if not a list). */
function readStringList(value: Node | null, what: string, fail: Fail, keySpan: Span): string[] | undefined {
  if (!isSeq(value)) {
    fail(value, `${what} must be a list of strings.`, keySpan);
    return undefined;
  }
  const list: string[] = [];
  for (const item of value.items) {
    const itemNode = nodeOf(item);
    const text = stringValue(itemNode);
    if (text === undefined) {
      fail(itemNode ?? value, `${what} must be a list of strings.`, keySpan);
      return undefined;
    }
    list.push(text);
  }
  return list;
}

function readDefaults(value: Node | null, layer: ConfigLayer, fail: Fail, keySpan: Span): void {
  if (!isMap(value)) {
    fail(value, '"defaults" must hold "limits" and/or "requests".', keySpan);
    return;
  }
  const defaults: NonNullable<ConfigLayer['defaults']> = {};
  for (const pair of value.items) {
    const sectionNode = nodeOf(pair.key);
    const section = scalarString(sectionNode);
    if (section !== 'limits' && section !== 'requests') {
      fail(sectionNode, `Unknown key "${section ?? ''}" in "defaults": use limits or requests.`, keySpan);
      continue;
    }
    const quantities = readQuantities(nodeOf(pair.value), section, fail, sectionNode ? spanOf(sectionNode) : keySpan);
    if (quantities) defaults[section] = quantities;
  }
  layer.defaults = defaults;
}

function readQuantities(value: Node | null, section: string, fail: Fail, keySpan: Span): Partial<ResourceQuantities> | undefined {
  if (!isMap(value)) {
    fail(value, `"defaults.${section}" must map cpu and/or memory to quantities.`, keySpan);
    return undefined;
  }
  const quantities: Partial<ResourceQuantities> = {};
  for (const pair of value.items) {
    const resourceNode = nodeOf(pair.key);
    const quantityNode = nodeOf(pair.value);
    const resource = scalarString(resourceNode);
    // Booleans are not quantities; numbers are (`cpu: 1`), as the API reads them.
    const quantity = isScalar(quantityNode) && typeof quantityNode.value !== 'boolean' ? scalarString(quantityNode) : undefined;
    if (resource !== 'cpu' && resource !== 'memory') {
      fail(resourceNode, `Unknown resource "${resource ?? ''}" in "defaults.${section}": use cpu or memory.`, keySpan);
    } else if (quantity === undefined || !QUANTITY.test(quantity)) {
      fail(quantityNode ?? resourceNode, `"defaults.${section}.${resource}" must be a Kubernetes quantity such as 500m or 512Mi.`, keySpan);
    } else {
      quantities[resource] = quantity;
    }
  }
  return quantities;
}

function readIgnores(value: Node | null, knownRuleIds: ReadonlySet<string>, layer: ConfigLayer, fail: Fail, keySpan: Span): void {
  if (!isSeq(value)) {
    fail(value, '"ignore" must be a list of {path, rules, reason} entries.', keySpan);
    return;
  }
  const ignores: ConfigIgnore[] = [];
  for (const item of value.items) {
    const itemNode = nodeOf(item);
    if (!isMap(itemNode)) {
      fail(itemNode ?? value, 'Each "ignore" entry must be a mapping with path, rules and an optional reason.', keySpan);
      continue;
    }
    let path: string | undefined;
    let rules: string[] | undefined;
    let reason: string | undefined;
    // An entry with a wrong part is dropped whole: a half-read entry could hide more than meant.
    let valid = true;
    for (const pair of itemNode.items) {
      const entryKey = nodeOf(pair.key);
      const entryValue = nodeOf(pair.value);
      const key = scalarString(entryKey);
      if (key === 'path') {
        path = stringValue(entryValue);
        if (path === undefined) fail(entryValue ?? entryKey, '"path" of an "ignore" entry must be a glob (a string).', keySpan);
        valid &&= path !== undefined;
      } else if (key === 'reason') {
        reason = stringValue(entryValue);
        if (reason === undefined) fail(entryValue ?? entryKey, '"reason" of an "ignore" entry must be a string.', keySpan);
        valid &&= reason !== undefined;
      } else if (key === 'rules') {
        rules = readIgnoredRules(entryValue, entryKey, knownRuleIds, fail, keySpan);
        valid &&= rules !== undefined;
      } else {
        fail(entryKey, `Unknown key "${key ?? ''}" in an "ignore" entry: use path, rules and reason.`, keySpan);
        valid = false;
      }
    }
    const missing = [itemNode.has('path') ? '' : '"path" (a glob)', itemNode.has('rules') ? '' : '"rules" (a list of rule ids)'].filter(Boolean);
    if (missing.length > 0) {
      fail(itemNode, `An "ignore" entry needs ${missing.join(' and ')}.`, keySpan);
      continue;
    }
    if (valid && path !== undefined && rules !== undefined) ignores.push({ path, rules, ...(reason === undefined ? {} : { reason }) });
  }
  layer.ignore = ignores;
}

/** The `rules` list of an ignore entry; undefined (with problems reported) when any item is wrong. */
function readIgnoredRules(value: Node | null, key: Node | null, knownRuleIds: ReadonlySet<string>, fail: Fail, keySpan: Span): string[] | undefined {
  if (!isSeq(value)) {
    fail(value ?? key, '"rules" of an "ignore" entry must be a list of rule ids.', keySpan);
    return undefined;
  }
  const ids: string[] = [];
  let valid = true;
  for (const item of value.items) {
    const itemNode = nodeOf(item);
    const id = stringValue(itemNode);
    if (id === undefined || !knownRuleIds.has(id)) {
      fail(itemNode ?? value, `Unknown rule id "${scalarString(itemNode) ?? ''}" in "ignore".`, keySpan);
      valid = false;
    } else {
      ids.push(id);
    }
  }
  return valid ? ids : undefined;
}

function readImages(value: Node | null, layer: ConfigLayer, fail: Fail, keySpan: Span): void {
  if (!isMap(value)) {
    fail(value, '"images" must map image names to Dockerfile paths.', keySpan);
    return;
  }
  const images: Record<string, string> = {};
  for (const pair of value.items) {
    const imageNode = nodeOf(pair.key);
    const dockerfileNode = nodeOf(pair.value);
    const image = scalarString(imageNode);
    const dockerfile = stringValue(dockerfileNode);
    if (image === undefined || dockerfile === undefined) fail(dockerfileNode ?? imageNode, 'Each image must map to a Dockerfile path (a string).', keySpan);
    else images[image] = dockerfile;
  }
  layer.images = images;
}

/**
 * Report files or globs. They are read from inside the config file's repository only (the host
 * checks where `..` leads), so an absolute path is refused here: a hostile repository must not
 * make the editor read other files.
 */
function readReportGlobs(value: Node | null, layer: ConfigLayer, fail: Fail, keySpan: Span): void {
  const globs = readStringList(value, '"vulnerabilityReports"', fail, keySpan);
  if (!globs || !isSeq(value)) return;
  const relative: string[] = [];
  globs.forEach((glob, index) => {
    if (glob.length > 0 && !isAbsolutePath(glob)) relative.push(glob);
    else fail(nodeOf(value.items[index]), '"vulnerabilityReports" entries must be paths or globs relative to this file (reports/*.json).', keySpan);
  });
  layer.vulnerabilityReports = relative;
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path) || path.startsWith('~');
}

function isVulnerabilitySeverity(value: string | undefined): value is VulnerabilitySeverity {
  return VULNERABILITY_SEVERITIES.some((severity) => severity === value);
}

function readVulnerabilitySettings(value: Node | null, layer: ConfigLayer, fail: Fail, keySpan: Span): void {
  if (!isMap(value)) {
    fail(value, '"vulnerabilities" must hold "minSeverity" and/or "maxAgeDays".', keySpan);
    return;
  }
  const settings: Partial<VulnerabilitySettings> = {};
  for (const pair of value.items) {
    const keyNode = nodeOf(pair.key);
    const settingNode = nodeOf(pair.value);
    const key = scalarString(keyNode);
    if (key === 'minSeverity') {
      const severity = stringValue(settingNode);
      if (isVulnerabilitySeverity(severity)) settings.minSeverity = severity;
      else fail(settingNode ?? keyNode, `"vulnerabilities.minSeverity" must be one of ${VULNERABILITY_SEVERITIES.join(', ')}.`, keySpan);
    } else if (key === 'maxAgeDays') {
      const days = isScalar(settingNode) ? settingNode.value : undefined;
      if (typeof days === 'number' && Number.isInteger(days) && days > 0) settings.maxAgeDays = days;
      else fail(settingNode ?? keyNode, '"vulnerabilities.maxAgeDays" must be a whole number of days, 1 or more.', keySpan);
    } else {
      fail(keyNode, `Unknown key "${key ?? ''}" in "vulnerabilities": use minSeverity or maxAgeDays.`, keySpan);
    }
  }
  layer.vulnerabilities = settings;
}
