import * as vscode from 'vscode';
import { State, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { ListRulesRequest, ScanWorkspaceRequest, type RuleSummary, type ScanWorkspaceParams, type ScanWorkspaceResult } from '../../server/src/protocol';
import { OPEN_RULE_DOCUMENTATION } from './rule-links';
import { describeCounts } from './status';

/** Each command is a request to the server, or a view of what it already logged. */
export function registerCommands(client: LanguageClient, output: vscode.OutputChannel, extensionUri: vscode.Uri): vscode.Disposable {
  const scans = new WorkspaceScans(client);
  return vscode.Disposable.from(
    scans,
    vscode.commands.registerCommand('shipshape.scanWorkspace', () => scans.run()),
    vscode.commands.registerCommand('shipshape.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(OPEN_RULE_DOCUMENTATION, (ruleId?: string) => openRuleDocumentation(client, ruleId)),
    vscode.commands.registerCommand('shipshape.restartServer', () => client.restart()),
    vscode.commands.registerCommand('shipshape.openExample', () => openExample(extensionUri)),
  );
}

let progressTokens = 0;

/**
 * "Scan Workspace", and its quiet repeat whenever the server starts again (Restart Server, or a
 * crash): a new server knows nothing of the files a scan found closed, and their problems would
 * vanish from the Problems view.
 */
class WorkspaceScans implements vscode.Disposable {
  private scanned = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: LanguageClient) {
    this.subscription = client.onDidChangeState(({ oldState, newState }) => {
      if (this.scanned && oldState === State.Starting && newState === State.Running) void this.rescan();
    });
  }

  /** Notification progress fed by the server's `$/progress`, with cancel, then a summary. */
  async run(): Promise<ScanWorkspaceResult> {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Shipshape: scanning the workspace', cancellable: true },
      (progress, token) => this.request(token, (message, increment) => progress.report({ message, increment })),
    );
    this.scanned ||= !result.cancelled;
    const summary =
      `Shipshape ${result.cancelled ? 'stopped after' : 'scanned'} ${result.analysed} of ${result.files} files in ${(result.durationMs / 1000).toFixed(1)} s. ` +
      `Problems: ${describeCounts(result.findings, result.filesWithFindings)}` +
      (result.failures > 0 ? `; ${result.failures} files failed (see the output).` : '.');
    void vscode.window.showInformationMessage(summary, 'Open Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return result;
  }

  private async rescan(): Promise<void> {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Shipshape: scanning' }, () =>
      this.request(new vscode.CancellationTokenSource().token, () => undefined),
    );
  }

  private async request(token: vscode.CancellationToken, report: (message: string | undefined, increment: number) => void): Promise<ScanWorkspaceResult> {
    const workDoneToken = `shipshape-scan-${++progressTokens}`;
    let reported = 0;
    const listener = this.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
      if (value.kind === 'end') return;
      const percentage = value.percentage ?? reported;
      report(value.message, percentage - reported);
      reported = percentage;
    });
    try {
      const params: ScanWorkspaceParams = { workDoneToken };
      return await this.client.sendRequest<ScanWorkspaceResult>(ScanWorkspaceRequest.method, params, token);
    } finally {
      listener.dispose();
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** The rule's page, rendered (the Markdown preview), beside the editor that linked it. */
async function openRuleDocumentation(client: LanguageClient, ruleId?: string): Promise<void> {
  const rules = await client.sendRequest<RuleSummary[]>(ListRulesRequest.method);
  const rule =
    rules.find((candidate) => candidate.id === ruleId) ??
    (await vscode.window.showQuickPick(
      rules.map((candidate) => ({ label: candidate.id, description: candidate.title, rule: candidate })),
      { placeHolder: 'Which rule?', matchOnDescription: true },
    ))?.rule;
  if (rule) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.parse(rule.documentationUri));
}

/** An untitled copy of the bundled insecure example, to try the quick fixes on (the walkthrough's first step). */
async function openExample(extensionUri: vscode.Uri): Promise<void> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'walkthrough', 'example-deployment.yaml'));
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: Buffer.from(bytes).toString('utf8') });
  await vscode.window.showTextDocument(document);
}
