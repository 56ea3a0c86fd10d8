import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';

function describe(status: StatusParams): { text: string; tooltip: string } {
  const count = `${status.findings} finding${status.findings === 1 ? '' : 's'}`;
  if (status.state === 'scanning') {
    return { text: `$(sync~spin) Shipshape ${status.done ?? 0}/${status.total ?? 0}`, tooltip: `Scanning the workspace; ${count} so far` };
  }
  if (status.state === 'analysing') return { text: '$(sync~spin) Shipshape', tooltip: `Analysing; ${count}` };
  return { text: `$(shield) ${status.findings}`, tooltip: `Shipshape: ${count}. Click to open the Problems view.` };
}

/** Idle / analysing / scan progress and the finding count, as the server reports them. */
export function createStatusItem(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Shipshape';
  item.command = 'workbench.actions.view.problems';
  const show = (status: StatusParams): void => {
    const { text, tooltip } = describe(status);
    item.text = text;
    item.tooltip = tooltip;
    item.show();
  };
  show({ state: 'idle', findings: 0 });
  const subscription = client.onNotification(StatusNotification.method, show);
  return vscode.Disposable.from(item, subscription);
}
