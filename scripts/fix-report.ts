/**
 * `npm run fix-report`: runs fix-all (the safe fixes that `source.fixAll.shipshape` and `--fix`
 * apply) over a folder, by default the real-world corpus next to the repository, in memory: no
 * file is ever written. Prints how many files the fixes change, the findings they remove per
 * rule, and every problem they introduce: a fixed file that no longer parses, or a pod the API
 * server or kubelet would refuse (test/harness/api-validity.ts). Exits 1 when there is any.
 *
 *   npm run fix-report -- [folder] [--unsafe] [--profile NAME]
 *
 * `--unsafe` also reports what `--fix --fix-unsafe` would do, with the same bar.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, fixInPasses, PROFILES_LIST, resolveConfig, type EngineConfig, type Finding, type Profile } from '../server/src/engine';
import { introducedApiProblems } from '../test/harness/api-validity';

const DEFAULT_FOLDER = join(__dirname, '..', '..', 'shared', 'corpus', 'realworld');
/** Suppression expiry is judged against a fixed day, so a rerun gives the same numbers. */
const TODAY = new Date('2026-06-15T12:00:00Z');

interface Options {
  folder: string;
  profile: Profile;
  unsafe: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { folder: DEFAULT_FOLDER, profile: 'recommended', unsafe: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--unsafe') {
      options.unsafe = true;
    } else if (arg === '--profile') {
      const profile = PROFILES_LIST.find((name) => name === argv[i + 1]);
      if (!profile) throw new Error(`--profile must be one of ${PROFILES_LIST.join(', ')}`);
      options.profile = profile;
      i++;
    } else {
      options.folder = arg;
    }
  }
  return options;
}

interface Tally {
  filesChanged: number;
  fixesApplied: number;
  removedByRule: Map<string, number>;
  problems: string[];
}

function countByRule(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) if (!finding.suppression) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  return counts;
}

const BROKEN = new Set(['parse-error', 'file-skipped']);

/** Fixes one file in memory and records what changed and what broke. */
function fixFile(path: string, name: string, text: string, config: EngineConfig, unsafe: boolean, tally: Tally): void {
  const findingsOf = (current: string): Finding[] => analyze({ path, text: current, config, today: TODAY }).findings;
  const before = findingsOf(text);
  const result = fixInPasses(text, findingsOf, (finding) => unsafe || finding.fix?.isSafe === true);
  if (result.text === text) return;
  tally.filesChanged++;
  tally.fixesApplied += result.applied.length;
  const after = findingsOf(result.text);
  const newlyBroken = after.filter((f) => BROKEN.has(f.ruleId)).length > before.filter((f) => BROKEN.has(f.ruleId)).length;
  if (newlyBroken) tally.problems.push(`${name}: the fixed text no longer parses`);
  if (/\.ya?ml$/i.test(path)) for (const problem of introducedApiProblems(path, text, result.text)) tally.problems.push(`${name}: ${problem}`);
  const afterCounts = countByRule(after);
  for (const [rule, count] of countByRule(before)) {
    const removed = count - (afterCounts.get(rule) ?? 0);
    if (removed !== 0) tally.removedByRule.set(rule, (tally.removedByRule.get(rule) ?? 0) + removed);
  }
}

function report(title: string, files: number, tally: Tally): string {
  const lines = [
    `${title}: ${tally.filesChanged} of ${files} files changed, ${tally.fixesApplied} fixes applied`,
    '  findings removed, by rule:',
    ...[...tally.removedByRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([rule, count]) => `    ${String(count).padStart(6)}  ${rule}`),
    `  problems introduced: ${tally.problems.length}`,
    ...tally.problems.map((problem) => `    ${problem}`),
  ];
  return lines.join('\n');
}

function main(): number {
  const options = parseArgs(process.argv.slice(2));
  const config = resolveConfig({ profile: options.profile });
  const paths = readdirSync(options.folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const modes: Array<{ title: string; unsafe: boolean }> = [{ title: 'fix-all (--fix)', unsafe: false }];
  if (options.unsafe) modes.push({ title: '--fix --fix-unsafe', unsafe: true });
  let problems = 0;
  const sections: string[] = [`${paths.length} files under ${relative(process.cwd(), options.folder) || '.'}, profile ${options.profile}; nothing is written`];
  for (const mode of modes) {
    const tally: Tally = { filesChanged: 0, fixesApplied: 0, removedByRule: new Map(), problems: [] };
    for (const path of paths) {
      fixFile(path, relative(options.folder, path), readFileSync(path, 'utf8'), config, mode.unsafe, tally);
    }
    problems += tally.problems.length;
    sections.push(report(mode.title, paths.length, tally));
  }
  process.stdout.write(`${sections.join('\n\n')}\n`);
  return problems > 0 ? 1 : 0;
}

process.exitCode = main();
