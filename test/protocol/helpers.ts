/** What the protocol test files share: the manifests they open, and small readers of the answers. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVER_PATH, type Diagnostic } from './lsp-client';

export const PEA = 'privilege-escalation-allowed';

export const DEPLOYMENT = [
  'apiVersion: apps/v1', // 0
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:', // 5
  '    spec:',
  '      containers:',
  '        - name: web', // 8: the finding is on "web", columns 16-19
  '          image: nginx:1.27',
  '',
].join('\n');

/** DEPLOYMENT with `allowPrivilegeEscalation: true` on line 11, columns 38-42 (an error). */
export const DEPLOYMENT_ESCALATING = `${DEPLOYMENT}          securityContext:\n            allowPrivilegeEscalation: true\n`;

export const TWO_DOCUMENTS = `${DEPLOYMENT}---\n${DEPLOYMENT.replace(/web/g, 'api')}`;

export interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}

export interface CodeAction {
  title: string;
  kind?: string;
  edit?: { changes: Record<string, TextEdit[]> };
  data?: unknown;
  isPreferred?: boolean;
}

export function only(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

export function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Diagnostic['range'] {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

/** The rendered page the extension ships (docs/rules without maintainer notes). */
export const DOC_HREF = pathToFileURL(resolve(__dirname, '..', '..', 'server', 'out', 'docs', `${PEA}.md`)).href;

/** Applies LSP edits to a text (test-side, independent of the engine). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }): number => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

export function tempWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'shipshape-lsp-'));
}

/** `npm test` builds first; a protocol test file run on its own builds the server when it is missing. */
export function ensureServerBuilt(): void {
  if (!existsSync(SERVER_PATH)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: resolve(__dirname, '..', '..') });
}
