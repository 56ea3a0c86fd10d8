import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { YamlEditor } from '../../server/src/engine/fix/yaml-edits';
import { parseYamlSection } from '../../server/src/engine/parse/yaml';
import { YamlView } from '../../server/src/engine/source/yaml-view';

/** Edits the root map of `text` and returns the result, which must parse. */
function edit(text: string, change: (editor: YamlEditor, view: YamlView) => void): string {
  const view = new YamlView(parseYamlSection(text), text);
  const editor = new YamlEditor(text, view);
  change(editor, view);
  assert.equal(editor.refused, undefined);
  const result = applyEdits(text, editor.edits);
  assert.deepEqual(parseDocument(result).errors, [], result);
  return result;
}

const rootOf = (view: YamlView) => {
  const root = view.asMap(view.root);
  assert.ok(root);
  return { map: root, editable: true };
};

describe('YamlEditor on explicit keys (`? key` / `: value`)', () => {
  const input = 'sc:\n  ? privileged\n  : true\n  ? hostPort\n  : 80\n';
  it('inserts new keys at the column of the `?`', () => {
    const result = edit(input, (editor, view) => editor.setIn(rootOf(view), ['sc', 'readOnlyRootFilesystem'], true));
    assert.equal(result, 'sc:\n  ? privileged\n  : true\n  ? hostPort\n  : 80\n  readOnlyRootFilesystem: true\n');
  });
  it('replaces the value on the `:` line', () => {
    const result = edit(input, (editor, view) => {
      const sc = view.getMap(view.asMap(view.root), 'sc');
      const field = view.field(sc, 'privileged');
      assert.ok(field);
      editor.replaceValue(field, false);
    });
    assert.equal(result, 'sc:\n  ? privileged\n  : false\n  ? hostPort\n  : 80\n');
  });
  it('removes a key with its `?` and `:` lines', () => {
    for (const [key, expected] of [
      ['hostPort', 'sc:\n  ? privileged\n  : true\n'],
      ['privileged', 'sc:\n  ? hostPort\n  : 80\n'],
    ] as const) {
      const result = edit(input, (editor, view) => {
        const sc = view.getMap(view.asMap(view.root), 'sc');
        const field = view.field(sc, key);
        assert.ok(sc && field);
        editor.removeField(field, { map: sc, editable: true });
      });
      assert.equal(result, expected);
    }
  });
});
