import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../server/src/engine';
import { caseFiles, runRuleCases, type RuleCases } from './harness/rule-tester';

const FIXTURES = join(__dirname, 'fixtures');
const fixtureDirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

for (const dir of fixtureDirs) {
  const casesFile = join(FIXTURES, dir, 'cases.ts');
  if (!existsSync(casesFile)) continue;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- fixture tables are found by folder, like Polaris's test/checks/<check>/
  const cases = (require(casesFile) as { default: RuleCases }).default;
  assert.equal(cases.ruleId, dir, `${dir}/cases.ts must describe rule ${dir}`);
  runRuleCases(cases, join(FIXTURES, dir));
}

describe('fixture coverage', () => {
  const checkedRules = ALL_RULES.filter((rule) => rule.meta.kind !== 'engine');
  for (const rule of checkedRules) {
    it(`${rule.meta.id} has a cases table with files on both sides`, () => {
      assert.ok(fixtureDirs.includes(rule.meta.id), `test/fixtures/${rule.meta.id}/ is missing`);
      const casesFile = join(FIXTURES, rule.meta.id, 'cases.ts');
      assert.ok(existsSync(casesFile), `${casesFile} is missing`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
      const cases = (require(casesFile) as { default: RuleCases }).default;
      assert.ok(cases.valid.length > 0, 'at least one file must not trigger the rule');
      assert.ok(cases.invalid.length > 0, 'at least one file must trigger the rule');
    });
  }
  for (const dir of fixtureDirs) {
    it(`every file in fixtures/${dir} is used by a case`, () => {
      const casesFile = join(FIXTURES, dir, 'cases.ts');
      assert.ok(existsSync(casesFile), `${dir} has fixtures but no cases.ts`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
      const used = new Set(caseFiles((require(casesFile) as { default: RuleCases }).default));
      const unused = readdirSync(join(FIXTURES, dir)).filter((f) => f !== 'cases.ts' && !used.has(f));
      assert.deepEqual(unused, [], 'fixture files no case uses');
    });
  }
});
