import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../server/src/engine';
import { readmeSafeFixes, readmeTable, ruleHeader } from '../scripts/docs';
import { sharedMissing, sharedPath } from './harness/shared';

const ROOT = join(__dirname, '..');
const RULES_MD = sharedPath('RULES.md');
const REQUIRED_SECTIONS = ['## Why it matters', '## Bad', '## Good', '## Fix', '## References'];

interface CatalogRow {
  severities: string[];
  profile: string;
}

/** Rule rows of the catalog tables: `| id | triggers | severity | profile | fix |`. */
function readCatalog(rulesMd: string): Map<string, CatalogRow> {
  const rows = new Map<string, CatalogRow>();
  for (const line of rulesMd.split('\n')) {
    // `\|` is a pipe inside a cell (`curl … \| sh`), not a column separator.
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const id = cells[1];
    if (!id || !/^[a-z0-9-]+$/.test(id) || id === 'id' || cells.length < 6) continue;
    // `warning / error`, and `warning (error for explicit root)`: every severity the cell names.
    const severities = [...new Set((cells[3] ?? '').match(/\b(?:error|warning|info)\b/g) ?? [])];
    const profile = (cells[4] ?? '').split(/\s/)[0] ?? '';
    rows.set(id, { severities, profile });
  }
  return rows;
}

describe('rule docs and catalog', () => {
  const rulesMd = RULES_MD === undefined ? undefined : readFileSync(RULES_MD, 'utf8');
  const catalog = rulesMd === undefined ? undefined : readCatalog(rulesMd);
  for (const rule of ALL_RULES) {
    const { meta } = rule;
    it(`${meta.id} has a complete docs page with the generated header`, () => {
      const path = join(ROOT, 'docs', 'rules', `${meta.id}.md`);
      assert.ok(existsSync(path), `docs/rules/${meta.id}.md is missing`);
      const text = readFileSync(path, 'utf8');
      assert.ok(text.startsWith(ruleHeader(meta)), 'the header is out of date: run `npm run docs`');
      if (meta.kind === 'engine') return;
      for (const section of REQUIRED_SECTIONS) assert.ok(text.includes(`\n${section}\n`), `missing section "${section}"`);
    });
    if (meta.kind === 'engine') continue;
    it(`${meta.id} agrees with RULES.md on severity and profile`, (t) => {
      if (!catalog || rulesMd === undefined) return t.skip(sharedMissing('RULES.md'));
      if (meta.profile === 'always') {
        // Always-on rules are listed under "Findings that are not rules" as `id` (severity); ids need no escaping.
        assert.match(rulesMd, new RegExp(`\`${meta.id}\`\\s*\\(${meta.severity}`), `${meta.id} is not in RULES.md`);
        return;
      }
      const row = catalog.get(meta.id);
      assert.ok(row, `${meta.id} is not in RULES.md`);
      assert.deepEqual([meta.severity, meta.alternateSeverity].filter(Boolean).sort(), [...row.severities].sort());
      assert.equal(meta.profile, row.profile);
    });
  }
  it('the README rule table is generated from the registry', () => {
    assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(readmeTable()), 'README table is out of date: run `npm run docs`');
    assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(readmeSafeFixes()), 'README list of safe fixes is out of date: run `npm run docs`');
  });
});
