/**
 * A fixture folder read as a workspace, the way the CLI reads one: every file's facts (config
 * files included), the updater configurations at its root and the vulnerability reports its
 * config file lists. The folder is copied to a temporary one first, at the same relative path,
 * with a `.git` folder so that it is its own repository root (not this repository's checkout),
 * and every file has the same modification time (reports without a date of their own are dated by it).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceModel } from '../../server/src/engine';
import { ConfigLoader } from '../../server/src/host/config-loader';
import { readUpdaterConfigs, readForFeed, readVulnerabilityReports, workspaceFiles, type ReportsRead } from '../../server/src/host/workspace-feed';

/** Every file of a fixture workspace has this modification time. */
export const FIXTURE_FILE_TIME = new Date('2026-06-14T09:30:00Z');

export interface FixtureWorkspace {
  /** The copy of the fixture directory: case files are relative to it. */
  root: string;
  loader: ConfigLoader;
  model: WorkspaceModel;
  reports: ReportsRead;
  /** Removes the temporary copy. */
  close(): void;
}

/** The workspace folder `name` of a rule's fixture directory. */
export function openFixtureWorkspace(fixtureDir: string, name: string): FixtureWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-fixture-'));
  const workspaceRoot = join(root, name);
  cpSync(join(fixtureDir, name), workspaceRoot, { recursive: true });
  mkdirSync(join(workspaceRoot, '.git'));
  touchAll(root);
  const loader = new ConfigLoader({ roots: [workspaceRoot] });
  const files = workspaceFiles([workspaceRoot], loader);
  const model = new WorkspaceModel();
  for (const path of new Set([...files, ...loader.loadedFiles().map((file) => file.path)])) {
    const { facts } = readForFeed({ path, maxFileSize: loader.configFor(path).config.maxFileSize, facts: true });
    if (facts) model.setFacts(path, facts);
  }
  readUpdaterConfigs([workspaceRoot], model);
  const reports = readVulnerabilityReports(loader.loadedFiles(), model);
  return { root, loader, model, reports, close: () => rmSync(root, { recursive: true, force: true }) };
}

function touchAll(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) touchAll(path);
    utimesSync(path, FIXTURE_FILE_TIME, FIXTURE_FILE_TIME);
  }
}
