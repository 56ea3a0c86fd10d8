/**
 * Whether Dependabot or Renovate watches a Dockerfile, by each tool's documented path rules, and
 * if not, why and what entry would. Paths are relative to the repository root, with `/`.
 */
import { minimatch } from 'minimatch';
import type { DependabotDockerEntry, DependabotFact, RenovateFact } from '../workspace/facts';

/** Renovate's dockerfile manager's default `managerFilePatterns`. */
const RENOVATE_DOCKERFILE_PATTERNS = ['/(^|/|\\.)([Dd]ocker|[Cc]ontainer)file$/', '/(^|/)([Dd]ocker|[Cc]ontainer)file[^/]*$/'];

/** Why a tool does not watch a file and what would make it; undefined when it does. */
export type NotWatched = { reason: string; fix: string } | undefined;

/**
 * Dependabot's docker ecosystem reads the Dockerfiles directly inside each listed directory
 * (`directory: /` is the root only). `directories` may use globs: `*` stays within a path
 * component, `**` crosses them, and a pattern of wildcards alone (`*`, `**`, `**\/*`) covers the
 * root as well (GitHub's docs). `exclude-paths` leaves files and folders out.
 */
export function dependabotWatches(fact: DependabotFact, file: string): NotWatched {
  const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
  const entry = `an entry with \`package-ecosystem: docker\` and \`directory: "/${folder}"\``;
  if (fact.docker.length === 0) return { reason: 'it has no `package-ecosystem: docker` entry', fix: `add ${entry}` };
  const covering = fact.docker.filter((docker) => docker.directories.some((directory) => coversFolder(docker, directory, folder)));
  if (covering.length === 0) return { reason: `no docker entry lists \`/${folder}\``, fix: `add \`"/${folder}"\` to a docker entry's \`directories\`, or add ${entry}` };
  if (covering.every((docker) => isExcluded(docker, file))) return { reason: `the docker entry's \`exclude-paths\` leaves \`${file}\` out`, fix: 'remove the `exclude-paths` pattern that matches it' };
  return undefined;
}

function coversFolder(entry: DependabotDockerEntry, directory: string, folder: string): boolean {
  if (!entry.globs || !/[*?[{]/.test(directory)) return directory === folder;
  if (folder === '') return /^[*/]+$/.test(directory);
  return minimatch(folder, directory, { dot: true });
}

function isExcluded(entry: DependabotDockerEntry, file: string): boolean {
  return entry.excludePaths.some((pattern) => minimatch(file, pattern, { dot: true }) || minimatch(file, `${pattern}/**`, { dot: true }));
}

/**
 * Renovate's file filter (lib/workers/repository/extract/file-match.ts): `includePaths` (exact or
 * glob), then `ignorePaths` (a substring of the path or a glob), then the dockerfile manager's
 * patterns, its defaults plus the config's.
 */
export function renovateWatches(fact: RenovateFact, file: string): NotWatched {
  if (fact.dockerfileOff !== undefined) return fact.dockerfileOff;
  if (fact.includePaths.length > 0 && !fact.includePaths.some((pattern) => file === pattern || minimatch(file, pattern, { dot: true }))) {
    return { reason: `"includePaths" does not list \`${file}\``, fix: `add "${file}" to "includePaths"` };
  }
  const ignoredBy = fact.ignorePaths.find((pattern) => file.includes(pattern) || minimatch(file, pattern, { dot: true }));
  if (ignoredBy !== undefined) {
    return fact.ignorePathsFrom === 'the config'
      ? { reason: `"ignorePaths" leaves it out ("${ignoredBy}")`, fix: `remove "${ignoredBy}" from "ignorePaths"` }
      : { reason: `"ignorePaths" of ${fact.ignorePathsFrom} leaves it out ("${ignoredBy}")`, fix: `set "ignorePaths" to the list without "${ignoredBy}" (the config's own list replaces ${fact.ignorePathsFrom}'s)` };
  }
  if (![...RENOVATE_DOCKERFILE_PATTERNS, ...fact.extraFilePatterns].some((pattern) => matchesFilePattern(file, pattern))) {
    return {
      reason: `the dockerfile manager's file patterns do not match \`${file.slice(file.lastIndexOf('/') + 1)}\``,
      fix: `add "${file}" to "dockerfile": {"managerFilePatterns": [...]}`,
    };
  }
  return undefined;
}

/**
 * A regular expression written `/…/` or a glob, as Renovate matches `managerFilePatterns`. Patterns
 * come from the workspace: an expression that could backtrack for ever (a repeated group that
 * repeats) or that is very long is not run, and counts as no match.
 */
function matchesFilePattern(file: string, pattern: string): boolean {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return minimatch(file, pattern, { dot: true });
  const [, source = '', flags = ''] = regex;
  if (source.length > 300 || /\([^)]*[+*][^)]*\)[+*{]/.test(source)) return false;
  try {
    return new RegExp(source, flags.replace(/[^imsu]/g, '')).test(file);
  } catch {
    return false;
  }
}
