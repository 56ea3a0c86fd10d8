/**
 * Cross-file re-publishing in the language server (issue 19): a workspace of one Namespace and
 * 200 Deployments in it. After a workspace scan (the Deployments are closed), one character typed
 * into the Namespace's enforce label flips it between `restricted` and `baseline`; the time is
 * from the change to the last of the 200 re-published diagnostics. A keystroke in a Deployment
 * that nothing depends on is measured beside it, so the cost of the workspace model shows.
 * Run by `npm run bench:lsp` (after the shared harness) or alone: `tsx scripts/bench-workspace.ts`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, type Message, type PublishParams } from '../test/protocol/lsp-client';

const DEPENDENTS = 200;
const KEYSTROKES = Number(process.env.BENCH_EDITS ?? 30);

function deployment(index: number): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: app-${index}`,
    '  namespace: shop',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: app-${index}`,
    `          image: registry.example.com/app-${index}:1.0`,
    '',
  ].join('\n');
}

const namespace = (level: string): string =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-bench-ws-'));
  mkdirSync(join(root, 'apps'));
  for (let i = 0; i < DEPENDENTS; i++) writeFileSync(join(root, 'apps', `app-${i}.yaml`), deployment(i));
  writeFileSync(join(root, 'namespace.yaml'), namespace('restricted'));
  const client = new LspClient();
  try {
    await client.initialize({ rootPath: root });
    await client.request('shipshape/scanWorkspace', {});
    const dependents = new Set(Array.from({ length: DEPENDENTS }, (_, i) => pathToFileURL(join(root, 'apps', `app-${i}.yaml`)).href));

    const namespaceUri = pathToFileURL(join(root, 'namespace.yaml')).href;
    client.open(namespaceUri, 'yaml', namespace('restricted'));
    await client.diagnostics(namespaceUri, 1);
    // `restricted` ↔ `baseline`: every Deployment's finding changes with each keystroke.
    const line = 5;
    const column = '    pod-security.kubernetes.io/enforce: '.length;
    const republish: number[] = [];
    let version = 1;
    for (let i = 0; i < KEYSTROKES; i++) {
      const [from, to] = i % 2 === 0 ? ['restricted', 'baseline'] : ['baseline', 'restricted'];
      version++;
      const waiting = new Set(dependents);
      const done = new Promise<void>((resolve) => {
        const check = (message: Message): boolean => {
          if (message.method !== 'textDocument/publishDiagnostics') return false;
          waiting.delete((message.params as PublishParams).uri);
          return waiting.size === 0;
        };
        void client.waitFor(check, 120_000).then(() => resolve());
      });
      const start = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri: namespaceUri, version },
        contentChanges: [{ range: { start: { line, character: column }, end: { line, character: column + from.length } }, text: to }],
      });
      await done;
      republish.push(performance.now() - start);
    }

    // A Deployment nothing depends on: the keystroke cost with the workspace model in place.
    const own = pathToFileURL(join(root, 'apps', 'app-0.yaml')).href;
    client.open(own, 'yaml', deployment(0));
    await client.diagnostics(own, 1);
    const keystroke: number[] = [];
    let ownVersion = 1;
    for (let i = 0; i < KEYSTROKES; i++) {
      ownVersion++;
      const published = client.diagnostics(own, ownVersion);
      const character = '          image: registry.example.com/app-0:1.0'.length;
      const change = i % 2 === 0 ? { range: { start: { line: 10, character }, end: { line: 10, character } }, text: '1' } : { range: { start: { line: 10, character }, end: { line: 10, character: character + 1 } }, text: '' };
      const start = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri: own, version: ownVersion }, contentChanges: [change] });
      await published;
      keystroke.push(performance.now() - start);
    }
    console.log('\n== Cross-file re-publishing (issue 19; medians over', KEYSTROKES, 'keystrokes)');
    console.log(`keystroke in a Namespace → ${DEPENDENTS} closed dependents re-published: ${median(republish).toFixed(1)} ms (target ≤ 50)`);
    console.log(`keystroke in a workload nothing depends on:                ${median(keystroke).toFixed(1)} ms`);
  } finally {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
