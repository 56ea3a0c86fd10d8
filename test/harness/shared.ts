/**
 * The shared folder beside the repository (`../shared`: RULES.md, the real-world corpus, the
 * SARIF schema), or wherever SHIPSHAPE_SHARED points. CI always has it; without it, a test that
 * needs it skips and says what is missing, and the rest of the suite runs as usual.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SHARED = resolve(process.env.SHIPSHAPE_SHARED ?? join(__dirname, '..', '..', '..', 'shared'));

/** The path of a file or folder of the shared folder, or undefined when it is not there. */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(SHARED, ...parts);
  return existsSync(path) ? path : undefined;
}

/** Why a test skips: which shared file it needs, and where it was looked for. */
export function sharedMissing(...parts: string[]): string {
  return `needs ${join(SHARED, ...parts)} (the shared folder beside the repository, or SHIPSHAPE_SHARED); CI always has it`;
}
