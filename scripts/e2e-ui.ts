/**
 * What the extension API cannot show, checked in the workbench itself: squiggles, the light
 * bulb's titles, the status bar, the Problems view after a scan, the output. Each check saves a
 * screenshot in .e2e/screenshots; `npm run docs:images` copies the README's into docs/images.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { E2E_DIR, type Check } from './e2e-common';

export const SCREENSHOTS = join(E2E_DIR, 'screenshots');

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Runs one check; a failed one leaves a screenshot of the moment (failed-<n>.png). */
async function check(page: Page, checks: Check[], name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    checks.push({ name, ok: true });
  } catch (cause) {
    const shot = `failed-${checks.length + 1}.png`;
    await page.screenshot({ path: join(SCREENSHOTS, shot) }).catch(() => undefined);
    checks.push({ name, ok: false, detail: `${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)} (screenshot ${shot})` });
  }
}

/** Runs a command from the command palette by its exact title (the palette matches loosely). */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  await sleep(200);
  const labels = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  const index = labels.findIndex((label) => label.trim() === title);
  if (index < 0) throw new Error(`no command "${title}" in the palette (${labels.join(' | ')})`);
  for (let step = 0; step < index; step++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

async function openFile(page: Page, path: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(path);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.split('/').at(-1) ?? path }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

/** The Shipshape output's log files under code-server's logs folder (a log channel is written to a file). */
function shipshapeLogs(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return shipshapeLogs(path);
    return name === 'Shipshape.log' ? [readFileSync(path, 'utf8')] : [];
  });
}

