import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { extractFacts, WorkspaceModel } from '../engine';
import type { ConfigLoader } from './config-loader';
import { discoverFiles } from './discovery';
import { readSourceFile } from './source-files';

/**
 * The workspace model's file feed: every file's facts (namespaces, service accounts, bindings,
 * skaffold and compose builds, Dockerfile stages) read into one model.
 */
export function readWorkspace(paths: Iterable<string>, loader: ConfigLoader): WorkspaceModel {
  const model = new WorkspaceModel();
  for (const path of new Set(paths)) {
    const source = readSourceFile(path, loader.configFor(path).config.maxFileSize);
    if ('text' in source) model.setFacts(path, extractFacts(path, source.text));
  }
  return model;
}

/**
 * The folders whose files the CLI reads facts from when it scans `scanned`: for each, the folder
 * of the config file that governs it, else its repository's root, else the current folder. So a
 * scan of one manifest still sees the Namespace, skaffold and compose files of its workspace.
 */
export function workspaceRoots(scanned: readonly string[], loader: ConfigLoader, cwd: string): string[] {
  const roots = new Set<string>();
  for (const path of scanned) {
    const absolute = resolve(path);
    // The loader searches from a file's folder: a folder is asked about through a name inside it.
    const governing = loader.configFor(isDirectory(absolute) ? join(absolute, '.shipshape-probe') : absolute).file;
    roots.add(governing ? dirname(governing.path) : (repositoryRoot(absolute) ?? resolve(cwd)));
  }
  return [...roots];
}

/** Discovery over the workspace roots, with the same excludes and ignores as the scan. */
export function workspaceFiles(roots: readonly string[], loader: ConfigLoader): string[] {
  return discoverFiles(roots, { isExcluded: (path, directory) => loader.isExcluded(path, directory) });
}

function repositoryRoot(path: string): string | undefined {
  for (let dir = isDirectory(path) ? path : dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
