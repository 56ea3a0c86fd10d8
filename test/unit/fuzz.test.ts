import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkInput, corpusSeeds, fixtureSeeds, HOSTILE, inputArbitrary, REALWORLD } from '../harness/fuzz';
import { sharedMissing } from '../harness/shared';

/** A fixed seed keeps the normal test run repeatable; `npm run fuzz` explores with new seeds. */
const SEED = 20261125;

describe('fuzzing (a few runs; `npm run fuzz` for long ones)', () => {
  it('analysis and fixes survive mutated rule fixtures', () => {
    fc.assert(fc.property(inputArbitrary(fixtureSeeds()), checkInput), { numRuns: 100, seed: SEED });
  });

  it('analysis and fixes survive mutated real-world files', (t) => {
    const seeds = corpusSeeds(25);
    if (!seeds) return t.skip(sharedMissing(...REALWORLD));
    fc.assert(fc.property(inputArbitrary(seeds), checkInput), { numRuns: 50, seed: SEED });
  });

  it('every hostile fixture, including inputs fuzzing once broke on, passes the same checks', () => {
    for (const name of readdirSync(HOSTILE)) {
      checkInput({ path: name, text: readFileSync(join(HOSTILE, name), 'utf8') });
      checkInput({ path: `charts/regression/templates/${name}`, text: readFileSync(join(HOSTILE, name), 'utf8') });
    }
  });
});
