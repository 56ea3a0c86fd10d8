/// <reference types="mocha" />
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { asDiagnosticSummary, cliFindings, closeAll, diagnosticSummary, openAndDiagnose, ruleOf, sortedSummaries } from './helpers';

suite('Diagnostics on open', () => {
  teardown(closeAll);

  for (const file of ['kubernetes/insecure/deployment.yaml', 'kubernetes/insecure/multi-document.yaml', 'docker/Dockerfile.insecure', 'chart/templates/deployment.yaml']) {
    test(`${file}: the same findings as the CLI, with codes, ranges, severities and messages`, async () => {
      const expected = cliFindings(file);
      assert.ok(expected.length > 0, 'the CLI reports findings for this file');
      const { diagnostics } = await openAndDiagnose(file, expected.length);
      assert.deepEqual(sortedSummaries(diagnostics.map(diagnosticSummary)), sortedSummaries(expected.map(asDiagnosticSummary)));
    });
  }

  test('each diagnostic links its rule page', async () => {
    const { diagnostics } = await openAndDiagnose('kubernetes/insecure/deployment.yaml');
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code;
      assert.ok(typeof code === 'object', 'the code carries a link');
      assert.equal(code.value, ruleOf(diagnostic));
      assert.match(code.target.toString(true), new RegExp(`shipshape\\.openRuleDocumentation.*${ruleOf(diagnostic)}`));
    }
  });

  test('hover explains the finding and links the rendered rule page', async () => {
    const { editor, diagnostics } = await openAndDiagnose('kubernetes/insecure/deployment.yaml');
    const privileged = diagnostics.find((d) => ruleOf(d) === 'privileged-container');
    assert.ok(privileged);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, privileged.range.start);
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /\*\*Containers must not run privileged\*\* \(`privileged-container`\)/);
    assert.match(text, /\[Rule documentation\]\(command:shipshape\.openRuleDocumentation\?/);
  });
});
