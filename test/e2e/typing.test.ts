/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAll, openAndDiagnose, ruleOf, shipshapeDiagnostics, waitFor } from './helpers';

suite('Typing a key character by character', () => {
  teardown(closeAll);

  test("the document's other findings stay put; the parse error sits on the typed line only", async () => {
    const { editor, diagnostics } = await openAndDiagnose('kubernetes/insecure/deployment.yaml', 10);
    const uri = editor.document.uri;
    // A new key in the container's securityContext, below `add: [NET_ADMIN, SYS_PTRACE]`.
    const anchor = editor.document.lineAt(35);
    assert.match(anchor.text, /add: \[NET_ADMIN, SYS_PTRACE\]/);
    const moved = diagnostics.map((d) => `${ruleOf(d)}@${d.range.start.line >= 36 ? d.range.start.line + 1 : d.range.start.line}:${d.range.start.character}`).sort();
    const picture = (): string[] =>
      shipshapeDiagnostics(uri)
        .filter((d) => ruleOf(d) !== 'parse-error')
        .map((d) => `${ruleOf(d)}@${d.range.start.line}:${d.range.start.character}`)
        .sort();
    await editor.edit((edit) => edit.insert(anchor.range.end, '\n            '));
    await waitFor('the new line to be analysed', () => JSON.stringify(picture()) === JSON.stringify(moved));
    const key = 'readOnlyRoot';
    for (let typed = 1; typed <= key.length; typed++) {
      await editor.edit((edit) => edit.insert(new vscode.Position(36, 12 + typed - 1), key[typed - 1] ?? ''));
      const error = await waitFor(`the parse error under "${key.slice(0, typed)}"`, () =>
        shipshapeDiagnostics(uri).find((d) => ruleOf(d) === 'parse-error' && d.range.isEqual(new vscode.Range(36, 12, 36, 12 + typed))),
      );
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual(picture(), moved, `after "${key.slice(0, typed)}"`);
      assert.equal(shipshapeDiagnostics(uri).filter((d) => ruleOf(d) === 'parse-error').length, 1);
    }
    await editor.edit((edit) => edit.insert(new vscode.Position(36, 12 + key.length), 'Filesystem: true'));
    await waitFor('the completed key to answer its finding', () => {
      const now = picture();
      return !shipshapeDiagnostics(uri).some((d) => ruleOf(d) === 'parse-error') && !now.some((entry) => entry.startsWith('read-only-root-filesystem@')) && now;
    });
    assert.deepEqual(picture(), moved.filter((entry) => !entry.startsWith('read-only-root-filesystem@')));
  });
});
