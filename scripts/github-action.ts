/**
 * The scan step of the GitHub Action (action.yml). The inputs arrive as INPUT_PATHS,
 * INPUT_PROFILE, INPUT_CONFIG, INPUT_FAIL_ON, INPUT_FORMAT and INPUT_OUTPUT, through the step's
 * `env` (never pasted into a shell line, so an input cannot inject commands); the CLI bundle built
 * next to this script runs with the matching flags in the current folder, and its exit code is
 * the step's. Runs the same on a laptop: `INPUT_PATHS=examples tsx scripts/github-action.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'server', 'out', 'cli.js');

/** Input name → flag; an empty input leaves the flag out, so the CLI's default (or the config) applies. */
const FLAGS = [
  ['PROFILE', '--profile'],
  ['CONFIG', '--config'],
  ['FAIL_ON', '--fail-on'],
  ['FORMAT', '--format'],
  ['OUTPUT', '--output'],
] as const;

class InputError extends Error {}

/** `shipshape` arguments for the inputs; `paths` are separated by spaces or newlines, `.` when empty. */
export function scanArguments(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string[] {
  const input = (name: string): string => (env[`INPUT_${name}`] ?? '').trim();
  const paths = input('PATHS').split(/\s+/).filter(Boolean);
  // A mistyped path must not turn into a green scan of nothing.
  const missing = paths.filter((path) => !exists(path));
  if (missing.length > 0) throw new InputError(`paths: ${missing.map((path) => `"${path}"`).join(', ')} not found (paths are separated by spaces or newlines, relative to ${process.cwd()}).`);
  const args = ['scan', ...(paths.length > 0 ? paths : ['.'])];
  for (const [name, flag] of FLAGS) {
    const value = input(name);
    if (value) args.push(flag, value);
  }
  return args;
}

function run(): number {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 9)) throw new InputError(`Shipshape needs Node.js 20.9 or later; this runner has ${process.versions.node} (add actions/setup-node).`);
  if (!existsSync(CLI)) throw new InputError(`${CLI} is missing: run \`npm ci && npm run build\` in the action's folder first.`);
  const args = scanArguments(process.env, existsSync);
  process.stderr.write(`shipshape ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [CLI, ...args], { stdio: 'inherit' });
  return result.status ?? 2;
}

if (require.main === module) {
  try {
    process.exitCode = run();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`shipshape action: ${error.message}\n`);
    process.exitCode = 2;
  }
}
