import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { ListRulesRequest, ScanWorkspaceRequest, type RuleSummary, type ScanWorkspaceParams, type ScanWorkspaceResult } from '../../server/src/protocol';

/** Each command is a request to the server, or a view of what it already logged. */
export function registerCommands(client: LanguageClient, output: vscode.OutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('shipshape.scanWorkspace', () => scanWorkspace(client)),
    vscode.commands.registerCommand('shipshape.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('shipshape.openRuleDocumentation', (ruleId?: string) => openRuleDocumentation(client, ruleId)),
    vscode.commands.registerCommand('shipshape.restartServer', () => client.restart()),
  );
}

let progressTokens = 0;

/** Notification progress fed by the server's `$/progress`, with cancel, then a summary. */
async function scanWorkspace(client: LanguageClient): Promise<ScanWorkspaceResult> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Shipshape: scanning the workspace', cancellable: true },
    async (progress, token) => {
      const workDoneToken = `shipshape-scan-${++progressTokens}`;
      let reported = 0;
      const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const percentage = value.percentage ?? reported;
        progress.report({ increment: percentage - reported, ...(value.message ? { message: value.message } : {}) });
        reported = percentage;
      });
      try {
        const params: ScanWorkspaceParams = { workDoneToken };
        return await client.sendRequest<ScanWorkspaceResult>(ScanWorkspaceRequest.method, params, token);
      } finally {
        listener.dispose();
      }
    },
  );
  const { error, warning, info } = result.findings;
  const summary =
    `Shipshape ${result.cancelled ? 'stopped after' : 'scanned'} ${result.analysed} of ${result.files} files in ${(result.durationMs / 1000).toFixed(1)} s: ` +
    `${error} errors, ${warning} warnings, ${info} infos in ${result.filesWithFindings} files` +
    (result.failures > 0 ? `; ${result.failures} files failed (see the output)` : '.');
  void vscode.window.showInformationMessage(summary, 'Open Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return result;
}

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
