/**
 * Dependency updater configurations, read for what decides which Dockerfiles they watch:
 * Dependabot's `.github/dependabot.yml` (`package-ecosystem: docker` entries) and Renovate's
 * config files (`enabled`, `enabledManagers`, the `dockerfile` manager, `ignorePaths`,
 * `includePaths`, the presets that set them). The host reads these files at repository roots
 * only, where the tools read them.
 */
import { parse as parseJson5 } from 'json5';
import type { Span } from '../types';
import { LineIndex, stripBom } from '../source/text';
import { scalarString, YamlView } from '../source/yaml-view';
import { parseYamlSection } from '../parse/yaml';
import type { DependabotDockerEntry, DependabotFact, FactLocation, RenovateFact, RepositoryFact, UpdaterFact } from '../workspace/facts';

/** Dependabot reads its configuration here, relative to the repository root. */
export const DEPENDABOT_CONFIG_FILES = ['.github/dependabot.yml', '.github/dependabot.yaml'] as const;

/** Renovate's repository config files, in the order it looks for them (it reads the first it finds). */
export const RENOVATE_CONFIG_FILES = [
  'renovate.json',
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
] as const;

/** Every updater config file, relative to a repository root: what the host looks for there. */
export const UPDATER_CONFIG_FILES: readonly string[] = [...DEPENDABOT_CONFIG_FILES, ...RENOVATE_CONFIG_FILES];

/** Renovate's default `ignorePaths`. */
const RENOVATE_DEFAULT_IGNORE_PATHS = ['**/node_modules/**', '**/bower_components/**'];

/** The `:ignoreModulesAndTests` preset, which `config:recommended` (formerly `config:base`) extends. */
const IGNORE_MODULES_AND_TESTS = [
  '**/node_modules/**',
  '**/bower_components/**',
  '**/vendor/**',
  '**/examples/**',
  '**/__tests__/**',
  '**/test/**',
  '**/tests/**',
  '**/__fixtures__/**',
];

/** Renovate's built-in presets that set `ignorePaths`; presets it cannot see (an organisation's) are not guessed at. */
const PRESET_IGNORE_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['config:recommended', IGNORE_MODULES_AND_TESTS],
  ['config:base', IGNORE_MODULES_AND_TESTS],
  ['config:best-practices', IGNORE_MODULES_AND_TESTS],
  ['config:js-app', IGNORE_MODULES_AND_TESTS],
  ['config:js-lib', IGNORE_MODULES_AND_TESTS],
  [':ignoreModulesAndTests', IGNORE_MODULES_AND_TESTS],
  [':includeNodeModules', []],
]);

const FILE_START: FactLocation['range'] = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The fact that the host looked for updater configurations at `root` (a repository root, or a workspace folder that is in none). */
export function repositoryFact(root: string, versionControlled: boolean): RepositoryFact {
  return { kind: 'repository', root, versionControlled, at: { path: root, range: FILE_START } };
}

/**
 * The updater facts of the config file at `path`, found as `name` (one of UPDATER_CONFIG_FILES)
 * in the repository at `root`; none for other names.
 */
export function extractUpdaterFacts(path: string, root: string, name: string, text: string): UpdaterFact[] {
  const { text: body } = stripBom(text);
  if ((DEPENDABOT_CONFIG_FILES as readonly string[]).includes(name)) return dependabotFacts(root, path, body);
  const precedence = (RENOVATE_CONFIG_FILES as readonly string[]).indexOf(name);
  return precedence < 0 ? [] : [renovateFact(root, path, body, precedence)];
}

function dependabotFacts(root: string, path: string, text: string): DependabotFact[] {
  const doc = parseYamlSection(text);
  const lines = new LineIndex(text);
  const at = (span: Span): FactLocation => ({ path, range: lines.rangeOf(span) });
  // A file Dependabot cannot read configures no updates: it says so on the repository's Insights tab.
  if (doc.errors.length > 0) return [{ kind: 'updater', tool: 'dependabot', root, docker: [], at: { path, range: FILE_START } }];
  const view = new YamlView(doc, text);
  const rootMap = view.asMap(view.root);
  const docker: DependabotDockerEntry[] = [];
  for (const item of view.items(view.getSeq(rootMap, 'updates'))) {
    const entry = view.asMap(item.node);
    const ecosystem = view.field(entry, 'package-ecosystem');
    if (!ecosystem || scalarString(ecosystem.value) !== 'docker') continue;
    const directories = view.getSeq(entry, 'directories');
    const listed = directories ? view.items(directories).map((dir) => scalarString(dir.node)) : [view.getString(entry, 'directory')];
    const excludes = view.items(view.getSeq(entry, 'exclude-paths')).map((pattern) => scalarString(pattern.node));
    docker.push({
      directories: listed.filter((dir): dir is string => dir !== undefined).map(repositoryPath),
      globs: directories !== undefined,
      excludePaths: excludes.filter((pattern): pattern is string => pattern !== undefined).map(repositoryPath),
      at: at(ecosystem.valueSpan),
    });
  }
  return [{ kind: 'updater', tool: 'dependabot', root, docker, at: at(view.field(rootMap, 'updates')?.keySpan ?? { start: 0, end: 0 }) }];
}

