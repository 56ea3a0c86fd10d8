import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { PROFILES, SEVERITIES, type Profile, type Severity, type Span } from './types';
import { scalarString, spanOf } from './source/yaml-view';
import type { RuleMeta } from './rules/define';

export type RuleSetting = Severity | 'off';

export interface ResourceQuantities {
  cpu: string;
  memory: string;
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
}

export type ConfigLayer = Partial<Omit<EngineConfig, 'defaults'>> & {
  defaults?: { limits?: Partial<ResourceQuantities>; requests?: Partial<ResourceQuantities> };
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
    };
  }
  return config;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The severity a finding is reported with, or undefined when the rule is off. A per-rule
 * override turns the rule on whatever the profile and replaces both of its severities.
 */
export function effectiveSeverity(meta: RuleMeta, config: EngineConfig, reported: Severity): Severity | undefined {
  const override = config.rules[meta.id];
  if (override === 'off') return meta.profile === 'always' ? reported : undefined;
  if (override !== undefined) return override;
  if (meta.profile === 'always') return reported;
  return PROFILES.indexOf(meta.profile) <= PROFILES.indexOf(config.profile) ? reported : undefined;
}

export function isRuleEnabled(meta: RuleMeta, config: EngineConfig): boolean {
  return effectiveSeverity(meta, config, meta.severity) !== undefined;
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
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] || 'b').toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

const QUANTITY = /^(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/**
 * Reads a `.shipshape.yaml`. Every unknown key and wrong type is a problem with the exact span
 * of the offending text; what is valid still applies, so one typo does not drop the whole file.
 */
export function parseConfigText(text: string, knownRuleIds: ReadonlySet<string>): ParsedConfig {
  const problems: ConfigProblem[] = [];
  const layer: ConfigLayer = {};
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const error of doc.errors) {
    problems.push({ message: `Invalid YAML: ${error.message.split('\n')[0] ?? error.message}`, span: { start: error.pos[0], end: error.pos[1] } });
  }
  if (doc.errors.length > 0) return { layer, problems };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { layer, problems };
  if (!isMap(root)) {
    problems.push({ message: 'The configuration must be a mapping of settings (profile, rules, ...).', span: spanOf(root) });
    return { layer, problems };
  }
  const fail = (node: Node | null | undefined, message: string, fallback: Span): void => {
    problems.push({ message, span: node ? spanOf(node) : fallback });
  };
  for (const pair of root.items) {
    const keyNode = pair.key as Node;
    const key = scalarString(keyNode);
    const value = pair.value as Node | null;
    const keySpan = spanOf(keyNode);
    const at = value ?? keyNode;
    switch (key) {
      case 'profile': {
        const profile = scalarString(value);
        if (profile !== undefined && (PROFILES as readonly string[]).includes(profile)) layer.profile = profile as Profile;
        else fail(at, `"profile" must be one of ${PROFILES.join(', ')}.`, keySpan);
        break;
      }
      case 'rules': {
        if (!isMap(value)) {
          fail(at, '"rules" must map rule ids to off, info, warning or error.', keySpan);
          break;
        }
        const rules: Record<string, RuleSetting> = {};
        for (const rulePair of value.items) {
          const idNode = rulePair.key as Node;
          const id = scalarString(idNode);
          const setting = scalarString(rulePair.value as Node);
          if (id === undefined || !knownRuleIds.has(id)) {
            fail(idNode, `Unknown rule id "${id ?? ''}". Run \`shipshape rules\` for the list.`, keySpan);
          } else if (setting === undefined || !['off', ...SEVERITIES].includes(setting)) {
            fail((rulePair.value as Node | null) ?? idNode, `Rule "${id}" must be set to off, info, warning or error.`, keySpan);
          } else {
            rules[id] = setting as RuleSetting;
          }
        }
        layer.rules = rules;
        break;
      }
      case 'trustedRegistries':
      case 'exclude': {
        const list = readStringList(value);
        if (list) layer[key] = list;
        else fail(at, `"${key}" must be a list of strings.`, keySpan);
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
      case 'images': {
        if (!isMap(value)) {
          fail(at, '"images" must map image names to Dockerfile paths.', keySpan);
          break;
        }
        const images: Record<string, string> = {};
        for (const imagePair of value.items) {
          const image = scalarString(imagePair.key as Node);
          const dockerfile = scalarString(imagePair.value as Node);
          if (image === undefined || dockerfile === undefined) fail(imagePair.key as Node, 'Each image must map to a Dockerfile path (a string).', keySpan);
          else images[image] = dockerfile;
        }
        layer.images = images;
        break;
      }
      default:
        fail(keyNode, `Unknown setting "${key ?? ''}". Known settings: profile, rules, trustedRegistries, nonRootId, defaults, exclude, maxFileSize, ignore, images.`, keySpan);
    }
  }
  return { layer, problems };
}

type Fail = (node: Node | null | undefined, message: string, fallback: Span) => void;

function readStringList(value: Node | null): string[] | undefined {
  if (!isSeq(value)) return undefined;
  const list: string[] = [];
  for (const item of value.items) {
    const text = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
    if (text === undefined) return undefined;
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
    const section = scalarString(pair.key as Node);
    if (section !== 'limits' && section !== 'requests') {
      fail(pair.key as Node, `Unknown key "${section ?? ''}" in "defaults": use limits or requests.`, keySpan);
      continue;
    }
    const quantities = readQuantities(pair.value as Node | null, section, fail, spanOf(pair.key as Node));
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
  for (const pair of (value as YAMLMap).items) {
    const resource = scalarString(pair.key as Node);
    const quantity = scalarString(pair.value as Node);
    if (resource !== 'cpu' && resource !== 'memory') {
      fail(pair.key as Node, `Unknown resource "${resource ?? ''}" in "defaults.${section}": use cpu or memory.`, keySpan);
    } else if (quantity === undefined || !QUANTITY.test(quantity)) {
      fail((pair.value as Node | null) ?? (pair.key as Node), `"defaults.${section}.${resource}" must be a Kubernetes quantity such as 500m or 512Mi.`, keySpan);
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
    if (!isMap(item)) {
      fail(item as Node, 'Each "ignore" entry must be a mapping with path, rules and an optional reason.', keySpan);
      continue;
    }
    let path: string | undefined;
    let rules: string[] | undefined;
    let reason: string | undefined;
    let valid = true;
    for (const pair of item.items) {
      const key = scalarString(pair.key as Node);
      const entryValue = pair.value as Node | null;
      if (key === 'path') path = isScalar(entryValue) && typeof entryValue.value === 'string' ? entryValue.value : undefined;
      else if (key === 'reason') reason = scalarString(entryValue);
      else if (key === 'rules') {
        rules = readStringList(entryValue);
        for (const id of rules ?? []) {
          if (!knownRuleIds.has(id)) {
            fail(entryValue, `Unknown rule id "${id}" in "ignore".`, keySpan);
            valid = false;
          }
        }
      } else {
        fail(pair.key as Node, `Unknown key "${key ?? ''}" in an "ignore" entry: use path, rules and reason.`, keySpan);
        valid = false;
      }
    }
    if (path === undefined || rules === undefined) {
      fail(item, 'An "ignore" entry needs "path" (a glob) and "rules" (a list of rule ids).', keySpan);
      continue;
    }
    if (valid) ignores.push({ path, rules, ...(reason === undefined ? {} : { reason }) });
  }
  layer.ignore = ignores;
}
