/**
 * Property-based fuzzing of the engine: take a real input (a rule fixture, a file of the
 * real-world corpus), mutate it the way broken or hostile files look, and check that analysis and
 * fixing never throw, never fail inside a rule, and keep a parseable file parseable.
 * Used by test/unit/fuzz.test.ts (a few runs) and scripts/fuzz.ts (long runs, seed printed).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { analyze, detectFileKind, fixInPasses, resolveConfig, type Finding } from '../../server/src/engine';
import { sharedPath } from './shared';

export interface FuzzInput {
  /** The path the engine is told (decides YAML, Dockerfile, Helm chart template). */
  path: string;
  text: string;
}

const ROOT = join(__dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const HOSTILE = join(ROOT, 'test', 'hostile');
/** The real-world corpus, a folder of the shared folder. */
export const REALWORLD = ['corpus', 'realworld'] as const;

const CONFIG = resolveConfig({ profile: 'strict', trustedRegistries: ['registry.example.com'] });

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else if (detectFileKind(path) && !entry.endsWith('.json') && statSync(path).size < 256 * 1024) found.push(path);
  }
  return found;
}

function seedsOf(paths: readonly string[]): FuzzInput[] {
  return paths.map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
}

/** Every rule fixture. Paths keep their folders, so chart templates stay chart templates. */
export function fixtureSeeds(): FuzzInput[] {
  return seedsOf(filesUnder(FIXTURES).filter((path) => !path.endsWith('.ts')));
}

/** Every `step`-th file of the real-world corpus; undefined when the shared folder is not there. */
export function corpusSeeds(step: number): FuzzInput[] | undefined {
  const corpus = sharedPath(...REALWORLD);
  return corpus === undefined ? undefined : seedsOf(filesUnder(corpus).filter((_, index) => index % step === 0));
}

/** What gets inserted: template actions, YAML structure, anchors, whitespace, odd characters. */
const INSERTIONS = [
  '{{ .Values.x }}', '{{- if .Values.x }}', '{{- end }}', '{{ include "x" . | nindent 8 }}', '{{', '}}', '{{/* c */}}',
  '&a ', '*a', '<<: *a', '&a', '*', '&', '- ', ': ', ':', '---', '...', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>-', '!!str ', '!tag ', '? ',
  '\t', '\u0000', '\r', '\r\n', '\n', '\uFEFF', '\u2028', '\u00a0', '\uE000', '\uE001', '\uE002', '😀', 'é', '\u0301', '\u202e', '\uD800',
  'true', 'false', 'null', '0', '-1', '1e400', '0x1F', '~', 'privileged: true', 'hostPath: {path: /}', 'image: nginx', 'name: c',
  'RUN ', 'USER root', 'FROM ', '<<EOF', '\\', '`', '# escape=`', 'ADD ', 'COPY --chmod=777 ',
];

export type Mutation =
  | { op: 'delete'; line: number }
  | { op: 'duplicate'; line: number }
  | { op: 'swap'; line: number; other: number }
  | { op: 'indent'; line: number; by: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'truncate'; at: number };

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...INSERTIONS), fc.string({ maxLength: 6, unit: 'binary' })) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

export function applyMutation(text: string, mutation: Mutation): string {
  const lines = text.split('\n');
  const index = (n: number): number => (lines.length === 0 ? 0 : n % lines.length);
  switch (mutation.op) {
    case 'delete':
      lines.splice(index(mutation.line), 1);
      return lines.join('\n');
    case 'duplicate': {
      const at = index(mutation.line);
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    }
    case 'swap': {
      const a = index(mutation.line);
      const b = index(mutation.other);
      const first = lines[a] ?? '';
      lines[a] = lines[b] ?? '';
      lines[b] = first;
      return lines.join('\n');
    }
    case 'indent': {
      const at = index(mutation.line);
      const line = lines[at] ?? '';
      lines[at] = mutation.by >= 0 ? ' '.repeat(mutation.by) + line : line.replace(new RegExp(`^ {0,${-mutation.by}}`), '');
      return lines.join('\n');
    }
    case 'insert': {
      const at = text.length === 0 ? 0 : mutation.at % (text.length + 1);
      return text.slice(0, at) + mutation.text + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, text.length === 0 ? 0 : mutation.at % (text.length + 1));
  }
}

/** A path under a chart's templates folder half of the time, so masking sees YAML it was not written for. */
export const inputArbitrary = (seeds: readonly FuzzInput[]): fc.Arbitrary<FuzzInput> =>
  fc
    .tuple(fc.constantFrom(...seeds), fc.array(mutationArbitrary, { minLength: 1, maxLength: 6 }), fc.boolean())
    .map(([seed, mutations, asChart]) => {
      const text = mutations.reduce(applyMutation, seed.text);
      const isYaml = /\.ya?ml$/i.test(seed.path);
      return { path: isYaml && asChart ? `charts/fuzz/templates/${seed.path.replace(/^.*[\\/]/, '')}` : seed.path, text };
    });

function unreadable(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.ruleId === 'parse-error' || finding.ruleId === 'file-skipped');
}

/**
 * The properties: analysis returns, with no rule failing inside; applying every fix returns, and
 * a file that parsed before its fixes still parses after them.
 */
export function checkInput(input: FuzzInput): void {
  const analyse = (text: string): ReturnType<typeof analyze> => analyze({ path: input.path, text, config: CONFIG });
  const before = analyse(input.text);
  assert.deepEqual(before.failures, [], `analysis failed inside the engine for ${input.path}`);
  if (!before.findings.some((finding) => finding.fix)) return;
  const fixed = fixInPasses(input.text, (text) => analyse(text).findings, () => true).text;
  if (unreadable(before.findings)) return;
  const after = analyse(fixed);
  assert.deepEqual(after.failures, [], `analysis of the fixed text failed inside the engine for ${input.path}`);
  const broken = after.findings.filter((finding) => finding.ruleId === 'parse-error' || finding.ruleId === 'file-skipped');
  assert.deepEqual(
    broken.map((finding) => `${finding.range.start.line + 1}: ${finding.message}`),
    [],
    `fixes made ${input.path} unreadable:\n${fixed}`,
  );
}
