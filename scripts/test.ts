/**
 * `npm test`: build, then the unit, rule, CLI and protocol tests (node --test), then the
 * end-to-end tests in a real VS Code (scripts/e2e.ts), and one closing `N passed, N failed` line
 * over all of them. `npm run test:unit` (`--no-e2e`) stops after the first part.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUMMARY_FILE } from './e2e-common';

/** test/*.test.ts and test/<folder>/*.test.ts; test/e2e holds Mocha suites for the extension host. */
function nodeTestFiles(): string[] {
  const test = join(ROOT, 'test');
  const files = readdirSync(test).filter((name) => name.endsWith('.test.ts')).map((name) => `test/${name}`);
  for (const folder of readdirSync(test).sort()) {
    if (folder === 'e2e' || !statSync(join(test, folder)).isDirectory()) continue;
    files.push(...readdirSync(join(test, folder)).filter((name) => name.endsWith('.test.ts')).map((name) => `test/${folder}/${name}`));
  }
  return files;
}

/** Runs a command with its output passed through; resolves with its exit code and output. */
function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function count(output: string, label: 'pass' | 'fail'): number {
  return Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
}

async function main(): Promise<number> {
  const build = await run(process.execPath, ['esbuild.mjs']);
  if (build.code !== 0) {
    console.log('0 passed, 1 failed (the build)');
    return 1;
  }
  // Two test files at a time (each independent of the others' state), on both cores.
  const unit = await run(process.execPath, ['--require', 'tsx/cjs', '--test', '--test-concurrency=2', '--test-reporter=spec', ...nodeTestFiles()]);
  let passed = count(unit.output, 'pass');
  // A run that crashed before its summary still failed.
  let failed = unit.code !== 0 ? Math.max(1, count(unit.output, 'fail')) : count(unit.output, 'fail');
  if (!process.argv.includes('--no-e2e')) {
    rmSync(SUMMARY_FILE, { force: true });
    await run(process.execPath, ['--import', 'tsx', 'scripts/e2e.ts']);
    const e2e = existsSync(SUMMARY_FILE) ? (JSON.parse(readFileSync(SUMMARY_FILE, 'utf8')) as { passed: number; failed: number }) : { passed: 0, failed: 1 };
    passed += e2e.passed;
    failed += e2e.failed;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
