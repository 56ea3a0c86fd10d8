/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, openAndDiagnose, openFile, ruleOf, shipshapeDiagnostics, waitFor, workspaceUri, writeFile } from './helpers';

const has = (uri: vscode.Uri, rule: string): boolean => shipshapeDiagnostics(uri).some((d) => ruleOf(d) === rule);

suite('Settings and .shipshape.yaml', () => {
  const shipshape = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('shipshape');
  teardown(async () => {
    await shipshape().update('profile', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAll();
  });

  test('a profile change in settings re-analyses open files', async () => {
    const { editor } = await openAndDiagnose('kubernetes/insecure/deployment.yaml');
    const uri = editor.document.uri;
    assert.ok(!has(uri, 'image-not-pinned'), 'a strict-only rule is off under recommended');
    await shipshape().update('profile', 'strict', vscode.ConfigurationTarget.Workspace);
    await waitFor('image-not-pinned under strict', () => has(uri, 'image-not-pinned'));
    await shipshape().update('profile', 'baseline', vscode.ConfigurationTarget.Workspace);
    await waitFor('baseline to drop restricted rules', () => !has(uri, 'image-not-pinned') && !has(uri, 'privilege-escalation-allowed') && has(uri, 'privileged-container'));
  });

  test('editing .shipshape.yaml re-analyses the files it governs, and shows its own mistakes', async () => {
    const config = await writeFile('configured/.shipshape.yaml', 'profile: baseline\n');
    const pod = await writeFile('configured/pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  hostPID: true\n  containers:\n    - name: c\n      image: busybox:1.36\n');
    await openAndDiagnose('configured/pod.yaml', 2);
    await waitFor('baseline from the config file', () => has(pod, 'host-network') && !has(pod, 'privilege-escalation-allowed'));
    const editor = await openFile('configured/.shipshape.yaml');
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'rules:\n  host-network: "off"\n'));
    await editor.document.save();
    await waitFor('host-network turned off by the config file', () => !has(pod, 'host-network') && has(pod, 'host-pid'));
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'exclde: [vendor/**]\n'));
    const [error] = await waitFor('a config-error on the misspelled key', () => {
      const errors = shipshapeDiagnostics(config).filter((d) => ruleOf(d) === 'config-error');
      return errors.length > 0 && errors;
    });
    assert.equal(error?.range.start.line, 0);
    assert.match(error?.message ?? '', /exclde/);
    assert.equal(workspaceUri('configured/.shipshape.yaml').toString(), config.toString());
  });
});
