import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The built CLI bundle the tests run (`npm test` builds it first). */
export const CLI = join(__dirname, '..', '..', 'server', 'out', 'cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `shipshape args` in `cwd`, uncoloured, as a user would. */
export function shipshape(args: readonly string[], cwd: string): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
