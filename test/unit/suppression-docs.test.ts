import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sharedMissing, sharedPath } from '../harness/shared';
import { CHECKOV_CHECKS, KUBE_LINTER_CHECKS, POLARIS_CHECKS } from '../../server/src/engine/suppression/foreign-checks';

const ROOT = join(__dirname, '..', '..');
const SUPPRESSION_MD = join(ROOT, 'docs', 'suppression.md');
const RULES_MD = sharedPath('RULES.md');

const TABLES: { heading: string; checks: Readonly<Record<string, readonly string[]>> }[] = [
  { heading: '### kube-linter', checks: KUBE_LINTER_CHECKS },
  { heading: '### Polaris', checks: POLARIS_CHECKS },
  { heading: '### Checkov', checks: CHECKOV_CHECKS },
];

/** The first Markdown table after `heading`, as check → rule ids (cells hold `code` spans). */
function readMappingTable(markdown: string, heading: string): Record<string, string[]> {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `docs/suppression.md has no "${heading}" section`);
  const rows: Record<string, string[]> = {};
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const [check = '', ids = ''] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const name = /^`([^`]+)`$/.exec(check)?.[1];
    if (name === undefined) continue; // the header and separator rows
    assert.equal(rows[name], undefined, `${heading}: "${name}" is listed twice`);
    rows[name] = [...ids.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
  }
  return rows;
}

/** Every id in RULES.md's catalog tables (first cell of a row, kebab-case). */
function readCatalogIds(rulesMd: string): Set<string> {
  const ids = new Set<string>();
  for (const line of readFileSync(rulesMd, 'utf8').split('\n')) {
    const id = line.split('|')[1]?.trim();
    if (id && id !== 'id' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) ids.add(id);
  }
  return ids;
}

describe('docs/suppression.md mapping tables', () => {
  const markdown = readFileSync(SUPPRESSION_MD, 'utf8');
  for (const { heading, checks } of TABLES) {
    it(`${heading.slice(4)}: the table agrees with foreign-checks.ts`, () => {
      const expected = Object.fromEntries(Object.entries(checks).map(([check, ids]) => [check, [...ids]]));
      assert.deepEqual(readMappingTable(markdown, heading), expected);
    });

    it(`${heading.slice(4)}: every mapped id is in the RULES.md catalog`, (t) => {
      if (RULES_MD === undefined) return t.skip(sharedMissing('RULES.md'));
      const catalog = readCatalogIds(RULES_MD);
      for (const [check, ids] of Object.entries(checks)) {
        assert.ok(ids.length > 0, `${check} maps to no rule`);
        for (const id of ids) assert.ok(catalog.has(id), `${check} maps to "${id}", which RULES.md does not list`);
      }
    });
  }
});
