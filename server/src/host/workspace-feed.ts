import { statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
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
 * of the config file that governs it, else the current folder when the path is inside it, else
 * the scanned folder itself. So a scan of one manifest still sees the Namespace, skaffold and
 * compose files of its workspace.
 */
export function workspaceRoots(scanned: readonly string[], loader: ConfigLoader, cwd: string): string[] {
  const roots = new Set<string>();
  const current = resolve(cwd);
  for (const path of scanned) {
    const absolute = resolve(path);
    const directory = isDirectory(absolute);
    // The loader searches from a file's folder: a folder is asked about through a name inside it.
    const governing = loader.configFor(directory ? join(absolute, '.shipshape-probe') : absolute).file;
    if (governing) roots.add(dirname(governing.path));
    else if (absolute === current || absolute.startsWith(current.endsWith(sep) ? current : `${current}${sep}`)) roots.add(current);
    else roots.add(directory ? absolute : dirname(absolute));
  }
  return [...roots];
}

/** Discovery over the workspace roots, with the same excludes and ignores as the scan. */
export function workspaceFiles(roots: readonly string[], loader: ConfigLoader): string[] {
  return discoverFiles(roots, { isExcluded: (path, directory) => loader.isExcluded(path, directory) });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
