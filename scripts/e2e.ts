/**
 * `npm run test:e2e`: the packaged extension in a real VS Code, offline and headless
 * (../shared/E2E.md): code-server 4.100.3 (VS Code 1.100.3's server and workbench, a real
 * extension host) driven by Debian's Chromium through playwright-core.
 *
 * 1. scripts/e2e-setup.sh installs what is missing (apt packages when root, code-server into .e2e/);
 * 2. the .vsix is built, packaged, checked and unpacked;
 * 3. the Mocha suites in test/e2e run inside the extension host (the @vscode/test-electron
 *    format; the exit code comes back through `window.codeAutomationExit`);
 * 4. a second window checks what the API cannot show (squiggles, the light bulb, the status
 *    bar, the Problems view, the output) and saves screenshots in .e2e/screenshots.
 *
 * Environment: E2E_PORT (default: the first free port from 18123), E2E_TIMEOUT_MS (in-host suites,
 * default 10 minutes), SHIPSHAPE_E2E_GREP (only suites and tests matching it), CHROMIUM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { E2E_DIR, packageAndUnpack, prepareWorkspace, readResults, RESULTS_FILE, run, SUITES, summarise, type Check } from './e2e-common';
import { workbenchChecks } from './e2e-ui';

const CODE_SERVER = join(E2E_DIR, 'cs', 'node_modules', '.bin', 'code-server');
/** Set by `main` once a free port is found: E2E_PORT, or the first free one from 18123 on. */
let PORT = 0;
let BASE = '';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const IN_HOST_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 600_000);

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * The workbench URL that opens `folder` and runs the suites in its extension host. code-server
 * has no --extensionDevelopmentPath flag: both paths travel in the URL's payload.
 */
function testWorkbenchUrl(folder: string, extension: string, suites: string): string {
  const remote = (path: string): string => `vscode-remote://127.0.0.1:${PORT}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extension)], ['extensionTestsPath', remote(suites)], ['skipWelcome', 'true']];
  return `${BASE}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function codeServerEnv(home: string): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: join(home, 'xdg'), XDG_DATA_HOME: join(home, 'xdg'), EXTENSIONS_GALLERY: '{}', SHIPSHAPE_E2E_RESULTS: RESULTS_FILE };
}

function codeServerDirs(home: string): string[] {
  return ['--user-data-dir', join(home, 'udd'), '--extensions-dir', join(home, 'extensions')];
}

/**
 * code-server in its own process group (its file watcher is a child that must go with it), with
 * the .vsix installed as a user installs it: the workbench checks use that installation.
 */
function startCodeServer(home: string, vsix: string): ChildProcess {
  if (!run(CODE_SERVER, [...codeServerDirs(home), '--install-extension', vsix], { env: codeServerEnv(home) })) throw new Error('code-server could not install the .vsix');
  mkdirSync(join(home, 'udd', 'User'), { recursive: true });
  writeFileSync(
    join(home, 'udd', 'User', 'settings.json'),
    JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.enableExperiments': false,
      'workbench.tips.enabled': false,
      // VS Code for the Web saves after a delay by default; the desktop (and @vscode/test-electron) does not.
      'files.autoSave': 'off',
      // Quieter screenshots: no offer to open the repository around .e2e, no sticky headers.
      'git.openRepositoryInParentFolders': 'never',
      'editor.stickyScroll.enabled': false,
      'editor.minimap.enabled': false,
    }),
  );
  const log = openSync(join(home, 'server.log'), 'w');
  return spawn(
    CODE_SERVER,
    ['--bind-addr', `127.0.0.1:${PORT}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', ...codeServerDirs(home)],
    { detached: true, stdio: ['ignore', log, log], env: codeServerEnv(home) },
  );
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Another run (a second worktree, a CI job) may hold the port, and its server would answer our
 * health check: an E2E_PORT that is taken is an error, and without one the next free port is used.
 */
async function choosePort(): Promise<number> {
  const wanted = process.env.E2E_PORT;
  if (wanted !== undefined) {
    if (!(await isFree(Number(wanted)))) throw new Error(`E2E_PORT ${wanted} is in use; pick another one`);
    return Number(wanted);
  }
  for (let port = 18123; port < 18223; port++) if (await isFree(port)) return port;
  throw new Error('no free port between 18123 and 18222; set E2E_PORT');
}

async function waitForServer(home: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error(`code-server did not start on port ${PORT}; its log: ${join(home, 'server.log')}`);
    await sleep(100);
  }
}

/** The Mocha suites inside the extension host; resolves with the workbench's exit code. */
async function runInHost(browser: Browser, extension: string, folder: string): Promise<number | 'timeout'> {
  const page = await browser.newPage();
  const exited = new Promise<number>((done) => void page.exposeFunction('codeAutomationExit', (code: number) => done(code)));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => (type === 'error' ? console.error : console.log)(...args));
  await page.goto(testWorkbenchUrl(folder, extension, SUITES));
  const code = await Promise.race([exited, sleep(IN_HOST_TIMEOUT_MS).then(() => 'timeout' as const)]);
  await page.close();
  return code;
}

async function main(): Promise<number> {
  if (process.env.SHIPSHAPE_E2E_SKIP_SETUP !== '1' && !run('bash', ['scripts/e2e-setup.sh'])) {
    console.error('e2e: the setup failed (see above); nothing was tested.');
    writeFileSync(join(E2E_DIR, 'summary.json'), JSON.stringify({ passed: 0, failed: 1 }));
    console.log('e2e: 0 passed, 1 failed');
    return 1;
  }
  const checks: Check[] = [];
  const packaged = packageAndUnpack();
  checks.push(packaged.check);
  const suitesWorkspace = prepareWorkspace('ws');
  const uiWorkspace = prepareWorkspace('ws-ui');
  rmSync(RESULTS_FILE, { force: true });
  const home = mkdtempSync(join(tmpdir(), 'shipshape-e2e-'));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    PORT = await choosePort();
    BASE = `http://127.0.0.1:${PORT}`;
    server = startCodeServer(home, packaged.vsix);
    await waitForServer(home);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const exitCode = await runInHost(browser, packaged.extension, suitesWorkspace);
    console.log(`e2e: the in-host suites finished with exit code ${exitCode}`);
    checks.push(...(await workbenchChecks(browser, `${BASE}/?folder=${encodeURIComponent(uiWorkspace)}`, uiWorkspace, join(home, 'udd', 'logs'))));
  } catch (cause) {
    checks.push({ name: 'the end-to-end run', ok: false, detail: cause instanceof Error ? (cause.stack ?? cause.message) : String(cause) });
    try {
      console.error(readFileSync(join(home, 'server.log'), 'utf8').split('\n').slice(-40).join('\n'));
    } catch {
      // no log to show
    }
  } finally {
    await browser?.close();
    if (server?.pid !== undefined) {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(home, { recursive: true, force: true });
  }
  return summarise(readResults(), checks);
}

if (require.main === module) {
  void main().then(
    (code) => process.exit(code),
    (cause: unknown) => {
      console.error(cause);
      process.exit(1);
    },
  );
}
