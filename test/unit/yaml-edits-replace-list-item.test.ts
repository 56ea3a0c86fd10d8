import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { YamlEditor } from '../../server/src/engine/fix/yaml-edits';
import { parseYamlSection } from '../../server/src/engine/parse/yaml';
import { YamlView } from '../../server/src/engine/source/yaml-view';

/** Replaces item `index` of the root's `groups` list with 10001. */
function replaceGroup(text: string, index: number): { text: string; refused: string | undefined } {
  const view = new YamlView(parseYamlSection(text), text);
  const field = view.field(view.asMap(view.root), 'groups');
  assert.ok(field, 'fixture must have groups');
  const editor = new YamlEditor(text, view);
  editor.replaceListItem(field, index, 10001);
  return { text: applyEdits(text, editor.edits), refused: editor.refused };
}

describe('YamlEditor.replaceListItem', () => {
  it('replaces a block item, keeping its comment and the other items', () => {
    const input = 'groups:\r\n  - 1000\r\n  - 0 # root\r\n  - 2000\r\n';
    assert.deepEqual(replaceGroup(input, 1), { text: 'groups:\r\n  - 1000\r\n  - 10001 # root\r\n  - 2000\r\n', refused: undefined });
  });
  it('replaces a flow item in place', () => {
    assert.deepEqual(replaceGroup('groups: [0, 1000]\n', 0), { text: 'groups: [10001, 1000]\n', refused: undefined });
  });
  it('keeps the quote style of a string item', () => {
    const view = new YamlView(parseYamlSection("names: ['a', b]\n"), "names: ['a', b]\n");
    const field = view.field(view.asMap(view.root), 'names');
    assert.ok(field);
    const editor = new YamlEditor("names: ['a', b]\n", view);
    editor.replaceListItem(field, 0, 'c');
    assert.equal(applyEdits("names: ['a', b]\n", editor.edits), "names: ['c', b]\n");
  });
  it('refuses a list reached through an alias', () => {
    const input = 'base: &g [0]\ngroups: *g\n';
    assert.deepEqual(replaceGroup(input, 0), { text: input, refused: 'the setting is reached through a YAML alias or merge key' });
  });
  it('refuses an index that is not there', () => {
    const input = 'groups: [0]\n';
    assert.deepEqual(replaceGroup(input, 3), { text: input, refused: '"groups" has no plain item 3 to replace' });
  });
});
