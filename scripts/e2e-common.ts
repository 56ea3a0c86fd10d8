/**
 * What both end-to-end runners share (`scripts/e2e.ts` on code-server, `scripts/e2e-electron.ts`
 * on a downloaded VS Code): the packaged extension, unpacked; the throwaway workspace; the
 * in-host results; the summary line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { vsixProblems, zipEntries } from './package';
import type { E2eResults } from '../test/e2e/index';

export const ROOT = resolve(__dirname, '..');
export const E2E_DIR = join(ROOT, '.e2e');
/** The in-host suites, bundled by the build (esbuild.mjs) from test/e2e. */
export const SUITES = join(ROOT, 'out', 'test', 'e2e');
export const RESULTS_FILE = join(E2E_DIR, 'results.json');
/** Written last: what `npm test` adds to its own count. */
export const SUMMARY_FILE = join(E2E_DIR, 'summary.json');

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): boolean {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: options.env ?? process.env });
  return result.status === 0;
}

/** Builds, packages the .vsix as a user gets it and unpacks it: the tests load exactly that. */
export function packageAndUnpack(): { check: Check; vsix: string; extension: string } {
  const vsix = join(E2E_DIR, 'shipshape.vsix');
  const unpacked = join(E2E_DIR, 'vsix');
  mkdirSync(E2E_DIR, { recursive: true });
  if (!run(process.execPath, ['esbuild.mjs'])) throw new Error('the build failed');
  rmSync(vsix, { force: true });
  if (!run(process.execPath, ['--import', 'tsx', 'scripts/package.ts', '--out', vsix]) && !existsSync(vsix)) throw new Error('packaging failed');
  const problems = vsixProblems(vsix);
  rmSync(unpacked, { recursive: true, force: true });
  for (const entry of zipEntries(readFileSync(vsix))) {
    if (entry.name.endsWith('/')) continue;
    const target = join(unpacked, entry.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.read());
  }
  return {
    check: { name: 'the .vsix is at most 1 MB and ships only what runs', ok: problems.length === 0, detail: problems.join('; ') },
    vsix,
    extension: join(unpacked, 'extension'),
  };
}

/**
 * A fresh copy of the bundled examples (without their .shipshape.yaml, so settings decide) and
 * test/e2e/workspace (a Helm chart): tests edit files, so each run starts from these.
 */
export function prepareWorkspace(name: string): string {
  const folder = join(E2E_DIR, name);
  rmSync(folder, { recursive: true, force: true });
  cpSync(join(ROOT, 'examples', 'kubernetes'), join(folder, 'kubernetes'), { recursive: true });
  cpSync(join(ROOT, 'examples', 'docker'), join(folder, 'docker'), { recursive: true });
  cpSync(join(ROOT, 'test', 'e2e', 'workspace'), folder, { recursive: true });
  return folder;
}

export function readResults(): E2eResults | undefined {
  if (!existsSync(RESULTS_FILE)) return undefined;
  return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as E2eResults;
}

/** Prints the checks and the `N passed, N failed` line, saves the counts, returns the exit code. */
export function summarise(inHost: E2eResults | undefined, checks: readonly Check[]): number {
  for (const check of checks) console.log(`${check.ok ? '  ✔' : '  ✖'} ${check.name}${check.ok || !check.detail ? '' : `: ${check.detail}`}`);
  const passed = (inHost?.passed ?? 0) + checks.filter((check) => check.ok).length;
  // No results file at all means the suites never ran: one failure, not zero.
  const failed = (inHost ? inHost.failed : 1) + checks.filter((check) => !check.ok).length;
  if (!inHost) console.log('  ✖ the in-host suites did not report (see the output above)');
  for (const failure of inHost?.failures ?? []) console.log(`  ✖ ${failure}`);
  writeFileSync(SUMMARY_FILE, JSON.stringify({ passed, failed }));
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