export async function workbenchChecks(browser: Browser, url: string, folder: string, logsFolder: string): Promise<Check[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A trace that the protocol log must show (shipshape.trace.server), set as a user would.
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'shipshape.trace.server': 'messages', 'workbench.colorTheme': 'Default Light Modern' }));
  const checks: Check[] = [];
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  try {
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await sleep(1000);

    await check(page, checks, 'squiggles appear, a hover explains one and its link opens the rendered rule page', async () => {
      await openFile(page, 'kubernetes/insecure/deployment.yaml');
      await page.locator('.monaco-editor .squiggly-error').nth(2).waitFor({ timeout: 20_000 });
      await page.locator('.view-line', { hasText: 'privileged: true' }).locator('span', { hasText: /^true$/ }).hover();
      const hover = page.locator('.monaco-hover', { hasText: 'Containers must not run privileged' });
      await hover.waitFor({ timeout: 10_000 });
      // The hover's own status line ("Quick Fix...") settles last: wait for it for a steady screenshot.
      await hover.locator('.action', { hasText: 'Quick Fix' }).waitFor({ timeout: 10_000 });
      await screenshot(page, 'squiggles.png');
      await hover.locator('a', { hasText: 'Rule documentation' }).click();
      await page.locator('.tab', { hasText: 'Preview privileged-container.md' }).waitFor({ timeout: 10_000 });
      // The preview is a webview: an iframe holding the page's frame.
      const body = page.frameLocator('iframe.webview').frameLocator('#active-frame').locator('body');
      await body.locator('h1', { hasText: 'privileged-container' }).waitFor({ timeout: 30_000 });
      const rendered = await body.innerText();
      if (!rendered.includes('Why it matters') || rendered.includes('npm run docs')) throw new Error(`the rendered page reads: ${rendered.slice(0, 200)}`);
      await screenshot(page, 'rule-page.png');
      await runCommand(page, 'View: Close Editor');
    });

    await check(page, checks, 'the status bar counts the problems by severity', async () => {
      const item = page.locator('.statusbar-item', { has: page.locator('.codicon-shield') });
      await item.waitFor();
      const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
      const counts = /^(\d+) (\d+) (\d+)$/.exec(text);
      if (!counts || Number(counts[1]) === 0) throw new Error(`status bar shows "${text}"`);
    });

    await check(page, checks, 'the light bulb offers the fix, Harden container and the ignore comments', async () => {
      await goToLine(page, 33, 25);
      await page.keyboard.press('Control+.');
      // Actions only: the menu's group headers are rows too.
      const rows = page.locator('.action-widget .monaco-list-row.action');
      await rows.first().waitFor();
      const titles = (await rows.allInnerTexts()).map((title) => title.trim());
      const wanted = ['Set privileged: false', 'Harden container', 'Ignore privileged-container for this line', 'Ignore privileged-container for this file'];
      if (JSON.stringify(titles) !== JSON.stringify(wanted)) throw new Error(`the menu lists ${titles.join(' | ')}`);
      await screenshot(page, 'quick-fix-menu.png');
      // The first action is focused: Harden container is the next one.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.locator('.view-line', { hasText: 'drop: [ALL]' }).waitFor();
      await page.locator('.view-line', { hasText: 'privileged: false' }).waitFor();
    });

    await check(page, checks, 'Harden container shows as the change against the saved file', async () => {
      await runCommand(page, 'File: Compare Active File with Saved');
      const diff = page.locator('.monaco-diff-editor');
      await diff.waitFor();
      // The saved file on the left, the hardened one on the right, its new lines marked.
      await diff.locator('.line-insert').first().waitFor({ timeout: 10_000 });
      await diff.locator('.editor.modified .view-lines').first().hover();
      await page.mouse.wheel(0, 28 * 19);
      await sleep(600);
      await screenshot(page, 'fix-before-after.png');
      // Back to the file as it was (the editor tab still holds the hardened text).
      await runCommand(page, 'View: Close Editor');
      await runCommand(page, 'File: Revert File');
      await page.locator('.view-line', { hasText: 'privileged: true' }).waitFor();
    });

    await check(page, checks, 'Scan Workspace fills the Problems view and closes its progress', async () => {
      await runCommand(page, 'Shipshape: Scan Workspace');
      const summary = page.locator('.notification-toast', { hasText: 'Shipshape scanned' });
      await summary.waitFor({ timeout: 60_000 });
      await sleep(500);
      if ((await page.locator('.notification-toast', { hasText: 'scanning the workspace' }).count()) > 0) throw new Error('the progress notification stays up');
      const counts = /Problems: (\d+) errors?, (\d+) warnings?, (\d+) infos? in (\d+) files?/.exec(await summary.innerText());
      if (!counts) throw new Error(`summary: ${await summary.innerText()}`);
      await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
      await page.locator('.markers-panel .monaco-list-row').first().waitFor();
      await runCommand(page, 'View: Toggle Maximized Panel');
      await sleep(500);
      const total = Number(counts[1]) + Number(counts[2]) + Number(counts[3]);
      const badge = (await page.locator('.composite-bar .action-item', { hasText: 'Problems' }).first().innerText()).replace(/\s+/g, ' ');
      if (!badge.includes(String(total))) throw new Error(`the summary counts ${total}, the Problems tab shows "${badge}"`);
      await screenshot(page, 'problems-after-scan.png');
      await runCommand(page, 'View: Toggle Maximized Panel');
    });

    await check(page, checks, 'the output logs the version, the scan and, with shipshape.trace.server, the protocol', async () => {
      await runCommand(page, 'Shipshape: Show Output');
      await page.locator('.panel .monaco-editor .view-lines').first().waitFor();
      await screenshot(page, 'output.png');
      const log = shipshapeLogs(logsFolder).join('\n');
      for (const wanted of [/Shipshape \d+\.\d+\.\d+ language server \(Node v/, /Scan done: 13 of 13 files in \d+ ms/, /Sending request 'textDocument\/codeAction/]) {
        if (!wanted.test(log)) throw new Error(`${wanted} is not in the Shipshape output (${log.length} characters)`);
      }
    });
  } finally {
    await page.close();
  }
  return checks;
}
