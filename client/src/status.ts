import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification, type ProblemCounts, type StatusParams } from '../../server/src/protocol';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "3 errors, 12 warnings, 5 infos in 4 files", or "no problems". */
export function describeCounts(counts: ProblemCounts, files: number): string {
  if (counts.error + counts.warning + counts.info === 0) return 'no problems';
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')} in ${plural(files, 'file')}`;
}

/** The item's text and tooltip: the counts by severity, with the icons of the Problems view. */
export function describeStatus(status: StatusParams): { text: string; tooltip: string } {
  const { error, warning, info } = status.counts;
  const counts = `$(error) ${error} $(warning) ${warning} $(info) ${info}`;
  const summary = describeCounts(status.counts, status.files);
  if (status.state === 'scanning') {
    return { text: `$(sync~spin) Shipshape ${status.done ?? 0}/${status.total ?? 0}`, tooltip: `Shipshape is scanning the workspace; ${summary} so far.` };
  }
  if (status.state === 'analysing') return { text: `$(sync~spin) ${counts}`, tooltip: `Shipshape is analysing; ${summary}.` };
  return { text: `$(shield) ${counts}`, tooltip: `Shipshape: ${summary}. Click to open the Problems view.` };
}

/** Idle / analysing / scan progress and the counts, as the server reports them. */
export function createStatusItem(client: LanguageClient): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('shipshape.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Shipshape';
  item.command = 'workbench.actions.view.problems';
  const show = (status: StatusParams): void => {
    const { text, tooltip } = describeStatus(status);
    item.text = text;
    item.tooltip = tooltip;
    item.show();
  };
  show({ state: 'idle', counts: { error: 0, warning: 0, info: 0 }, files: 0 });
  const subscription = client.onNotification(StatusNotification.method, show);
  return vscode.Disposable.from(item, subscription);
}
