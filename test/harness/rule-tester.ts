import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, fixInPasses, resolveConfig, type ConfigLayer, type Finding } from '../../server/src/engine';
import type { Range, Severity } from '../../server/src/engine/types';
import { openFixtureWorkspace } from './workspace';

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
  /** The exact hover Markdown (`details`), when the case is about it. */
  details?: string;
  /** The related locations, as `file:line:col message` with the file relative to the case's workspace, when the case is about them. */
  related?: string[];
}

export interface InvalidCase {
  file: string;
  diagnostics: ExpectedDiagnostic[];
  /** The file that applying every offered fix of the rule must produce, byte for byte. */
  output?: string;
  config?: ConfigLayer;
  /** The scan's date (`YYYY-MM-DD`) when the case is about dates; else the rule's, else TEST_TODAY. */
  today?: string;
  /**
   * A folder of the fixture directory read as the workspace `file` (relative to it) belongs to,
   * for cross-file rules: its facts, updater configurations and listed reports (harness/workspace.ts).
   */
  workspace?: string;
}

export type ValidCase = string | { file: string; config?: ConfigLayer; today?: string; workspace?: string };

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
    ...cases.valid.map((c) => (typeof c === 'string' ? c : (c.workspace ?? c.file))),
    ...cases.invalid.flatMap((c) => [c.workspace ?? c.file, ...(c.output ? [c.output] : [])]),
  ];
}

function analyzeFixture(path: string, text: string, config: ConfigLayer[], today: Date): Finding[] {
  const result = analyze({ path, text, config: resolveConfig({ profile: 'strict' }, ...config), today, configRelativePath: path });
  assert.deepEqual(result.failures, [], 'the engine reported internal failures');
  return result.findings;
}

/** A file of a fixture workspace, analysed with the workspace's model under its config file (case layers above it). */
function analyzeInWorkspace(workspaceDir: string, file: string, config: ConfigLayer[], today: Date): { findings: Finding[]; text: string; root: string } {
  const workspace = openFixtureWorkspace(workspaceDir, { below: [{ profile: 'strict' }], above: config });
  try {
    const path = join(workspace.root, file);
    const text = readFileSync(path, 'utf8');
    const governing = workspace.loader.configFor(path);
    const result = analyze({ path, text, config: governing.config, today, configRelativePath: governing.relativePath, workspace: workspace.model.view() });
    assert.deepEqual(result.failures, [], 'the engine reported internal failures');
    return { findings: result.findings, text, root: workspace.root };
  } finally {
    workspace.close();
  }
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
      const workspace = typeof valid === 'string' ? undefined : valid.workspace;
      it(`valid: ${workspace === undefined ? '' : `${workspace}/`}${file}${on}`, () => {
        const all = workspace === undefined ? analyzeFixture(file, read(file), layers(config), today) : analyzeInWorkspace(join(fixtureDir, workspace), file, layers(config), today).findings;
        const findings = ofRule(all).filter((f) => !f.suppression);
        assert.deepEqual(findings.map(describeFinding), [], `${file} must not trigger ${cases.ruleId}`);
      });
    }
    for (const invalid of cases.invalid) {
      const where = invalid.workspace === undefined ? '' : `${invalid.workspace}/`;
      it(`invalid: ${where}${invalid.file}${invalid.today === undefined ? '' : ` (on ${invalid.today})`}`, () => {
        const today = dayOf(invalid.today);
        const analysed =
          invalid.workspace === undefined
            ? { findings: analyzeFixture(invalid.file, read(invalid.file), layers(invalid.config), today), text: read(invalid.file), root: fixtureDir }
            : analyzeInWorkspace(join(fixtureDir, invalid.workspace), invalid.file, layers(invalid.config), today);
        const { text } = analysed;
        const findings = ofRule(analysed.findings);
        const wants = (key: 'details' | 'related'): boolean => invalid.diagnostics.some((d) => d[key] !== undefined);
        const actual = findings.map((f) => ({
          messageId: f.messageId,
          severity: f.severity,
          range: formatRange(f.range),
          text: text.replace(/^\uFEFF/, '').slice(f.span.start, f.span.end),
          ...(invalid.diagnostics.some((d) => d.message !== undefined) ? { message: f.message } : {}),
          ...(f.suppression ? { suppressed: true } : {}),
          ...(wants('details') && f.details !== undefined ? { details: f.details } : {}),
          ...(wants('related') && f.related ? { related: f.related.map((r) => `${r.file === undefined ? '' : relative(analysed.root, r.file).replace(/\\/g, '/')}:${r.range.start.line + 1}:${r.range.start.character + 1} ${r.message}`) } : {}),
        }));
        // A field one expected diagnostic names is compared for it; the others take the actual value.
        const expected = invalid.diagnostics.map((d) => {
          const same = actual.find((a) => a.range === d.range && a.messageId === d.messageId);
          const filled = (key: 'message' | 'details' | 'related'): object => (invalid.diagnostics.some((e) => e[key] !== undefined) && d[key] === undefined && same?.[key] !== undefined ? { [key]: same[key] } : {});
          return { ...d, ...filled('message'), ...filled('details'), ...filled('related') };
        });
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
        const fixedRanges = new Set(fixable.map((f) => f.messageId));
        assert.deepEqual(
          remaining.filter((f) => fixedRanges.has(f.messageId)).map(describeFinding),
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
