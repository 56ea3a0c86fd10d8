/**
 * The scan step of the GitHub Action (action.yml). The inputs arrive as INPUT_PATHS,
 * INPUT_PROFILE, INPUT_CONFIG, INPUT_FAIL_ON, INPUT_FORMAT, INPUT_OUTPUT, INPUT_SHARD, INPUT_CACHE
 * and INPUT_MERGE, through the step's
 * `env` (never pasted into a shell line, so an input cannot inject commands); the CLI bundle built
 * next to this script runs with the matching flags in the current folder, and its exit code is
 * the step's. Runs the same on a laptop: `INPUT_PATHS=examples tsx scripts/github-action.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'server', 'out', 'cli.js');

/** Input name → flag; an empty input leaves the flag out, so the CLI's default (or the config) applies. */
const SCAN_FLAGS = [
  ['PROFILE', '--profile'],
  ['CONFIG', '--config'],
  ['SHARD', '--shard'],
] as const;
/** The flags of the report, which `merge` takes too. */
const REPORT_FLAGS = [
  ['FAIL_ON', '--fail-on'],
  ['FORMAT', '--format'],
  ['OUTPUT', '--output'],
] as const;

class InputError extends Error {}

/**
 * `shipshape` arguments for the inputs: a scan of `paths` (separated by spaces or newlines, `.`
 * when empty), or with `merge`, the merge of the reports in that folder.
 */
export function scanArguments(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string[] {
  const input = (name: string): string => (env[`INPUT_${name}`] ?? '').trim();
  const reportFlags = REPORT_FLAGS.flatMap(([name, flag]) => (input(name) ? [flag, input(name)] : []));
  const merge = input('MERGE');
  if (merge) {
    if (!exists(merge)) throw new InputError(`merge: "${merge}" not found (the folder the shards' json reports were downloaded to).`);
    const scanOnly = ['PATHS', 'PROFILE', 'CONFIG', 'SHARD'].filter((name) => input(name) && !(name === 'PATHS' && input(name) === '.'));
    if (input('CACHE') === 'true') scanOnly.push('CACHE');
    if (scanOnly.length > 0) throw new InputError(`merge takes no ${scanOnly.map((name) => name.toLowerCase()).join(', ')}: they belong to the shards' scans.`);
    return ['merge', merge, ...reportFlags];
  }
  const paths = input('PATHS').split(/\s+/).filter(Boolean);
  // A mistyped path must not turn into a green scan of nothing.
  const missing = paths.filter((path) => !exists(path));
  if (missing.length > 0) throw new InputError(`paths: ${missing.map((path) => `"${path}"`).join(', ')} not found (paths are separated by spaces or newlines, relative to ${process.cwd()}).`);
  const cache = input('CACHE');
  if (cache !== '' && cache !== 'true' && cache !== 'false') throw new InputError(`cache: true or false, not "${cache}".`);
  const scanFlags = SCAN_FLAGS.flatMap(([name, flag]) => (input(name) ? [flag, input(name)] : []));
  return ['scan', ...(paths.length > 0 ? paths : ['.']), ...scanFlags, ...(cache === 'true' ? ['--cache'] : []), ...reportFlags];
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
