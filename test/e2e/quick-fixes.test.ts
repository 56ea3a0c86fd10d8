/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, openAndDiagnose, ruleOf, shipshapeDiagnostics, waitFor, writeFile } from './helpers';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      hostNetwork: true
      containers:
        - name: api   # the API server
          image: ghcr.io/acme/api:1.4.2
          securityContext:
            privileged: true
            capabilities:
              add: ["NET_ADMIN"]
`;

/** Quick fixes under a diagnostic, with lazily computed edits (Harden container) resolved. */
async function actionsAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value, 100);
}

async function applyAction(uri: vscode.Uri, rule: string, title: string): Promise<void> {
  const diagnostic = shipshapeDiagnostics(uri).find((d) => ruleOf(d) === rule);
  assert.ok(diagnostic, `a ${rule} diagnostic`);
  const actions = await actionsAt(uri, diagnostic.range);
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(action?.edit, `"${title}" among ${actions.map((a) => a.title).join(', ')}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}

async function untilGone(uri: vscode.Uri, rule: string): Promise<void> {
  await waitFor(`${rule} to go`, () => !shipshapeDiagnostics(uri).some((d) => ruleOf(d) === rule));
}

suite('Quick fixes', () => {
  let uri: vscode.Uri;
  setup(async () => {
    uri = await writeFile('fixes/api.yaml', DEPLOYMENT);
    await openAndDiagnose('fixes/api.yaml', 5);
  });
  teardown(closeAll);

  test("the rule's quick fix edits only the value and clears the finding", async () => {
    await applyAction(uri, 'privileged-container', 'Set privileged: false');
    await untilGone(uri, 'privileged-container');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.equal(text, DEPLOYMENT.replace('privileged: true', 'privileged: false'));
  });

  test('Ignore <id> for this line writes the comment above it', async () => {
    await applyAction(uri, 'host-network', 'Ignore host-network for this line');
    await untilGone(uri, 'host-network');
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /\n {6}# shipshape-ignore host-network\n {6}hostNetwork: true\n/);
  });

  test('Ignore <id> for this file writes the comment on top', async () => {
    await applyAction(uri, 'dangerous-capabilities', 'Ignore dangerous-capabilities for this file');
    await untilGone(uri, 'dangerous-capabilities');
    assert.ok(vscode.window.activeTextEditor?.document.getText().startsWith('# shipshape-ignore-file dangerous-capabilities\n'));
  });

  test('one action per distinct edit: NET_ADMIN is removed by one action for both rules', async () => {
    const flagged = shipshapeDiagnostics(uri).filter((d) => d.range.start.line === 18);
    assert.deepEqual(flagged.map(ruleOf).sort(), ['capabilities-not-dropped', 'dangerous-capabilities']);
    const actions = await actionsAt(uri, flagged[0]?.range ?? new vscode.Range(0, 0, 0, 0));
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Remove')).map((a) => a.title), ['Remove capability NET_ADMIN']);
    const titles = actions.map((a) => a.title);
    assert.equal(new Set(titles).size, titles.length, `no title twice: ${titles.join(', ')}`);
  });

  test('Harden container clears every finding it covers for the container', async () => {
    await applyAction(uri, 'privilege-escalation-allowed', 'Harden container');
    const hardened = ['privileged-container', 'privilege-escalation-allowed', 'capabilities-not-dropped', 'run-as-non-root-unset', 'seccomp-profile-missing', 'read-only-root-filesystem'];
    await waitFor('the hardened container to be clean', () => !shipshapeDiagnostics(uri).some((d) => hardened.includes(ruleOf(d))));
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /- name: api {3}# the API server\n/, 'the comment survives');
    assert.match(text, /allowPrivilegeEscalation: false/);
  });
});

suite('Fix all on save', () => {
  const editorSettings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('editor');
  suiteSetup(() => editorSettings().update('codeActionsOnSave', { 'source.fixAll.shipshape': 'explicit' }, vscode.ConfigurationTarget.Workspace));
  suiteTeardown(() => editorSettings().update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace));
  teardown(closeAll);

  test('saving applies the safe fixes and only those', async () => {
    const uri = await writeFile('fixes/on-save.yaml', DEPLOYMENT);
    const { editor } = await openAndDiagnose('fixes/on-save.yaml', 5);
    assert.ok(shipshapeDiagnostics(uri).some((d) => ruleOf(d) === 'automount-service-account-token'));
    await editor.edit((edit) => edit.insert(new vscode.Position(3, 11), '-v2'));
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor('the safe fix on save', () => editor.document.getText().includes('automountServiceAccountToken: false') && !editor.document.isDirty);
    const text = editor.document.getText();
    assert.match(text, /name: api-v2\n/);
    assert.match(text, /privileged: true/, 'a fix that changes what the app can do is never applied on save');
    await untilGone(uri, 'automount-service-account-token');
  });
});
