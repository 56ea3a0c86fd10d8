/**
 * `npm run test:e2e:electron`: the same in-host suites as `npm run test:e2e`, in a desktop VS Code
 * that @vscode/test-electron downloads (update.code.visualstudio.com: not reachable on an offline
 * machine, where `npm run test:e2e` on code-server is the route). The packaged .vsix, unpacked,
 * is the extension under test, in a fresh copy of the workspace; on Linux without a display,
 * run it under `xvfb-run -a`.
 *
 * Environment: VSCODE_VERSION (default 1.100.3, the version code-server 4.100.3 embeds),
 * SHIPSHAPE_E2E_GREP.
 */
import { rmSync } from 'node:fs';
import { runTests } from '@vscode/test-electron';
import { packageAndUnpack, prepareWorkspace, readResults, RESULTS_FILE, SUITES, summarise } from './e2e-common';

async function main(): Promise<number> {
  const packaged = packageAndUnpack();
  const workspace = prepareWorkspace('ws-electron');
  rmSync(RESULTS_FILE, { force: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: packaged.extension,
      extensionTestsPath: SUITES,
      extensionTestsEnv: { SHIPSHAPE_E2E_RESULTS: RESULTS_FILE, ...(process.env.SHIPSHAPE_E2E_GREP ? { SHIPSHAPE_E2E_GREP: process.env.SHIPSHAPE_E2E_GREP } : {}) },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (cause) {
    // A failing suite rejects too; the results file tells which. Without one, the run itself failed.
    console.error(cause instanceof Error ? cause.message : String(cause));
  }
  return summarise(readResults(), [packaged.check]);
}

void main().then(
  (code) => process.exit(code),
  (cause: unknown) => {
    console.error(cause);
    process.exit(1);
  },
);
