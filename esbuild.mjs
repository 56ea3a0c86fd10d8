// The only bundler: the extension client, the language server and the CLI, each one CommonJS file;
// the end-to-end suites; and the rule pages the extension ships, without the maintainers' notes.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * docs/rules/*.md as the extension shows them (server/out/docs/, next to the server bundle that
 * links them): the same text without its HTML comments, which speak to maintainers ("edit the
 * rule module and run npm run docs"). Generated at every build, so the two never drift.
 */
function writeShippedRuleDocs() {
  const target = 'server/out/docs';
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync('docs/rules').filter((file) => file.endsWith('.md'))) {
    const text = readFileSync(`docs/rules/${name}`, 'utf8');
    writeFileSync(`${target}/${name}`, text.replace(/^<!--[^\n]*-->\r?\n/gm, ''));
  }
}

const e2eSuites = readdirSync('test/e2e').filter((file) => file.endsWith('.ts')).map((file) => `test/e2e/${file}`);

writeShippedRuleDocs();
await Promise.all([
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' }),
  // The scan worker thread, loaded by the CLI and the server from their own folder.
  build({ ...common, entryPoints: ['server/src/host/scan-worker.ts'], outfile: 'server/out/scan-worker.js' }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  // Loaded by VS Code's extension host from out/test/e2e (extensionTestsPath); mocha comes from node_modules.
  build({ ...common, entryPoints: e2eSuites, outdir: 'out/test/e2e', external: ['vscode', 'mocha'] }),
]);
