/**
 * Properties every fix must keep, over every fixture that has a fix and the same manifest written
 * in other styles (test/harness/yaml-variants.ts): the output parses; it means what the
 * original's fixed output means (nothing else changed, whatever the style); line endings, BOM and
 * comments survive; new keys follow the file's quoting; and no safe fix (fix-all, `--fix`) makes a
 * pod the API server would reject. `--fix-unsafe` is held to the same API bar.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isScalar, parseAllDocuments, Scalar, visit } from 'yaml';
import { ALL_RULES, analyze, fixInPasses, resolveConfig, type ConfigLayer, type EngineConfig, type Finding } from '../server/src/engine';
import { TEST_TODAY, type RuleCases } from './harness/rule-tester';
import { introducedApiProblems } from './harness/api-validity';
import { aliasedVariant, VARIANTS, type Variant } from './harness/yaml-variants';

const FIXTURES = join(__dirname, 'fixtures');
const SEED = 20261205;

interface Fixture {
  name: string;
  path: string;
  text: string;
  config: EngineConfig;
}

interface FixtureWithFix extends Fixture {
  /** The same file with only its own rule on: the sweep over every style runs that rule's fixes. */
  ownRule: Fixture;
  /** The modes in which the rule's own fixes differ: none is safe, all are, or some. */
  ownModes: readonly Mode[];
}

/** Rules that can be turned off (the engine's own findings, parse-error among them, cannot). */
const RULE_IDS = ALL_RULES.filter((rule) => rule.meta.kind !== 'engine').map((rule) => rule.meta.id);

function fixturesWithFixes(): FixtureWithFix[] {
  const found: FixtureWithFix[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    const casesFile = join(FIXTURES, dir, 'cases.ts');
    if (!existsSync(casesFile)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- fixture tables are found by folder, as in rules.test.ts
    const cases = (require(casesFile) as { default: RuleCases }).default;
    for (const invalid of cases.invalid) {
      if (!invalid.output) continue;
      const layers: ConfigLayer[] = [cases.config ?? {}, invalid.config ?? {}];
      const fixture = {
        // One file can be a case under several configurations (proc-mount-unmasked's profiles).
        name: `${dir}/${invalid.file}${invalid.config ? ` ${JSON.stringify(invalid.config)}` : ''}`,
        path: invalid.file,
        text: readFileSync(join(FIXTURES, dir, invalid.file), 'utf8'),
      };
      const onlyThisRule = Object.fromEntries(RULE_IDS.map((id) => [id, id === cases.ruleId ? ('warning' as const) : ('off' as const)]));
      const meta = ALL_RULES.find((rule) => rule.meta.id === cases.ruleId)?.meta;
      // Fix-all applies none of a rule's fixes that are never safe, and all of one's that always are.
      const ownModes: Mode[] = !meta?.safeFix ? ['unsafe'] : meta.safeFixOnlyWhen ? ['fix-all', 'unsafe'] : ['fix-all'];
      found.push({
        ...fixture,
        ownModes,
        config: resolveConfig({ profile: 'strict' }, ...layers),
        ownRule: { ...fixture, name: `${fixture.name} [its rule]`, config: resolveConfig({ profile: 'strict', rules: onlyThisRule }, ...layers) },
      });
    }
  }
  return found;
}

type Mode = 'fix-all' | 'unsafe';

/** Analyses by fixture and text: both modes start from one text, and a last pass's text is re-checked. */
const analyses = new Map<string, Finding[]>();

function findingsOf(fixture: Fixture, text: string): Finding[] {
  const key = `${fixture.name}\0${text}`;
  const known = analyses.get(key);
  if (known) return known;
  const result = analyze({ path: fixture.path, text, config: fixture.config, today: TEST_TODAY });
  assert.deepEqual(result.failures, [], `${fixture.name}: the engine failed`);
  analyses.set(key, result.findings);
  return result.findings;
}

function fix(fixture: Fixture, text: string, mode: Mode): string {
  return fixInPasses(text, (t) => findingsOf(fixture, t), (f) => mode === 'unsafe' || f.fix?.isSafe === true).text;
}

const isYaml = (fixture: Fixture): boolean => /\.ya?ml$/.test(fixture.path);

/**
 * What the documents mean: their data, with null values dropped (the API reads them as absent).
 * With `settled`, a request beside a limit for the same resource is dropped too: whether the
 * requests fix lands before the limits fix makes it redundant depends on which fixes share an
 * insertion point in a pass, so it differs between styles, and both results are correct.
 */
function meaning(text: string, settled = false): unknown {
  const documents = parseAllDocuments(text.replace(/^\uFEFF/, ''), { merge: true });
  if (!Array.isArray(documents)) return [];
  return documents.map((document) => normalise(document.toJS({ maxAliasCount: 1000 }), settled));
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

function normalise(value: unknown, settled: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => normalise(item, settled));
  if (typeof value !== 'object' || value === null) return value;
  // `{}` and null read as absent too (`capabilities: {}` is no capability setting at all).
  const entries = Object.entries(value)
    .map(([key, inner]): [string, unknown] => [key, normalise(inner, settled)])
    .filter(([, inner]) => inner !== null && inner !== undefined && !isEmptyObject(inner));
  const limits = entries.find(([key]) => key === 'limits')?.[1];
  return Object.fromEntries(
    entries
      .map(([key, inner]): [string, unknown] => {
        if (!settled || key !== 'requests' || typeof inner !== 'object' || inner === null || typeof limits !== 'object' || limits === null) return [key, inner];
        return [key, Object.fromEntries(Object.entries(inner).filter(([name]) => !(name in limits)))];
      })
      .filter(([key, inner]) => !(settled && key === 'requests' && typeof inner === 'object' && inner !== null && Object.keys(inner).length === 0)),
  );
}

/** A Dockerfile's text as it reads, whatever its line endings, BOM and final newline. */
function dockerfileMeaning(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').replace(/\n+$/, '');
}

function assertParses(fixture: Fixture, text: string, context: string): void {
  const errors = findingsOf(fixture, text).filter((f) => f.ruleId === 'parse-error' || f.ruleId === 'file-skipped');
  assert.deepEqual(errors.map((f) => f.message), [], `${context}: the fixed text must parse`);
}

function assertApiValid(fixture: Fixture, before: string, after: string, context: string): void {
  if (!isYaml(fixture)) return;
  assert.deepEqual(introducedApiProblems(fixture.path, before, after), [], `${context}: the fix makes what the API server or kubelet refuses`);
}

/** Keys the fixes added in a file whose keys are all double-quoted must be double-quoted too. */
function assertKeysQuoted(text: string, context: string): void {
  const documents = parseAllDocuments(text.replace(/^\uFEFF/, ''));
  if (!Array.isArray(documents)) return;
  const plain: string[] = [];
  for (const document of documents) {
    visit(document, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && pair.key.type !== Scalar.QUOTE_DOUBLE && pair.key.value !== '<<') plain.push(String(pair.key.value));
      },
    });
  }
  assert.deepEqual(plain, [], `${context}: keys added to a file that quotes every key must be quoted`);
}

