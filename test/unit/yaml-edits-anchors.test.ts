import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { YamlEditor } from '../../server/src/engine/fix/yaml-edits';
import { parseYamlSection } from '../../server/src/engine/parse/yaml';
import { YamlView } from '../../server/src/engine/source/yaml-view';

/** Sets `sc.readOnlyRootFilesystem`, or removes `sc.port`, in `text`'s root map. */
function change(text: string, action: 'set' | 'remove'): { text: string; refused: string | undefined } {
  const view = new YamlView(parseYamlSection(text), text);
  const root = view.asMap(view.root);
  const sc = view.getMap(root, 'sc');
  assert.ok(root && sc);
  const editor = new YamlEditor(text, view);
  if (action === 'set') {
    editor.setIn({ map: root, editable: true }, ['sc', 'readOnlyRootFilesystem'], true);
  } else {
    const port = view.field(sc, 'port');
    assert.ok(port);
    editor.removeField(port, { map: sc, editable: true });
  }
  return { text: applyEdits(text, editor.edits), refused: editor.refused };
}

const REFUSED = 'the setting lies in an anchored node that aliases use; the edit would change them all';

describe('YamlEditor and anchors', () => {
  it('edits an anchored map that no alias uses', () => {
    assert.deepEqual(change('sc: &unused\n  privileged: false\n', 'set'), {
      text: 'sc: &unused\n  privileged: false\n  readOnlyRootFilesystem: true\n',
      refused: undefined,
    });
  });
  it('refuses to edit inside an anchored map that an alias uses', () => {
    const text = 'sc: &shared\n  privileged: false\nother: *shared\n';
    assert.deepEqual(change(text, 'set'), { text, refused: REFUSED });
  });
  it('refuses to edit a map inside one that an alias uses', () => {
    const text = 'outer: &shared\n  sc:\n    privileged: false\nsc:\n  port: 1\nother: *shared\n';
    const view = new YamlView(parseYamlSection(text), text);
    const outer = view.getMap(view.asMap(view.root), 'outer');
    assert.ok(outer);
    const editor = new YamlEditor(text, view);
    editor.setIn({ map: outer, editable: true }, ['sc', 'readOnlyRootFilesystem'], true);
    assert.equal(editor.refused, REFUSED);
  });
  it('refuses to remove a key whose value holds an anchor an alias uses, which would leave the alias dangling', () => {
    const text = 'sc:\n  port: &p 8080\n  privileged: false\nother: *p\n';
    assert.deepEqual(change(text, 'remove'), { text, refused: REFUSED });
  });
  it('edits beside an anchored map: a sibling key is not inside it', () => {
    const text = 'base: &shared\n  a: 1\nsc:\n  privileged: false\nother: *shared\n';
    assert.equal(change(text, 'set').refused, undefined);
  });
});