/** A path as both tools write them (`/services/api/`, `./api`), relative to the root without slashes at either end. */
function repositoryPath(path: string): string {
  return path.trim().replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
}

type Json = { readonly [key: string]: unknown };

function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function renovateFact(root: string, path: string, text: string, precedence: number): RenovateFact {
  const base = { kind: 'updater' as const, tool: 'renovate' as const, root, precedence, at: { path, range: FILE_START } };
  const unread = { ignorePaths: [], ignorePathsFrom: 'the config', includePaths: [], extraFilePatterns: [] };
  let config: unknown;
  try {
    // JSON5 is a superset of JSON: one parser reads every Renovate config file.
    config = parseJson5(text);
  } catch {
    return { ...base, ...unread, dockerfileOff: { reason: 'the file is not valid JSON5, and Renovate stops on it', fix: 'correct its syntax' } };
  }
  if (!isJsonObject(config)) return { ...base, ...unread, dockerfileOff: { reason: 'the file does not hold a JSON object', fix: 'write the configuration as an object' } };
  const presets = strings(config.extends);
  const dockerfile = isJsonObject(config.dockerfile) ? config.dockerfile : undefined;
  const dockerfileOff = renovateDockerfileOff(config, presets, dockerfile);
  return {
    ...base,
    ...(dockerfileOff === undefined ? {} : { dockerfileOff }),
    ...renovateIgnorePaths(config, presets),
    includePaths: strings(config.includePaths),
    // `fileMatch` (regular expressions, before Renovate 40) and `managerFilePatterns` (`/regex/` or a glob) both add to the defaults.
    extraFilePatterns: [...strings(dockerfile?.fileMatch).map((pattern) => `/${pattern}/`), ...strings(dockerfile?.managerFilePatterns)],
  };
}

/** The config's own `ignorePaths` replaces the presets'; a later preset's replaces an earlier one's. */
function renovateIgnorePaths(config: Json, presets: readonly string[]): { ignorePaths: string[]; ignorePathsFrom: string } {
  if (Array.isArray(config.ignorePaths)) return { ignorePaths: strings(config.ignorePaths), ignorePathsFrom: 'the config' };
  const preset = [...presets].reverse().find((name) => PRESET_IGNORE_PATHS.has(name));
  const fromPreset = preset === undefined ? undefined : PRESET_IGNORE_PATHS.get(preset);
  return fromPreset === undefined || preset === undefined
    ? { ignorePaths: [...RENOVATE_DEFAULT_IGNORE_PATHS], ignorePathsFrom: "Renovate's default" }
    : { ignorePaths: [...fromPreset], ignorePathsFrom: `the "${preset}" preset` };
}

/** Why the dockerfile manager extracts nothing under this config, and what turns it on; undefined when it runs. */
function renovateDockerfileOff(config: Json, presets: readonly string[], dockerfile: Json | undefined): RenovateFact['dockerfileOff'] {
  if (config.enabled === false) return { reason: '"enabled": false turns Renovate off for the repository', fix: 'remove "enabled": false' };
  const managers = strings(config.enabledManagers);
  if (Array.isArray(config.enabledManagers) && managers.length > 0 && !managers.includes('dockerfile')) {
    return { reason: '"enabledManagers" does not list "dockerfile"', fix: 'add "dockerfile" to "enabledManagers"' };
  }
  if (dockerfile?.enabled === false) return { reason: '"dockerfile": {"enabled": false} turns the dockerfile manager off', fix: 'remove "enabled": false from "dockerfile"' };
  if (presets.includes('docker:disable') && dockerfile?.enabled !== true) {
    return { reason: 'the "docker:disable" preset turns the dockerfile manager off', fix: 'remove "docker:disable" from "extends" (or set "dockerfile": {"enabled": true})' };
  }
  for (const rule of Array.isArray(config.packageRules) ? config.packageRules : []) {
    if (!isJsonObject(rule) || rule.enabled !== false) continue;
    // Only a rule that matches every dockerfile dependency (by manager alone) switches the manager off.
    const conditions = Object.keys(rule).filter((key) => key.startsWith('match') || key.startsWith('exclude'));
    if (conditions.length === 1 && conditions[0] === 'matchManagers' && strings(rule.matchManagers).includes('dockerfile')) {
      return { reason: 'a "packageRules" entry matching the dockerfile manager sets "enabled": false', fix: 'remove that entry or narrow what it matches' };
    }
  }
  return undefined;
}