/** The comment markers the comments variant put on each line, all of which a fix must keep. */
function commentMarkers(text: string): string[] {
  return [...text.matchAll(/# c\d+\b/g)].map((match) => match[0]);
}

const fixtures = fixturesWithFixes();
const fixedOriginals = new Map<string, string>();
function fixedOriginal(fixture: Fixture, mode: Mode): string {
  const key = `${mode}:${fixture.name}`;
  let fixed = fixedOriginals.get(key);
  if (fixed === undefined) {
    fixed = fix(fixture, fixture.text, mode);
    fixedOriginals.set(key, fixed);
  }
  return fixed;
}

/** Checks one fixture written as `variant`; returns false when the variant does not apply. */
function checkVariant(fixture: Fixture, variant: Variant, mode: Mode): boolean {
  // Dockerfiles are written one way; only their line endings, BOM and final newline vary.
  if (!isYaml(fixture) && !variant.textual && variant.name !== 'no final newline') return false;
  const text = variant.apply(fixture.text);
  if (text === undefined) return false;
  const context = `${fixture.name} (${variant.name}, ${mode})`;
  const fixed = fix(fixture, text, mode);
  assertParses(fixture, fixed, context);
  assertApiValid(fixture, text, fixed, context);
  const expected = fixedOriginal(fixture, mode);
  if (variant.textual) {
    assert.equal(fixed, variant.textual(expected), `${context}: must be the original's fixed text, styled the same way`);
  } else if (isYaml(fixture)) {
    assert.deepEqual(meaning(text), meaning(fixture.text), `${context}: the variant generator changed the data`);
    assert.deepEqual(meaning(fixed, true), meaning(expected, true), `${context}: the fix must mean the same in every style`);
  } else {
    assert.equal(dockerfileMeaning(fixed), dockerfileMeaning(expected), `${context}: the fix must not depend on the file's style`);
  }
  const markers = commentMarkers(text);
  if (markers.length > 0) {
    const kept = new Set(commentMarkers(fixed));
    // A fix that removes a key or item removes the line it is on, with that line's comment.
    const removed = markers.filter((marker) => !kept.has(marker));
    const removedLines = removed.map((marker) => text.split('\n').find((line) => line.includes(marker))?.trim() ?? marker);
    assert.ok(
      removedLines.every((line) => REMOVABLE_LINE.test(line)),
      `${context}: comments were lost on lines no fix removes: ${removedLines.filter((line) => !REMOVABLE_LINE.test(line)).join(' | ')}`,
    );
  }
  if (variant.name === 'quoted keys') assertKeysQuoted(fixed, context);
  return true;
}

/** Lines a removing fix may take away whole (hostPort, a capability, a probe's host, an annotation...). */
const REMOVABLE_LINE = /^(?:- )?(?:\? )?(?:hostPort|host|add|- ["']?[A-Za-z_]+["']?|[\w./-]*seccomp[\w./-]*|container\.apparmor[\w./-]*|procMount|hostProcess|- name: [A-Z_]+|value)\b|^:|^- (?:CAP_)?[A-Za-z_]+ # c\d+$/;

/** Runs a check, recording its assertion failure (first lines) so one run reports every broken case. */
function collect(failures: string[], check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof assert.AssertionError)) throw error;
    failures.push(error.message.split('\n').slice(0, 12).join('\n'));
  }
}

describe('fix properties over every fixture with a fix, in every style', () => {
  for (const mode of ['fix-all', 'unsafe'] as const) {
    it(`${mode}: output parses, means the same in every style, keeps comments and EOLs, and stays API-valid`, () => {
      let checked = 0;
      const failures: string[] = [];
      for (const fixture of fixtures) {
        // All rules' fixes together on the file as written; each style with the rule's own fixes.
        collect(failures, () => {
          assertParses(fixture, fixedOriginal(fixture, mode), `${fixture.name} (${mode})`);
          assertApiValid(fixture, fixture.text, fixedOriginal(fixture, mode), `${fixture.name} (${mode})`);
        });
        if (!fixture.ownModes.includes(mode)) continue;
        for (const variant of VARIANTS) collect(failures, () => void (checkVariant(fixture.ownRule, variant, mode) && checked++));
      }
      assert.deepEqual(failures, []);
      assert.ok(checked > fixtures.filter((fixture) => fixture.ownModes.includes(mode)).length * 4, `only ${checked} variants applied`);
    });
  }

  it('leaves an anchored container that an alias uses untouched', () => {
    let checked = 0;
    const failures: string[] = [];
    for (const fixture of fixtures.filter(isYaml)) {
      const aliased = aliasedVariant(fixture.text);
      if (!aliased) continue;
      for (const mode of ['fix-all', 'unsafe'] as const) {
        const context = `${fixture.name} (aliased, ${mode})`;
        collect(failures, () => {
          const fixed = fix(fixture, aliased.text, mode);
          assertParses(fixture, fixed, context);
          assertApiValid(fixture, aliased.text, fixed, context);
          assert.equal(aliased.anchored(fixed), aliased.anchored(aliased.text), `${context}: the anchored container changed`);
        });
      }
      checked++;
    }
    assert.deepEqual(failures, []);
    assert.ok(checked > 10, `only ${checked} fixtures had a container to anchor`);
  });

  it('combinations of styles keep the same properties', () => {
    // Structural restyling first, line rewrites next, line endings and BOM last: each later one
    // reads what the earlier ones wrote.
    const order = (variant: Variant): number => (variant.textual ? 2 : /comments|explicit/.test(variant.name) ? 1 : 0);
    const combined = (chosen: readonly Variant[]): Variant => {
      const sorted = [...chosen].sort((a, b) => order(a) - order(b));
      const textual = sorted.filter((v) => v.textual);
      return {
        name: sorted.map((v) => v.name).join(' + '),
        ...(textual.length === sorted.length ? { textual: (fixed: string) => textual.reduce((t, v) => v.textual?.(t) ?? t, fixed) } : {}),
        apply: (text) => sorted.reduce<string | undefined>((current, v) => (current === undefined ? undefined : (v.apply(current) ?? current)), text),
      };
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures.filter(isYaml)),
        fc.subarray([...VARIANTS], { minLength: 2, maxLength: 4 }),
        fc.constantFrom<Mode>('fix-all', 'unsafe'),
        (fixture, chosen, mode) => {
          checkVariant(fixture, combined(chosen), mode);
        },
      ),
      { numRuns: 30, seed: SEED },
    );
  });
});
