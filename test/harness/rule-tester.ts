import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, fixInPasses, resolveConfig, type ConfigLayer, type Finding } from '../../server/src/engine';
import type { Range, Severity } from '../../server/src/engine/types';

/** A diagnostic a fixture must produce. `range` is 1-based `line:col-line:col`, end exclusive. */
export interface ExpectedDiagnostic {
  messageId: string;
  severity: Severity;
  range: string;
  /** The text the range covers, so an off-by-one shows on sight. */
  text: string;
  /** The exact message, when the case is about the wording. */
  message?: string;
  /** Expected to be suppressed (by a comment, annotation or config entry). */
  suppressed?: boolean;
}

export interface InvalidCase {
  file: string;
  diagnostics: ExpectedDiagnostic[];
  /** The file that applying every offered fix of the rule must produce, byte for byte. */
  output?: string;
  config?: ConfigLayer;
  /** The scan's date (`YYYY-MM-DD`) when the case is about dates; else the rule's, else TEST_TODAY. */
  today?: string;
}

export type ValidCase = string | { file: string; config?: ConfigLayer; today?: string };

export interface RuleCases {
  ruleId: string;
  valid: ValidCase[];
  invalid: InvalidCase[];
  /** Applies to every case of the rule (e.g. trustedRegistries). */
  config?: ConfigLayer;
  /** The scan's date for every case of the rule (`YYYY-MM-DD`), for rules about dates. */
  today?: string;
}

/** Suppression expiry dates are judged against this day in every test, so tests never rot. */
export const TEST_TODAY = new Date('2026-06-15T12:00:00Z');

export function ruleCases(ruleId: string, cases: Omit<RuleCases, 'ruleId'>): RuleCases {
  return { ruleId, ...cases };
}

export function formatRange(range: Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}

export function caseFiles(cases: RuleCases): string[] {
  return [
    ...cases.valid.map((c) => (typeof c === 'string' ? c : c.file)),
    ...cases.invalid.flatMap((c) => [c.file, ...(c.output ? [c.output] : [])]),
  ];
}

function analyzeFixture(path: string, text: string, config: ConfigLayer[], today: Date): Finding[] {
  const result = analyze({ path, text, config: resolveConfig({ profile: 'strict' }, ...config), today, configRelativePath: path });
  assert.deepEqual(result.failures, [], 'the engine reported internal failures');
  return result.findings;
}

/**
 * Runs a rule's cases table: `valid` files give no finding of the rule; `invalid` files give
 * exactly the listed ones, in order; fixes produce `output` byte for byte, the output parses,
 * no longer has the finding, and fixing it again changes nothing.
 */
export function runRuleCases(cases: RuleCases, fixtureDir: string): void {
  const layers = (extra?: ConfigLayer): ConfigLayer[] => [cases.config ?? {}, extra ?? {}];
  const read = (file: string): string => readFileSync(join(fixtureDir, file), 'utf8');
  const ofRule = (findings: Finding[]): Finding[] => findings.filter((f) => f.ruleId === cases.ruleId);
  const dayOf = (today?: string): Date => {
    const day = today ?? cases.today;
    return day === undefined ? TEST_TODAY : new Date(`${day}T12:00:00Z`);
  };

  describe(cases.ruleId, () => {
    for (const valid of cases.valid) {
      const file = typeof valid === 'string' ? valid : valid.file;
      const config = typeof valid === 'string' ? undefined : valid.config;
      const today = dayOf(typeof valid === 'string' ? undefined : valid.today);
      const on = typeof valid === 'string' || valid.today === undefined ? '' : ` (on ${valid.today})`;
      it(`valid: ${file}${on}`, () => {
        const findings = ofRule(analyzeFixture(file, read(file), layers(config), today)).filter((f) => !f.suppression);
        assert.deepEqual(findings.map(describeFinding), [], `${file} must not trigger ${cases.ruleId}`);
      });
    }
    for (const invalid of cases.invalid) {
      it(`invalid: ${invalid.file}${invalid.today === undefined ? '' : ` (on ${invalid.today})`}`, () => {
        const text = read(invalid.file);
        const today = dayOf(invalid.today);
        const findings = ofRule(analyzeFixture(invalid.file, text, layers(invalid.config), today));
        const actual = findings.map((f) => ({
          messageId: f.messageId,
          severity: f.severity,
          range: formatRange(f.range),
          text: text.replace(/^\uFEFF/, '').slice(f.span.start, f.span.end),
          ...(invalid.diagnostics.some((d) => d.message !== undefined) ? { message: f.message } : {}),
          ...(f.suppression ? { suppressed: true } : {}),
        }));
        const expected = invalid.diagnostics.map((d) => ({
          ...d,
          ...(invalid.diagnostics.some((e) => e.message !== undefined) && d.message === undefined ? { message: actual.find((a) => a.range === d.range && a.messageId === d.messageId)?.message } : {}),
        }));
        assert.deepEqual(actual, expected);
        const fixable = findings.filter((f) => f.fix && !f.suppression);
        if (!invalid.output) {
          assert.equal(fixable.length, 0, `${invalid.file}: fixes are offered but the case names no output file`);
          return;
        }
        const analyzeText = (t: string): Finding[] => analyzeFixture(invalid.file, t, layers(invalid.config), today);
        const fixed = fixInPasses(text, analyzeText, (f) => f.ruleId === cases.ruleId);
        assert.equal(fixed.text, read(invalid.output), `fixing ${invalid.file} must give ${invalid.output}`);
        const after = analyzeText(fixed.text);
        assert.deepEqual(after.filter((f) => f.ruleId === 'parse-error').map(describeFinding), [], 'the fixed text must parse');
        assert.deepEqual(ofRule(after).filter((f) => !f.suppression && f.fix).map(describeFinding), [], 'the fixed text must not need the fix again');
        const remaining = ofRule(after).filter((f) => !f.suppression);
        const fixedMessageIds = new Set(fixable.map((f) => f.messageId));
        assert.deepEqual(
          remaining.filter((f) => fixedMessageIds.has(f.messageId)).map(describeFinding),
          [],
          're-analysis must no longer report what the fixes targeted',
        );
        assert.equal(fixInPasses(fixed.text, analyzeText, (f) => f.ruleId === cases.ruleId).text, fixed.text, 'fixing twice must change nothing');
      });
    }
  });
}

function describeFinding(finding: Finding): string {
  return `${formatRange(finding.range)} ${finding.ruleId}/${finding.messageId}: ${finding.message}`;
}
