/**
 * The end-to-end suites' entry, in the `@vscode/test-electron` format: VS Code loads this file in
 * the extension host (`extensionTestsPath`) and awaits `run()`. The same bundle runs under
 * code-server (`npm run test:e2e`) and under a downloaded VS Code (`npm run test:e2e:electron`).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface E2eResults {
  passed: number;
  failed: number;
  failures: string[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.SHIPSHAPE_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const runner = mocha.run((failed) => {
      const results: E2eResults = { passed: runner.stats?.passes ?? 0, failed, failures };
      const out = process.env.SHIPSHAPE_E2E_RESULTS;
      if (out) writeFileSync(out, JSON.stringify(results));
      if (failed > 0) reject(new Error(`${failed} end-to-end tests failed`));
      else resolve();
    });
    runner.on('fail', (test) => failures.push(test.fullTitle()));
  });
}
