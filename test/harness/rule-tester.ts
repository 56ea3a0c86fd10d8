import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, fixInPasses, resolveConfig, type ConfigLayer, type Finding } from '../../server/src/engine';
import type { Range, Severity } from '../../server/src/engine/types';
import { openFixtureWorkspace, type FixtureWorkspace } from './workspace';

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
  /** Related locations in other files, `path:line:col-line:col` (path relative to the fixture folder). */
  related?: string[];
  /** The exact hover Markdown (`details`), when the case is about it. */
  details?: string;
  /**
   * The fix the finding offers, when the case is about fix policy: `safe` (fix-all and `--fix`
   * apply it), `quick` (a person chooses it), `none`. Once one diagnostic of a case names it, all do.
   */
  fix?: FixKind;
}

export type FixKind = 'safe' | 'quick' | 'none';

function fixKindOf(finding: Finding): FixKind {
  if (!finding.fix) return 'none';
  return finding.fix.isSafe ? 'safe' : 'quick';
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
   * A folder of the fixture directory that is the case's workspace: every file in it contributes
   * facts for cross-file rules, and `file` is a path inside it.
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

/**
 * Analyses a fixture alone, or in its workspace: under the workspace's config file (the case's
 * layers above it) and with the workspace model the CLI would read (harness/workspace.ts).
 */
function analyzeFixture(path: string, text: string, config: ConfigLayer[], today: Date, workspace?: FixtureWorkspace): Finding[] {
  const governing = workspace?.loader.configFor(path);
  const result = analyze({
    path,
    text,
    config: resolveConfig({ profile: 'strict' }, governing?.file?.layer ?? {}, ...config),
    today,
    configRelativePath: governing?.relativePath ?? path,
    ...(workspace ? { workspace: workspace.model.view() } : {}),
  });
  assert.deepEqual(result.failures, [], 'the engine reported internal failures');
  return result.findings;
}

/** Runs a test in the case's fixture workspace (a temporary copy, removed afterwards), or without one. */
function inWorkspace(fixtureDir: string, name: string | undefined, test: (workspace: FixtureWorkspace | undefined) => void): void {
  const workspace = name === undefined ? undefined : openFixtureWorkspace(fixtureDir, name);
  try {
    test(workspace);
  } finally {
    workspace?.close();
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
      it(`valid: ${file}${on}`, () =>
        inWorkspace(fixtureDir, typeof valid === 'string' ? undefined : valid.workspace, (workspace) => {
          const path = workspace ? join(workspace.root, file) : file;
          const findings = ofRule(analyzeFixture(path, read(file), layers(config), today, workspace)).filter((f) => !f.suppression);
          assert.deepEqual(findings.map(describeFinding), [], `${file} must not trigger ${cases.ruleId}`);
        }));
    }
    for (const invalid of cases.invalid) {
      it(`invalid: ${invalid.file}${invalid.today === undefined ? '' : ` (on ${invalid.today})`}`, () =>
        inWorkspace(fixtureDir, invalid.workspace, (workspace) => {
          const text = read(invalid.file);
          const today = dayOf(invalid.today);
          const root = workspace?.root ?? fixtureDir;
          const path = workspace ? join(root, invalid.file) : invalid.file;
          const findings = ofRule(analyzeFixture(path, text, layers(invalid.config), today, workspace));
          const wantsDetails = invalid.diagnostics.some((d) => d.details !== undefined);
          const actual = findings.map((f) => ({
            messageId: f.messageId,
            severity: f.severity,
            range: formatRange(f.range),
            text: text.replace(/^\uFEFF/, '').slice(f.span.start, f.span.end),
            ...(invalid.diagnostics.some((d) => d.message !== undefined) ? { message: f.message } : {}),
            ...(f.suppression ? { suppressed: true } : {}),
            ...(f.related?.some((related) => related.file !== undefined)
              ? { related: f.related.map((related) => `${related.file === undefined ? '' : relativeTo(root, related.file)}:${formatRange(related.range)}`) }
              : {}),
            ...(invalid.diagnostics.some((d) => d.fix !== undefined) ? { fix: fixKindOf(f) } : {}),
            ...(wantsDetails && f.details !== undefined ? { details: f.details } : {}),
          }));
          // A message or hover one expected diagnostic names is compared for it; the others take the actual one.
          const expected = invalid.diagnostics.map((d) => {
            const same = actual.find((a) => a.range === d.range && a.messageId === d.messageId);
            const filled = (key: 'message' | 'details'): object => (invalid.diagnostics.some((e) => e[key] !== undefined) && d[key] === undefined && same?.[key] !== undefined ? { [key]: same[key] } : {});
            return { ...d, ...filled('message'), ...filled('details') };
          });
          assert.deepEqual(actual, expected);
          const fixable = findings.filter((f) => f.fix && !f.suppression);
          if (!invalid.output) {
            assert.equal(fixable.length, 0, `${invalid.file}: fixes are offered but the case names no output file`);
            return;
          }
          const analyzeText = (t: string): Finding[] => analyzeFixture(path, t, layers(invalid.config), today, workspace);
          const fixed = fixInPasses(text, analyzeText, (f) => f.ruleId === cases.ruleId);
          assert.equal(fixed.text, read(invalid.output), `fixing ${invalid.file} must give ${invalid.output}`);
          const after = analyzeText(fixed.text);
          assert.deepEqual(after.filter((f) => f.ruleId === 'parse-error').map(describeFinding), [], 'the fixed text must parse');
          assert.deepEqual(ofRule(after).filter((f) => !f.suppression && f.fix).map(describeFinding), [], 'the fixed text must not need the fix again');
          // Ranges move with the edits; a finding is known again by its message (which names its
          // container), counted, since findings without a fix may share a message with fixed ones.
          const count = (list: Finding[]): Map<string, number> => {
            const counts = new Map<string, number>();
            for (const f of list) counts.set(findingIdentity(f), (counts.get(findingIdentity(f)) ?? 0) + 1);
            return counts;
          };
          const before = count(findings.filter((f) => !f.suppression));
          const targeted = count(fixable);
          const remaining = ofRule(after).filter((f) => !f.suppression);
          const notFixed = [...count(remaining)].filter(([identity, left]) => left > (before.get(identity) ?? 0) - (targeted.get(identity) ?? 0));
          assert.deepEqual(
            remaining.filter((f) => notFixed.some(([identity]) => identity === findingIdentity(f))).map(describeFinding),
            [],
            're-analysis must no longer report what the fixes targeted',
          );
          assert.equal(fixInPasses(fixed.text, analyzeText, (f) => f.ruleId === cases.ruleId).text, fixed.text, 'fixing twice must change nothing');
        }));
    }
  });
}

function relativeTo(dir: string, path: string): string {
  return path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : path;
}

function findingIdentity(finding: Finding): string {
  return `${finding.messageId}: ${finding.message}`;
}

function describeFinding(finding: Finding): string {
  return `${formatRange(finding.range)} ${finding.ruleId}/${finding.messageId}: ${finding.message}`;
}
