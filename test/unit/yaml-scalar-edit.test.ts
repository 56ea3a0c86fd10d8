import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { splitYamlSections } from '../../server/src/engine/parse/yaml';
import { reparseScalarEdit } from '../../server/src/engine/parse/yaml-scalar-edit';

const OPTIONS = { merge: true, uniqueKeys: true, prettyErrors: false, strict: true };
const ROOT = join(__dirname, '..', '..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) && !name.includes('.fixed.') ? [path] : [];
  });
}

/** Every parsed-node property the engine can read, in a comparable form. */
function dump(node: unknown): unknown {
  if (isPair(node)) return { pair: true, key: dump(node.key), value: dump(node.value), ...props(node) };
  // A merge key's value is a Symbol made anew by each parse: compared by its description.
  if (isScalar(node)) return { scalar: typeof node.value === 'symbol' ? node.value.description : node.value, source: node.source, type: node.type, format: node.format, minFractionDigits: node.minFractionDigits, range: node.range, ...props(node) };
  if (isAlias(node)) return { alias: node.source, range: node.range, ...props(node) };
  if (isMap(node) || isSeq(node)) return { collection: isMap(node) ? 'map' : 'seq', flow: node.flow, range: node.range, items: node.items.map(dump), ...props(node) };
  return node;
}

function props(node: object): Record<string, unknown> {
  const { comment, commentBefore, spaceBefore, tag, anchor } = node as Partial<Record<string, unknown>>;
  return { comment, commentBefore, spaceBefore, tag, anchor };
}

function dumpDocument(doc: Document.Parsed): unknown {
  return { range: doc.range, errors: doc.errors.length, warnings: doc.warnings.length, comment: doc.comment, commentBefore: doc.commentBefore, contents: dump(doc.contents) };
}

/** Offsets inside and at the edges of the block values that are single-line plain scalars. */
function valueOffsets(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || node.type !== 'PLAIN' || !node.range) return;
      const [from, to] = node.range;
      offsets.push(from, Math.floor((from + to) / 2), to);
    },
  });
  return offsets;
}

/** A deterministic stand-in for random choices. */
function* choices(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 48271) % 2147483647;
    yield state;
  }
}

const TYPED = ['a', 'Z', '1', '0', '.', '-', '_', '/', ':', ' ', '#', '"', "'", '[', ']', '{', ',', '&', '*', '!', '|', '>', '%', '@', '\t', '\n', 'x: y', '0x', 'e3', 'true', '~', '?'];

describe('reparseScalarEdit', () => {
  const sections = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))]
    .flatMap((path) => splitYamlSections(readFileSync(path, 'utf8')).map((section) => section.text))
    .filter((text) => {
      const doc = parseDocument(text, OPTIONS);
      return doc.errors.length === 0 && doc.warnings.length === 0 && isMap(doc.contents);
    });

  it('gives exactly what parsing the edited text gives, or nothing', () => {
    assert.ok(sections.length > 200, `enough sections to edit (${sections.length})`);
    const random = choices(11);
    const next = (bound: number): number => (random.next().value as number) % bound;
    let reused = 0;
    let edits = 0;
    for (const text of sections) {
      const doc = parseDocument(text, OPTIONS);
      const offsets = valueOffsets(doc);
      for (let i = 0; i < Math.min(6, offsets.length); i++) {
        const at = offsets[next(offsets.length)] ?? 0;
        const typed = TYPED[next(TYPED.length)] ?? 'a';
        const kind = next(3);
        const edited = kind === 0 ? text.slice(0, at) + typed + text.slice(at) : kind === 1 ? text.slice(0, Math.max(0, at - 1)) + text.slice(at) : text.slice(0, at) + typed + text.slice(at + 1);
        edits++;
        const fast = reparseScalarEdit({ text, doc }, edited, OPTIONS);
        if (!fast) continue;
        reused++;
        assert.deepEqual(dumpDocument(fast), dumpDocument(parseDocument(edited, OPTIONS)), `edit ${JSON.stringify(typed)} (${kind}) at ${at} of:\n${text}`);
      }
    }
    assert.ok(reused > edits / 5, `most value keystrokes are re-read without parsing (${reused} of ${edits})`);
  });

  it('re-reads a character typed at either end of a value, in maps and in lists, and the value as YAML reads it', () => {
    const text = 'spec:\n  replicas: 3 # three\n  args:\n    - --port\n    - "quoted"\n  name: web\n';
    const doc = parseDocument(text, OPTIONS);
    for (const edited of [text.replace('replicas: 3', 'replicas: 30'), text.replace('--port', '--ports'), text.replace('name: web', 'name: xweb'), text.replace('replicas: 3', 'replicas: 0x3')]) {
      const fast = reparseScalarEdit({ text, doc }, edited, OPTIONS);
      assert.ok(fast, edited);
      assert.deepEqual(dumpDocument(fast), dumpDocument(parseDocument(edited, OPTIONS)));
    }
    assert.equal(reparseScalarEdit({ text, doc }, text.replace('replicas: 3', 'replicas: 3: 4'), OPTIONS), undefined, 'a typed ": " makes a map');
    assert.equal(reparseScalarEdit({ text, doc }, text.replace('"quoted"', '"quote"'), OPTIONS), undefined, 'quoted values are parsed in full');
    assert.equal(reparseScalarEdit({ text, doc }, text.replace('replicas:', 'replica:'), OPTIONS), undefined, 'keys are parsed in full');
    assert.equal(reparseScalarEdit({ text, doc }, text.replace('# three', '# four'), OPTIONS), undefined, 'comments are parsed in full');
  });

  it('parses in full a section whose directives name another YAML version', () => {
    const text = '%YAML 1.1\n---\nenabled: ye\n';
    const doc = parseDocument(text, OPTIONS);
    assert.equal(reparseScalarEdit({ text, doc }, text.replace('ye', 'yes'), OPTIONS), undefined, 'YAML 1.1 reads yes as true');
  });

  it('leaves the previous parse untouched', () => {
    const text = 'a:\n  b: warn\n  c: [x, y]\n';
    const doc = parseDocument(text, OPTIONS);
    const before = JSON.stringify(dumpDocument(doc));
    assert.ok(reparseScalarEdit({ text, doc }, text.replace('warn', 'warning'), OPTIONS));
    assert.equal(JSON.stringify(dumpDocument(doc)), before);
    assert.ok(!isAlias(doc.contents) && (doc.contents as Node | null) !== null);
  });
});
