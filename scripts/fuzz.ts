/**
 * Long fuzzing runs: mutated fixtures and real-world files through analysis and fixing.
 *
 *   npm run fuzz -- [--runs 2000] [--seed 12345] [--corpus-step 3]
 *
 * The seed is printed first, so a failure replays with the same `--seed`. A failing input is
 * written to a file in the temp folder (path on the first line), to keep as a regression fixture in
 * test/hostile/.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { checkInput, corpusSeeds, fixtureSeeds, inputArbitrary } from '../test/harness/fuzz';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  if (value !== undefined && !Number.isInteger(value)) throw new Error(`--${name} needs a whole number`);
  return value ?? fallback;
}

const runs = option('runs', 1000);
const seed = option('seed', Date.now() % 2 ** 31);
const seeds = [...fixtureSeeds(), ...(corpusSeeds(option('corpus-step', 3)) ?? [])];
console.log(`fuzz: seed ${seed}, ${runs} runs, ${seeds.length} seed files (replay: npm run fuzz -- --seed ${seed} --runs ${runs})`);
const result = fc.check(fc.property(inputArbitrary(seeds), checkInput), { numRuns: runs, seed });
if (result.failed) {
  const [input] = result.counterexample ?? [];
  const saved = join(tmpdir(), `shipshape-fuzz-${seed}.txt`);
  if (input) writeFileSync(saved, `${input.path}\n${input.text}`);
  console.error(`fuzz: failed after ${result.numRuns} runs (seed ${seed}, path ${result.counterexamplePath ?? ''})`);
  console.error(result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance));
  if (input) console.error(`the input (path ${input.path}) is in ${saved}`);
  process.exit(1);
}
console.log(`fuzz: ${result.numRuns} runs passed`);
