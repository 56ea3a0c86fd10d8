import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { YAMLMap } from 'yaml';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { YamlEditor, type YamlValue } from '../../server/src/engine/fix/yaml-edits';
import { parseYamlSection } from '../../server/src/engine/parse/yaml';
import { YamlView } from '../../server/src/engine/source/yaml-view';

const SECRET_REF: YamlValue = { secretKeyRef: { name: 'web-secrets', key: 'db-password' } };

/** Replaces `value` in the first item of the root's `env` list with `valueFrom`. */
function replaceEnvValue(text: string): { text: string; refused: string | undefined } {
  const view = new YamlView(parseYamlSection(text), text);
  const root = view.asMap(view.root);
  const env = view.items(view.getSeq(root, 'env'))[0];
  const item: YAMLMap | undefined = view.asMap(env?.node);
  const field = view.field(item, 'value');
  assert.ok(item && env && field, 'fixture must have env[0].value');
  const editor = new YamlEditor(text, view);
  editor.replaceField(field, { map: item, editable: env.editable }, 'valueFrom', SECRET_REF);
  return { text: applyEdits(text, editor.edits), refused: editor.refused };
}

describe('YamlEditor.replaceField', () => {
  it('replaces a block pair in place, at the key indent, keeping neighbours and comments', () => {
    const input = ['metadata:', '  name: x', 'env:', '  - name: DB_PASSWORD # db', '    value: hunter2', '  - name: MODE', '    value: "prod"', ''].join('\n');
    const expected = [
      'metadata:',
      '  name: x',
      'env:',
      '  - name: DB_PASSWORD # db',
      '    valueFrom:',
      '      secretKeyRef:',
      '        name: web-secrets',
      '        key: db-password',
      '  - name: MODE',
      '    value: "prod"',
      '',
    ].join('\n');
    assert.deepEqual(replaceEnvValue(input), { text: expected, refused: undefined });
  });

  it('keeps the key order when the replaced key comes first, and CRLF line endings', () => {
    const input = ['metadata:\r', '  name: x\r', 'env:\r', '  - value: hunter2\r', '    name: DB_PASSWORD\r', ''].join('\n');
    const expected = [
      'metadata:\r',
      '  name: x\r',
      'env:\r',
      '  - valueFrom:\r',
      '      secretKeyRef:\r',
      '        name: web-secrets\r',
      '        key: db-password\r',
      '    name: DB_PASSWORD\r',
      '',
    ].join('\n');
    assert.equal(replaceEnvValue(input).text, expected);
  });

  it('replaces a block scalar value up to its end', () => {
    const input = ['env:', '  - name: KEY', '    value: |', '      line one', '      line two', '  - name: B', ''].join('\n');
    const expected = ['env:', '  - name: KEY', '    valueFrom:', '      secretKeyRef:', '        name: web-secrets', '        key: db-password', '  - name: B', ''].join('\n');
    assert.equal(replaceEnvValue(input).text, expected);
  });

  it('writes inline in a flow map', () => {
    const input = 'env:\n  - {name: DB_PASSWORD, value: "hunter2"}\n';
    const expected = 'env:\n  - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: web-secrets, key: db-password}}}\n';
    assert.equal(replaceEnvValue(input).text, expected);
  });

  it('refuses a value that carries an anchor, which aliases elsewhere may use', () => {
    const input = 'env:\n  - name: DB_PASSWORD\n    value: &pw hunter2\n  - name: COPY\n    value: *pw\n';
    const result = replaceEnvValue(input);
    assert.equal(result.text, input);
    assert.match(result.refused ?? '', /anchor/);
  });

  it('refuses a pair whose value is an alias', () => {
    const input = 'shared: &pw hunter2\nenv:\n  - name: DB_PASSWORD\n    value: *pw\n';
    const result = replaceEnvValue(input);
    assert.equal(result.text, input);
    assert.match(result.refused ?? '', /alias/);
  });
});
