/**
 * The language server analyses a document at every keystroke with a cache of section results,
 * and reuses or moves each section's placed findings instead of placing them again. Whatever the
 * edit, the findings must be exactly those of a fresh analysis of the same text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, resolveConfig, type SectionCache } from '../../server/src/engine';

const EXAMPLES = resolve(__dirname, '..', '..', 'examples', 'kubernetes', 'insecure');
const read = (name: string): string => readFileSync(resolve(EXAMPLES, name), 'utf8');
const ANNOTATED = read('daemonset.yaml').replace('metadata:\n', 'metadata:\n  annotations:\n    shipshape.dev/ignore: "host-pid"\n');
const TEXT = [read('deployment.yaml'), read('multi-document.yaml'), ANNOTATED, read('statefulset.yaml')].join('---\n');

type Edit = (text: string) => string;
const at = (needle: string, insert: string): Edit => (text) => {
  const index = text.indexOf(needle);
  assert.ok(index >= 0, needle);
  return text.slice(0, index) + insert + text.slice(index);
};

const EDITS: Array<[string, Edit]> = [
  ['a character typed in the first document', at('storefront\n  namespace', 'x')],
  ['a line inserted at the top', (text) => `# owner: web team\n${text}`],
  ['a character typed in a middle document', at('correct-horse', 'y')],
  ['a document inserted in front of the others', (text) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: early\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n---\n${text}`],
  ['a line deleted', (text) => text.replace('# owner: web team\n', '')],
  ['an ignore comment typed', at('      hostNetwork: true', '      # shipshape-ignore host-network\n')],
  ['the ignore comment removed', (text) => text.replace('      # shipshape-ignore host-network\n', '')],
  ['a half-typed key', at('      hostNetwork: true', '      privil\n')],
  ['the key completed', (text) => text.replace('      privil\n', '      priorityClassName: high\n')],
  ['CRLF line endings', (text) => text.replace(/\n/g, '\r\n')],
];

for (const profile of ['recommended', 'strict'] as const) {
  describe(`placing findings while editing (${profile})`, () => {
    const config = resolveConfig({ profile });
    const cache: SectionCache = new Map();
    const run = (text: string, withCache: boolean) =>
      analyze({ path: '/ws/all.yaml', text, config, recover: true, configRelativePath: 'all.yaml', ...(withCache ? { cache } : {}) }).findings;
    let text = TEXT;
    it('starts with findings of every kind: fixes, suppressions, container keys', () => {
      const findings = run(text, true);
      assert.deepEqual(findings, run(text, false));
      assert.ok(findings.some((f) => f.fix?.partOfHarden));
      assert.ok(findings.some((f) => f.suppression?.kind === 'annotation'));
      assert.ok(findings.some((f) => /^[1-9]\d*:/.test(f.containerKey ?? '')), 'containers in later documents');
    });
    for (const [name, edit] of EDITS) {
      it(`after ${name}: the same findings as a fresh analysis`, () => {
        text = edit(text);
        assert.deepEqual(run(text, true), run(text, false));
      });
    }
  });
}
