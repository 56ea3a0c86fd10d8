import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..');

/**
 * The layer boundaries of docs/architecture.md, as eslint enforces them: a probe import written
 * into a file of each layer must be rejected (or accepted) by `no-restricted-imports` itself.
 */
const FORBIDDEN: Array<[file: string, source: string]> = [
  ['server/src/engine/rules/kubernetes/probe.ts', "import '../../../cli/formatters/sarif';"],
  ['server/src/engine/rules/probe.ts', "import '../run';"],
  ['server/src/engine/index-probe.ts', "import 'node:fs';"],
  ['server/src/engine/index-probe.ts', "import 'node:worker_threads';"],
  ['server/src/engine/index-probe.ts', "import 'vscode-languageserver/node';"],
  ['server/src/engine/index-probe.ts', "import '../host/discovery';"],
  ['server/src/engine/index-probe.ts', "import '../protocol';"],
  ['server/src/engine/kubernetes/probe.ts', "import type { RuleMeta } from '../rules/define';"],
  ['server/src/engine/kubernetes/probe.ts', "import '../run';"],
  ['server/src/engine/parse/probe.ts', "import '../rules';"],
  ['server/src/engine/compose/probe.ts', "import '../rules/define';"],
  ['server/src/engine/reports/probe.ts', "import '../run';"],
  ['server/src/engine/updaters/probe.ts', "import '../rules';"],
  ['server/src/cli/probe.ts', "import '../handlers/uris';"],
  ['server/src/cli/probe.ts', "import '../server';"],
  ['server/src/cli/probe.ts', "import '../engine/run';"],
  ['server/src/handlers/probe.ts', "import '../cli/formatters/json';"],
  ['server/src/host/probe.ts', "import '../cli/main';"],
  ['server/src/host/probe.ts', "import '../handlers/uris';"],
  ['server/src/host/probe.ts', "import 'vscode-languageserver';"],
  ['client/src/probe.ts', "import '../../server/src/engine';"],
  ['client/src/probe.ts', "import '../../server/src/host/pool';"],
];

const ALLOWED: Array<[file: string, source: string]> = [
  ['server/src/engine/rules/probe.ts', "import '../kubernetes/walker';"],
  ['server/src/engine/probe.ts', "import './rules';"],
  ['server/src/cli/probe.ts', "import '../engine';"],
  ['server/src/cli/probe.ts', "import '../host/pool';"],
  ['server/src/handlers/probe.ts', "import '../host/discovery';"],
  ['client/src/probe.ts', "import '../../server/src/protocol';"],
];

async function restrictedImportErrors(eslint: ESLint, file: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').length;
}

describe('layer boundaries (eslint)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  for (const [file, source] of FORBIDDEN) {
    it(`rejects ${source} in ${file}`, async () => {
      assert.equal(await restrictedImportErrors(eslint, file, source), 1);
    });
  }
  for (const [file, source] of ALLOWED) {
    it(`accepts ${source} in ${file}`, async () => {
      assert.equal(await restrictedImportErrors(eslint, file, source), 0);
    });
  }
});
