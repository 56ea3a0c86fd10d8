/** What the end-to-end suites share: workspace files, waiting for the server, reading diagnostics. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as vscode from 'vscode';

/** The repository the tests were built in (out/test/e2e → the root): the CLI to compare with lives there. */
export const REPOSITORY = resolve(__dirname, '..', '..', '..');

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Polls until `probe` returns something truthy (diagnostics arrive asynchronously: the server
 * publishes, then VS Code delivers them after its own short delay).
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (cause) {
      last = cause;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

export function shipshapeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'shipshape');
}

/** The rule id of a diagnostic (its `code` is `{ value, target }`: the id and the page link). */
export function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** `rule@line:col` (1-based, as the editor and the CLI show them). */
export function where(diagnostic: vscode.Diagnostic): string {
  return `${ruleOf(diagnostic)}@${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}`;
}

export async function openFile(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(document);
}

/** Opens the file and waits for its first diagnostics. */
export async function openAndDiagnose(relative: string, atLeast = 1): Promise<{ editor: vscode.TextEditor; diagnostics: vscode.Diagnostic[] }> {
  const editor = await openFile(relative);
  const diagnostics = await waitFor(`at least ${atLeast} diagnostics of ${relative}`, () => {
    const found = shipshapeDiagnostics(editor.document.uri);
    if (found.length >= atLeast) return found;
    // Thrown, not returned: the timeout message then says what the server did publish.
    throw new Error(`${found.length} so far: ${found.map(where).sort().join(', ')}`);
  });
  return { editor, diagnostics };
}

export async function writeFile(relative: string, text: string): Promise<vscode.Uri> {
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

export async function readFile(relative: string): Promise<string> {
  return Buffer.from(await vscode.workspace.fs.readFile(workspaceUri(relative))).toString('utf8');
}

/** Reverts and closes every editor, so the next test starts from the files on disk. */
export async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export interface CliFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** What the CLI (`shipshape scan --format json`) reports for the same file on disk. */
export function cliFindings(relative: string, extraArgs: string[] = []): CliFinding[] {
  const path = workspaceUri(relative).fsPath;
  const output = execFileSync(process.execPath, [resolve(REPOSITORY, 'server', 'out', 'cli.js'), 'scan', path, '--format', 'json', '--fail-on', 'none', ...extraArgs], {
    encoding: 'utf8',
    // Run where a user would, at the workspace root: from anywhere else (the extension host's
    // cwd is the repository) the CLI's workspace is that folder, with other namespaces in it.
    cwd: workspaceUri('.').fsPath,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const report = JSON.parse(output) as { files: Array<{ findings: CliFinding[] }> };
  return report.files.flatMap((file) => file.findings);
}

const SEVERITIES = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };

/** A CLI finding in the diagnostics' terms: rule, severity, 0-based range, message. */
export function asDiagnosticSummary(finding: CliFinding): string {
  const { start, end } = finding.range;
  return `${finding.ruleId} ${SEVERITIES[finding.severity]} ${start.line - 1}:${start.column - 1}-${end.line - 1}:${end.column - 1} ${finding.message}`;
}

export function diagnosticSummary(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${ruleOf(diagnostic)} ${diagnostic.severity} ${start.line}:${start.character}-${end.line}:${end.character} ${diagnostic.message}`;
}

export function sortedSummaries(summaries: string[]): string[] {
  return [...summaries].sort();
}
