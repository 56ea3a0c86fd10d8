/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, openAndDiagnose, ruleOf, waitFor } from './helpers';

function activeTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.activeTabGroup.activeTab;
}

suite('Rule pages', () => {
  teardown(closeAll);

  test('the link of a diagnostic opens the rule page rendered, without maintainer notes', async () => {
    const { diagnostics } = await openAndDiagnose('kubernetes/insecure/deployment.yaml');
    const diagnostic = diagnostics.find((d) => ruleOf(d) === 'host-network');
    const code = diagnostic?.code;
    assert.ok(code && typeof code === 'object');
    const target = code.target;
    assert.equal(target.scheme, 'command');
    const [ruleId] = JSON.parse(decodeURIComponent(target.query)) as string[];
    await vscode.commands.executeCommand(target.path, ruleId);
    const tab = await waitFor('the Markdown preview', () => {
      const input = activeTab()?.input;
      return input instanceof vscode.TabInputWebview && input.viewType.includes('markdown.preview') && activeTab();
    });
    assert.match(tab.label, /host-network/);
    const page = vscode.Uri.joinPath(vscode.extensions.getExtension('shipshape.shipshape')?.extensionUri ?? vscode.Uri.file('/'), 'server', 'out', 'docs', 'host-network.md');
    const text = Buffer.from(await vscode.workspace.fs.readFile(page)).toString('utf8');
    assert.ok(text.startsWith('# host-network\n'));
    assert.ok(!text.includes('<!--'), 'no maintainer notes in the shipped page');
  });
});
