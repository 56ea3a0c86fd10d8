// Lint rules, checked in: typescript-eslint's recommended type-aware set, plus the engine's purity.
import tseslint from 'typescript-eslint';

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
  {
    // The engine is pure: the CLI and the language server give it text and settings.
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'vscode', 'vscode-languageserver', 'vscode-languageserver/node', 'worker_threads', 'node:worker_threads'],
          patterns: ['../cli/*', '../handlers/*', '../workspace/*', '../../cli/*', '../../workspace/*', '../../handlers/*'],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'fetch', 'require'],
    },
  },
);
