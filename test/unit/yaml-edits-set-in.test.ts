import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { YamlEditor, type YamlValue } from '../../server/src/engine/fix/yaml-edits';
import { parseYamlSection } from '../../server/src/engine/parse/yaml';
import { YamlView } from '../../server/src/engine/source/yaml-view';

function setIn(text: string, path: readonly string[], value: YamlValue): string {
  const view = new YamlView(parseYamlSection(text), text);
  const root = view.asMap(view.root);
  assert.ok(root);
  const editor = new YamlEditor(text, view);
  editor.setIn({ map: root, editable: true }, path, value);
  assert.equal(editor.refused, undefined);
  return applyEdits(text, editor.edits);
}

describe('YamlEditor.setIn merging an object', () => {
  it('adds several keys to an empty flow map, separated', () => {
    assert.equal(setIn('limits: {}\n', ['limits'], { cpu: '500m', memory: '512Mi' }), 'limits: {cpu: 500m, memory: 512Mi}\n');
  });
  it('adds several keys after the last key of a flow map', () => {
    assert.equal(setIn('limits: {cpu: 1}\n', ['limits'], { memory: '1Gi', ephemeral: '2Gi' }), 'limits: {cpu: 1, memory: 1Gi, ephemeral: 2Gi}\n');
  });
  it('replaces existing keys and appends new ones to a block map, in order', () => {
    const input = 'limits:\n  cpu: 0 # none\n  other: x\n';
    assert.equal(setIn(input, ['limits'], { cpu: '1', memory: '1Gi' }), 'limits:\n  cpu: "1" # none\n  other: x\n  memory: 1Gi\n');
  });
});
