/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScanWorkspaceResult } from '../../server/src/protocol';
import { asDiagnosticSummary, cliFindings, closeAll, diagnosticSummary, shipshapeDiagnostics, sortedSummaries, waitFor, workspaceUri } from './helpers';

/** Every Shipshape diagnostic VS Code holds, by severity, and the files that have any. */
function problems(): { counts: { error: number; warning: number; info: number }; files: number } {
  const counts = { error: 0, warning: 0, info: 0 };
  let files = 0;
  for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
    const ours = diagnostics.filter((d) => d.source === 'shipshape');
    if (ours.length > 0) files++;
    for (const d of ours) {
      if (d.severity === vscode.DiagnosticSeverity.Error) counts.error++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
      else counts.info++;
    }
  }
  return { counts, files };
}

const CLOSED = 'kubernetes/insecure/daemonset.yaml';

suite('Scan Workspace and Restart Server', () => {
  suiteSetup(closeAll);

  test('Scan Workspace gives closed files the CLI\'s findings, and its summary agrees with Problems', async () => {
    const closed = workspaceUri(CLOSED);
    assert.deepEqual(shipshapeDiagnostics(closed), [], 'nothing before the scan');
    const result = await vscode.commands.executeCommand<ScanWorkspaceResult>('shipshape.scanWorkspace');
    assert.equal(result.cancelled, false);
    assert.ok(result.files >= 10 && result.analysed === result.files, `${result.analysed} of ${result.files}`);
    const expected = sortedSummaries(cliFindings(CLOSED).map(asDiagnosticSummary));
    await waitFor('the closed file\'s diagnostics', () => shipshapeDiagnostics(closed).length === expected.length);
    assert.deepEqual(sortedSummaries(shipshapeDiagnostics(closed).map(diagnosticSummary)), expected);
    await waitFor('the Problems view to hold what the summary says', () => JSON.stringify(problems()) === JSON.stringify({ counts: result.findings, files: result.filesWithFindings }));
  });

  test('Restart Server keeps the scanned files\' problems', async () => {
    const before = problems();
    assert.ok(before.files >= 10);
    await vscode.commands.executeCommand('shipshape.restartServer');
    await waitFor('the problems of every scanned file again', () => JSON.stringify(problems()) === JSON.stringify(before), 30_000);
    assert.ok(shipshapeDiagnostics(workspaceUri(CLOSED)).length > 0);
  });
});
