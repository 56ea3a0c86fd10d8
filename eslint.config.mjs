// Lint rules, checked in: typescript-eslint's recommended type-aware set, plus the layer
// boundaries of docs/architecture.md. The boundaries are `no-restricted-imports` per folder, so
// `npx eslint FILE` rejects a forbidden import in that very file; `npm run lint` also runs
// `madge --circular` (type-only imports included), which eslint cannot see.
import tseslint from 'typescript-eslint';

/** Node and editor modules the pure engine never touches: it gets text and settings, nothing else. */
const IO_AND_EDITOR_MODULES = [
  'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net',
  'http', 'node:http', 'https', 'node:https', 'worker_threads', 'node:worker_threads', 'os', 'node:os',
  'vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-types', 'vscode-languageserver-textdocument',
];
const PROTOCOL_MODULES = ['vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-types', 'vscode-languageserver-textdocument'];

/** Import paths (gitignore syntax, matched against the import string) that name a layer. */
const LAYER = {
  cli: ['**/cli', '**/cli/**'],
  handlers: ['**/handlers', '**/handlers/**'],
  host: ['**/host', '**/host/**'],
  serverShell: ['**/server', '**/connection', '**/protocol'],
  rules: ['**/rules', '**/rules/**'],
  runner: ['**/run', '**/analysis/**'],
  fixes: ['**/fix/**'],
  // Shells and the host use the engine's public API (engine/index.ts), not its insides.
  engineInsides: ['**/engine/*'],
  serverSources: ['**/server/src/engine', '**/server/src/engine/**', '**/server/src/host/**', '**/server/src/cli/**', '**/server/src/handlers/**', '**/server/src/server'],
};

function boundary(files, { modules = [], layers = [], why }) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: modules.map((name) => ({ name, message: why })), patterns: [{ group: layers.flat(), message: why }] }],
    },
  };
}

const ENGINE_IS_PURE = 'The engine is pure: no file system, threads, network, editor or protocol, and no shell or host code (docs/architecture.md).';

export default tseslint.config(
  { ignores: ['**/out/**', 'node_modules/**', '.e2e/**', '.bench-cache/**', 'test/fixtures/**', 'test/hostile/**', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // Later entries replace earlier ones for the files they match, so each lists every edge it forbids.
  boundary(['server/src/engine/**/*.ts'], {
    modules: IO_AND_EDITOR_MODULES,
    layers: [LAYER.cli, LAYER.handlers, LAYER.host, LAYER.serverShell],
    why: ENGINE_IS_PURE,
  }),
  boundary(
    [
      'server/src/engine/kubernetes/**/*.ts',
      'server/src/engine/compose/**/*.ts',
      'server/src/engine/parse/**/*.ts',
      'server/src/engine/source/**/*.ts',
      'server/src/engine/reports/**/*.ts',
      'server/src/engine/updaters/**/*.ts',
    ],
    {
      modules: IO_AND_EDITOR_MODULES,
      layers: [LAYER.cli, LAYER.handlers, LAYER.host, LAYER.serverShell, LAYER.rules, LAYER.runner, LAYER.fixes],
      why: `${ENGINE_IS_PURE} The walkers, the readers (parsers, reports, updater configs) and the range mapper know no rule, runner or fix.`,
    },
  ),
  boundary(['server/src/engine/rules/**/*.ts'], {
    modules: IO_AND_EDITOR_MODULES,
    layers: [LAYER.cli, LAYER.handlers, LAYER.host, LAYER.serverShell, LAYER.runner],
    why: `${ENGINE_IS_PURE} A rule reads the walked model and reports; the runner calls it, never the other way round.`,
  }),
  {
    files: ['server/src/engine/**/*.ts'],
    rules: { 'no-restricted-globals': ['error', 'process', 'fetch', 'require'] },
  },
  boundary(['server/src/host/**/*.ts'], {
    modules: PROTOCOL_MODULES,
    layers: [LAYER.cli, LAYER.handlers, LAYER.serverShell, LAYER.engineInsides],
    why: 'The host serves both shells: it knows neither the CLI nor the language server, and uses the engine through its API.',
  }),
  boundary(['server/src/cli/**/*.ts'], {
    modules: PROTOCOL_MODULES,
    layers: [LAYER.handlers, LAYER.serverShell, LAYER.engineInsides],
    why: 'The CLI is a shell over the host and the engine API; it never imports the language server.',
  }),
  boundary(['server/src/handlers/**/*.ts', 'server/src/server.ts', 'server/src/connection.ts'], {
    layers: [LAYER.cli, LAYER.engineInsides],
    why: 'The language server is a shell over the host and the engine API; it never imports the CLI.',
  }),
  boundary(['client/src/**/*.ts'], {
    layers: [LAYER.serverSources],
    why: 'The extension client only starts the server and speaks the protocol (server/src/protocol.ts); it never bundles server code.',
  }),
);
