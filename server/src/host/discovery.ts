import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';
import { detectFileKind } from '../engine';

/** Our own configuration files are YAML but never manifests. */
export const CONFIG_FILE_NAMES = ['.shipshape.yaml', '.shipshape.yml'];

/** Folders never worth walking: version control and installed dependencies. */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);

interface GitignoreScope {
  dir: string;
  rules: Ignore;
}

export interface DiscoveryOptions {
  /** True for files and folders the governing config's `exclude` globs leave out. */
  isExcluded?: (path: string, isDirectory: boolean) => boolean;
}

/** Turns `exclude` globs (relative to `baseDir`) into a matcher for absolute paths. */
export function excludeMatcher(baseDir: string, globs: readonly string[]): (path: string, isDirectory: boolean) => boolean {
  if (globs.length === 0) return () => false;
  return (path, isDirectory) => {
    const rel = toPosix(relative(baseDir, path));
    if (rel === '' || rel.startsWith('..')) return false;
    // A folder is left out when everything inside it would be (`vendor/**` prunes `vendor`).
    const candidates = isDirectory ? [rel, `${rel}/`, `${rel}/\u0000`] : [rel];
    return globs.some((glob) => candidates.some((candidate) => minimatch(candidate, glob, { dot: true, matchBase: !glob.includes('/') })));
  };
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/**
 * Every Kubernetes YAML/JSON candidate and Dockerfile under the given paths, sorted, skipping
 * `.git`, `node_modules`, what `.gitignore` files ignore and what `exclude` leaves out. A path
 * named explicitly is returned when it is a file, whatever its name or ignore rules say.
 */
export function discoverFiles(paths: readonly string[], options: DiscoveryOptions = {}): string[] {
  const found: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      found.push(path); // reported by the reader as unreadable, with the reason
      continue;
    }
    if (!isDirectory) found.push(path);
    else walk(path, [], options, found);
  }
  return [...new Set(found)].sort();
}

function walk(dir: string, scopes: GitignoreScope[], options: DiscoveryOptions, found: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable folder has nothing we can scan
  }
  const gitignore = readGitignore(dir);
  const active = gitignore ? [...scopes, gitignore] : scopes;
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    // Symbolic links are not followed: they can loop, or lead out of the workspace.
    if (entry.isDirectory()) {
      if (ALWAYS_SKIPPED.has(entry.name) || isIgnored(active, path, true) || options.isExcluded?.(path, true)) continue;
      walk(path, active, options, found);
    } else if (entry.isFile()) {
      if (CONFIG_FILE_NAMES.includes(entry.name) || !detectFileKind(path) || isIgnored(active, path, false) || options.isExcluded?.(path, false)) continue;
      found.push(path);
    }
  }
}

function readGitignore(dir: string): GitignoreScope | undefined {
  try {
    return { dir, rules: ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) };
  } catch {
    return undefined;
  }
}

function isIgnored(scopes: readonly GitignoreScope[], path: string, isDirectory: boolean): boolean {
  return scopes.some((scope) => {
    const rel = toPosix(relative(scope.dir, path));
    return rel !== '' && !rel.startsWith('..') && scope.rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}
