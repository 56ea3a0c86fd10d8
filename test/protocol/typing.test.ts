import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { LspClient, type Diagnostic } from './lsp-client';
import { DEPLOYMENT_ESCALATING, ensureServerBuilt, range, type CodeAction } from './helpers';

ensureServerBuilt();

describe('language server: typing', () => {
  const client = new LspClient();
  const uri = 'file:///typing/deploy.yaml';
  const insecure = readFileSync(resolve(__dirname, '..', '..', 'examples', 'kubernetes', 'insecure', 'deployment.yaml'), 'utf8');
  let version = 1;
  let opened: Diagnostic[] = [];
  const change = async (start: Diagnostic['range']['start'], end: Diagnostic['range']['start'], text: string): Promise<Diagnostic[]> => {
    version++;
    const published = client.diagnostics(uri, version);
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start, end }, text }] });
    return (await published).diagnostics;
  };
  const codesAndLines = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.code}@${d.range.start.line}`);
  after(() => client.kill());

  it('keeps every other finding while a key is typed character by character', async () => {
    await client.initialize();
    const published = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', insecure);
    opened = (await published).diagnostics;
    assert.ok(opened.length >= 15);
    // A new line in the securityContext, below `add: [NET_ADMIN, SYS_PTRACE]` (line 35).
    const moved = opened.map((d) => `${d.code}@${d.range.start.line >= 36 ? d.range.start.line + 1 : d.range.start.line}`);
    const endOf35 = { line: 35, character: insecure.split('\n')[35]?.length ?? 0 };
    assert.deepEqual(codesAndLines(await change(endOf35, endOf35, '\n            ')), moved);
    const key = 'readOnly';
    for (let i = 0; i < key.length; i++) {
      const at = { line: 36, character: 12 + i };
      const diagnostics = await change(at, at, key[i] ?? '');
      assert.deepEqual(codesAndLines(diagnostics.filter((d) => d.code !== 'parse-error')), moved, `after "${key.slice(0, i + 1)}"`);
      assert.deepEqual(
        diagnostics.filter((d) => d.code === 'parse-error').map((d) => d.range),
        [range(36, 12, 36, 13 + i)],
      );
    }
  });

  it('offers no quick fix while the document does not parse, and the ignore actions still', async () => {
    const privileged = opened.find((d) => d.code === 'privileged-container');
    assert.ok(privileged);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: privileged.range, context: { diagnostics: [] } });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Ignore privileged-container for this line', 'Ignore privileged-container for this file'],
    );
  });

  it('keeps the previous findings when a broken key takes its block with it', async () => {
    // Remove the half-typed line, then the colon of `securityContext:` (line 31).
    await change({ line: 35, character: insecure.split('\n')[35]?.length ?? 0 }, { line: 36, character: 20 }, '');
    const diagnostics = await change({ line: 31, character: 25 }, { line: 31, character: 26 }, '');
    assert.deepEqual(codesAndLines(diagnostics).sort(), [...codesAndLines(opened), 'parse-error@31'].sort());
    const restored = await change({ line: 31, character: 25 }, { line: 31, character: 25 }, ':');
    assert.deepEqual(restored, opened);
  });

  it('offers one action per distinct edit: a capability two rules flag is removed by one', async () => {
    const added = opened.filter((d) => d.range.start.line === 35 && d.range.start.character === 20);
    assert.deepEqual(added.map((d) => d.code).sort(), ['capabilities-not-dropped', 'dangerous-capabilities']);
    const actions = await client.request<Array<CodeAction & { diagnostics?: Diagnostic[] }>>('textDocument/codeAction', {
      textDocument: { uri },
      range: added[0]?.range,
      context: { diagnostics: [] },
    });
    const removals = actions.filter((a) => a.title.startsWith('Remove'));
    assert.deepEqual(removals.map((a) => a.title), ['Remove capability NET_ADMIN']);
    assert.deepEqual(removals[0]?.diagnostics?.map((d) => d.code).sort(), ['capabilities-not-dropped', 'dangerous-capabilities']);
    const edits = actions.filter((a) => a.edit).map((a) => JSON.stringify(a.edit));
    assert.equal(new Set(edits).size, edits.length, 'no two actions make the same edit');
  });
});

describe('language server: fixes after a keystroke', () => {
  const client = new LspClient();
  const uri = 'file:///typing/fixes.yaml';
  after(() => client.kill());

  it('offers the quick fix of a finding the keystroke made, asked before its diagnostics arrive', async () => {
    await client.initialize();
    const opened = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', DEPLOYMENT_ESCALATING.replace('nginx:1.27', 'nginx:1.2'));
    await opened;
    // The image tag typed on to 1.27 and the escalation setting fixed at once: the keystroke's
    // diagnostics are published before its fixes are worked out, and the request must not see that.
    const published = client.diagnostics(uri, 2);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: range(9, 26, 9, 26), text: '7' }] });
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: range(11, 38, 11, 42), context: { diagnostics: [] } });
    const fix = actions.find((action) => action.title === 'Set allowPrivilegeEscalation: false');
    assert.deepEqual(fix?.edit?.changes[uri], [{ range: range(11, 38, 11, 42), newText: 'false' }]);
    assert.deepEqual(
      (await published).diagnostics.filter((d) => d.code === 'privilege-escalation-allowed').map((d) => d.range),
      [range(11, 38, 11, 42)],
    );
  });

  it('works out the fixes for fix-all, and publishes the same diagnostics as an analysis with them', async () => {
    const published = client.diagnostics(uri, 3);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: range(3, 11, 3, 11), text: '-2' }] });
    const { diagnostics } = await published;
    const fixAll = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: range(0, 0, 0, 0), context: { diagnostics: [], only: ['source.fixAll'] } });
    assert.equal(fixAll.length, 1);
    // Re-opened, the same text is analysed with its fixes from the start.
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const reopened = client.diagnostics(uri, 4);
    client.open(uri, 'yaml', DEPLOYMENT_ESCALATING.replace('name: web\nspec', 'name: web-2\nspec'), 4);
    assert.deepEqual((await reopened).diagnostics, diagnostics);
  });
});

describe('language server: large publishes while typing', () => {
  const client = new LspClient();
  const uri = 'file:///typing/many.yaml';
  const insecure = readFileSync(resolve(__dirname, '..', '..', 'examples', 'kubernetes', 'insecure', 'deployment.yaml'), 'utf8');
  // Twelve insecure Deployments: over 200 diagnostics, a publish of more than 64 KB, whose memory the stdio writer reuses.
  const text = Array.from({ length: 12 }, (_, index) => insecure.replace(/storefront/g, `storefront-${index}`)).join('---\n');
  after(() => client.kill());

  it('sends every publish whole when keystrokes come faster than large publishes leave', async () => {
    await client.initialize();
    const opened = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', text);
    const first = (await opened).diagnostics;
    assert.ok(JSON.stringify(first).length > 64 * 1024, 'a publish larger than the reused frames start');
    const typed = client.diagnostics(uri, 7);
    const at = { line: 0, character: 0 };
    for (let version = 2; version <= 7; version++) {
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: version % 2 === 0 ? '# x\n' : '' }] });
    }
    const last = (await typed).diagnostics;
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const reopened = client.diagnostics(uri, 8);
    client.open(uri, 'yaml', `# x\n# x\n# x\n${text}`, 8);
    assert.deepEqual(last, (await reopened).diagnostics);
  });
});
