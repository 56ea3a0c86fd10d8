import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { YamlEditor } from '../../server/src/engine/fix/yaml-edits';
import { parseYamlSection } from '../../server/src/engine/parse/yaml';
import { YamlView } from '../../server/src/engine/source/yaml-view';

/** Removes item `index` of the root's `add` list. */
function removeAdded(text: string, index: number): { text: string; refused: string | undefined } {
  const view = new YamlView(parseYamlSection(text), text);
  const field = view.field(view.asMap(view.root), 'add');
  assert.ok(field, 'fixture must have add');
  const editor = new YamlEditor(text, view);
  editor.removeListItem(field, index);
  return { text: applyEdits(text, editor.edits), refused: editor.refused };
}

describe('YamlEditor.removeListItem', () => {
  it('removes a block item with its line, keeping the others and their comments', () => {
    const input = 'add:\r\n  - CHOWN # files\r\n  - SYS_ADMIN\r\n  - KILL\r\nnext: 1\r\n';
    assert.deepEqual(removeAdded(input, 1), { text: 'add:\r\n  - CHOWN # files\r\n  - KILL\r\nnext: 1\r\n', refused: undefined });
  });
  it('turns the last item of a block list into an empty flow list on the key line', () => {
    const input = 'add:\n  - SYS_ADMIN\nnext: 1\n';
    assert.deepEqual(removeAdded(input, 0), { text: 'add: []\nnext: 1\n', refused: undefined });
  });
  it('keeps a comment between the key and its only item, emptying the list in place', () => {
    const input = 'add: # extra\n  - SYS_ADMIN\nnext: 1\n';
    assert.deepEqual(removeAdded(input, 0), { text: 'add: # extra\n  []\nnext: 1\n', refused: undefined });
  });
  it('removes flow items with their commas', () => {
    assert.deepEqual(removeAdded('add: [KILL, SYS_ADMIN, NET_RAW]\n', 1), { text: 'add: [KILL, NET_RAW]\n', refused: undefined });
    assert.deepEqual(removeAdded('add: [KILL, SYS_ADMIN]\n', 1), { text: 'add: [KILL]\n', refused: undefined });
    assert.deepEqual(removeAdded('add: [SYS_ADMIN] # why\n', 0), { text: 'add: [] # why\n', refused: undefined });
  });
  it('refuses a list reached through an alias', () => {
    const input = 'base: &caps [SYS_ADMIN]\nadd: *caps\n';
    assert.deepEqual(removeAdded(input, 0), { text: input, refused: 'the setting is reached through a YAML alias or merge key' });
  });
});
