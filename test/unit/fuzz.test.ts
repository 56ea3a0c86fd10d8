import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkInput, HOSTILE, inputArbitrary, loadSeeds } from '../harness/fuzz';

/** A fixed seed keeps the normal test run repeatable; `npm run fuzz` explores with new seeds. */
const SEED = 20261125;

describe('fuzzing (a few runs; `npm run fuzz` for long ones)', () => {
  it('analysis and fixes survive mutated fixtures and real-world files', () => {
    fc.assert(fc.property(inputArbitrary(loadSeeds(25)), checkInput), { numRuns: 150, seed: SEED });
  });

  it('every hostile fixture, including inputs fuzzing once broke on, passes the same checks', () => {
    for (const name of readdirSync(HOSTILE)) {
      checkInput({ path: name, text: readFileSync(join(HOSTILE, name), 'utf8') });
      checkInput({ path: `charts/regression/templates/${name}`, text: readFileSync(join(HOSTILE, name), 'utf8') });
    }
  });
});
