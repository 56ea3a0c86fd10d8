/**
 * The language server on open documents, over stdio. One server serves the file; each test opens
 * documents of its own, so any test passes alone (`--test-name-pattern`) or in any order.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, type Diagnostic } from './lsp-client';
import {
  applyTextEdits,
  DEPLOYMENT,
  DEPLOYMENT_ESCALATING,
  DOC_HREF,
  ensureServerBuilt,
  only,
  PEA,
  range,
  tempWorkspace,
  TWO_DOCUMENTS,
  type CodeAction,
} from './helpers';

describe('language server: documents', () => {
  const root = tempWorkspace();
  let client: LspClient;
  let initialized: { capabilities: Record<string, unknown> };
  const uriOf = (name: string): string => pathToFileURL(join(root, name)).href;

  /** Opens a document and waits for its first diagnostics. */
  async function opened(uri: string, text: string, languageId = 'yaml'): Promise<Diagnostic[]> {
    const published = client.diagnostics(uri, 1);
    client.open(uri, languageId, text);
    return (await published).diagnostics;
  }

  function codeActions(uri: string, at: Diagnostic['range'], only?: string[]): Promise<CodeAction[]> {
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: at, context: { diagnostics: [], ...(only ? { only } : {}) } });
  }

  before(async () => {
    ensureServerBuilt();
    client = new LspClient();
    initialized = (await client.initialize({ rootPath: root })) as typeof initialized;
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('initializes with incremental sync, hover and code actions', () => {
    assert.deepEqual(initialized.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(initialized.capabilities.hoverProvider, true);
    assert.deepEqual(initialized.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.shipshape'], resolveProvider: true });
  });

  it('publishes exact diagnostics on open', async () => {
    assert.deepEqual(only(await opened(uriOf('open.yaml'), DEPLOYMENT), PEA), [
      {
        range: range(8, 16, 8, 19),
        severity: 2,
        source: 'shipshape',
        code: PEA,
        codeDescription: { href: DOC_HREF },
        message: 'Container "web" does not set allowPrivilegeEscalation: false; setuid binaries can gain privileges.',
      },
    ]);
    assert.ok(existsSync(fileURLToPath(DOC_HREF)), 'the documentation link points at the bundled page');
    const shipped = readFileSync(fileURLToPath(DOC_HREF), 'utf8');
    assert.ok(!shipped.includes('<!--'), 'the shipped page carries no maintainer notes');
    assert.ok(shipped.startsWith(`# ${PEA}\n`));
    const source = readFileSync(resolve(__dirname, '..', '..', 'docs', 'rules', `${PEA}.md`), 'utf8');
    assert.equal(shipped, source.split('\n').filter((line) => !line.startsWith('<!--')).join('\n'), 'the same page as docs/rules otherwise');
  });

  it('re-analyses an incremental change', async () => {
    const uri = uriOf('change.yaml');
    await opened(uri, DEPLOYMENT);
    const published = client.diagnostics(uri, 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: range(10, 0, 10, 0), text: '          securityContext:\n            allowPrivilegeEscalation: true\n' }],
    });
    const { diagnostics } = await published;
    const [finding] = only(diagnostics, PEA);
    assert.deepEqual(finding?.range, range(11, 38, 11, 42));
    assert.equal(finding?.severity, 1);
  });

  it('answers hover on a flagged range with the title, why and a link', async () => {
    const uri = uriOf('hover.yaml');
    await opened(uri, DEPLOYMENT_ESCALATING);
    const hover = await client.request<{ contents: { kind: string; value: string }; range: Diagnostic['range'] } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 11, character: 40 },
    });
    assert.ok(hover);
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*Containers must set allowPrivilegeEscalation: false\*\* \(`privilege-escalation-allowed`\)/);
    assert.match(hover.contents.value, /setuid binaries/);
    assert.ok(hover.contents.value.includes(`[Rule documentation](${DOC_HREF})`));
    assert.deepEqual(hover.range, range(11, 38, 11, 42));
    const nothing = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(nothing, null);
  });

  it('offers the quick fix and the ignore actions for a finding', async () => {
    const uri = uriOf('actions.yaml');
    await opened(uri, DEPLOYMENT_ESCALATING);
    const actions = await codeActions(uri, range(11, 38, 11, 42));
    const fix = actions.find((action) => action.title === 'Set allowPrivilegeEscalation: false');
    assert.deepEqual(fix?.edit?.changes[uri], [{ range: range(11, 38, 11, 42), newText: 'false' }]);
    assert.equal(fix?.kind, 'quickfix');
    const ignoreLine = actions.find((action) => action.title === `Ignore ${PEA} for this line`);
    assert.deepEqual(ignoreLine?.edit?.changes[uri], [{ range: range(11, 0, 11, 0), newText: `            # shipshape-ignore ${PEA}\n` }]);
    const ignoreFile = actions.find((action) => action.title === `Ignore ${PEA} for this file`);
    assert.deepEqual(ignoreFile?.edit?.changes[uri], [{ range: range(0, 0, 0, 0), newText: `# shipshape-ignore-file ${PEA}\n` }]);
  });

  it('ignores "this line" with a trailing comment on a document\'s first line, which a comment above would widen to the whole document', async () => {
    const firstLine = 'file:///ws/spec-first.yaml';
    const text = 'spec:\n  containers:\n    - name: web\n      image: nginx:1.27\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n';
    const automount = only(await opened(firstLine, text), 'automount-service-account-token');
    assert.deepEqual(automount.map((d) => d.range), [range(0, 0, 0, 4)]);
    const actions = await codeActions(firstLine, range(0, 0, 0, 4));
    const ignoreLine = actions.find((action) => action.title === 'Ignore automount-service-account-token for this line');
    assert.deepEqual(ignoreLine?.edit?.changes[firstLine], [{ range: range(0, 5, 0, 5), newText: ' # shipshape-ignore automount-service-account-token' }]);
    client.notify('textDocument/didClose', { textDocument: { uri: firstLine } });
  });

  it('suppresses the finding once the ignore comment is typed', async () => {
    const uri = uriOf('typed-ignore.yaml');
    assert.equal(only(await opened(uri, DEPLOYMENT_ESCALATING), PEA).length, 1);
    const published = client.diagnostics(uri, 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: range(11, 0, 11, 0), text: `            # shipshape-ignore ${PEA}\n` }],
    });
    assert.deepEqual(only((await published).diagnostics, PEA), []);
  });

  it('clears the diagnostics of a closed document', async () => {
    const uri = uriOf('closed.yaml');
    assert.ok((await opened(uri, DEPLOYMENT)).length > 0);
    const published = client.diagnostics(uri);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual((await published).diagnostics, []);
  });

  it('keeps the other documents of a multi-document file and shifts their ranges', async () => {
    const multi = uriOf('two.yaml');
    assert.deepEqual(
      only(await opened(multi, TWO_DOCUMENTS), PEA).map((d) => d.range),
      [range(8, 16, 8, 19), range(19, 16, 19, 19)],
    );
    const changed = client.diagnostics(multi, 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri: multi, version: 2 },
      contentChanges: [{ range: range(3, 11, 3, 11), text: '\n  namespace: shop' }],
    });
    assert.deepEqual(
      only((await changed).diagnostics, PEA).map((d) => d.range),
      [range(9, 16, 9, 19), range(20, 16, 20, 19)],
    );
  });

  it('offers Harden container and fix-all, resolved lazily', async () => {
    const multi = uriOf('harden.yaml');
    const text = `${DEPLOYMENT.replace('  name: web', '  name: web\n  namespace: shop')}---\n${DEPLOYMENT.replace(/web/g, 'api')}`;
    await opened(multi, text);
    const actions = await codeActions(multi, range(9, 16, 9, 19));
    const harden = actions.find((action) => action.title === 'Harden container');
    assert.ok(harden, 'several rules fix this container');
    assert.equal(harden.edit, undefined, 'computed on resolve');
    const resolvedHarden = await client.request<CodeAction>('codeAction/resolve', harden);
    const hardened = applyTextEdits(text, resolvedHarden.edit?.changes[multi] ?? []);
    const firstDocument = hardened.slice(0, hardened.indexOf('---'));
    assert.match(firstDocument, /allowPrivilegeEscalation: false/);
    assert.ok((firstDocument.match(/^ {10}securityContext:/gm)?.length ?? 0) === 1, 'one container securityContext, however many fixes add to it');
    assert.ok(hardened.endsWith(text.slice(text.indexOf('---'))), 'the other document is untouched');
    const fixAll = await codeActions(multi, range(0, 0, 0, 0), ['source.fixAll']);
    assert.deepEqual(fixAll.map((action) => action.kind), ['source.fixAll.shipshape']);
    const resolved = await client.request<CodeAction>('codeAction/resolve', fixAll[0]);
    const fixed = applyTextEdits(text, resolved.edit?.changes[multi] ?? []);
    assert.equal(fixed.match(/allowPrivilegeEscalation: false/g)?.length, 2, 'the safe fix applied in both documents');
  });

  it('shows the supported releases on an end-of-life image and offers the upgrade as a quick fix only', async () => {
    // Node.js 16 ended in 2023: past its end whatever day the test runs; what replaces it depends on that day.
    const eol = uriOf('eol.yaml');
    const text = DEPLOYMENT.replace('nginx:1.27', 'node:16-alpine');
    assert.deepEqual(only(await opened(eol, text), 'image-eol').map((d) => d.range), [range(9, 17, 9, 31)]);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: eol }, position: { line: 9, character: 20 } });
    assert.match(hover?.contents.value ?? '', /Node\.js releases still supported on \d{4}-\d{2}-\d{2}:\n\n- \d+.*: (supported until \d{4}-\d{2}-\d{2}|with no end date announced yet)/);
    assert.match(hover?.contents.value ?? '', /Source: https:\/\/github\.com\/nodejs\/Release/);
    const actions = await codeActions(eol, range(9, 20, 9, 20));
    const upgrade = actions.find((action) => action.title.startsWith('Upgrade to node:'));
    assert.equal(upgrade?.kind, 'quickfix');
    assert.match(applyTextEdits(text, upgrade?.edit?.changes[eol] ?? []), /image: node:\d+-alpine\n/);
    const [fixAll] = await codeActions(eol, range(0, 0, 0, 0), ['source.fixAll']);
    const fixedAll = fixAll ? await client.request<CodeAction>('codeAction/resolve', fixAll) : undefined;
    assert.match(applyTextEdits(text, fixedAll?.edit?.changes[eol] ?? []), /image: node:16-alpine\n/, 'fix-all leaves the release alone');
    const harden = actions.find((action) => action.title === 'Harden container');
    const hardened = harden ? await client.request<CodeAction>('codeAction/resolve', harden) : undefined;
    assert.match(applyTextEdits(text, hardened?.edit?.changes[eol] ?? []), /image: node:16-alpine\n/, 'Harden container leaves the release alone');
    client.notify('textDocument/didClose', { textDocument: { uri: eol } });
  });

  it('places Dockerfile ignore comments above the instruction and below parser directives', async () => {
    const dockerfile = uriOf('Dockerfile');
    const text = '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN apk update && \\\n    sudo apk add curl\n';
    assert.deepEqual(
      only(await opened(dockerfile, text, 'dockerfile'), 'dockerfile-sudo').map((d) => d.range),
      [range(3, 4, 3, 8)],
    );
    const actions = await codeActions(dockerfile, range(3, 5, 3, 5));
    const ignoreLine = actions.find((action) => action.title === 'Ignore dockerfile-sudo for this line');
    assert.deepEqual(ignoreLine?.edit?.changes[dockerfile], [{ range: range(2, 0, 2, 0), newText: '# shipshape-ignore dockerfile-sudo\n' }]);
    const ignoreFile = actions.find((action) => action.title === 'Ignore dockerfile-sudo for this file');
    assert.deepEqual(ignoreFile?.edit?.changes[dockerfile], [{ range: range(1, 0, 1, 0), newText: '# shipshape-ignore-file dockerfile-sudo\n' }]);
    const changed = client.diagnostics(dockerfile, 2);
    client.notify('textDocument/didChange', {
      textDocument: { uri: dockerfile, version: 2 },
      contentChanges: [{ range: range(2, 0, 2, 0), text: '# shipshape-ignore dockerfile-sudo\n' }],
    });
    assert.deepEqual(only((await changed).diagnostics, 'dockerfile-sudo'), []);
    client.notify('textDocument/didClose', { textDocument: { uri: dockerfile } });
  });

  it('applies a settings change to open documents', async () => {
    // Settings are the whole server's: this test has a server of its own.
    const own = new LspClient();
    try {
      await own.initialize({ rootPath: root });
      const multi = uriOf('settings.yaml');
      const opening = own.diagnostics(multi, 1);
      own.open(multi, 'yaml', TWO_DOCUMENTS);
      assert.equal(only((await opening).diagnostics, PEA).length, 2);
      own.settings = { shipshape: { rules: { [PEA]: 'off' } } };
      const published = own.diagnostics(multi, 1);
      own.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(only((await published).diagnostics, PEA), []);
      own.settings = { shipshape: { profile: 'baseline', rules: { [PEA]: 'error' } } };
      const again = own.diagnostics(multi, 1);
      own.notify('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(
        only((await again).diagnostics, PEA).map((d) => d.severity),
        [1, 1],
      );
    } finally {
      own.kill();
    }
  });

  it('reports the counts by severity for the status bar', async () => {
    const uri = uriOf('status.yaml');
    const from = client.notifications.length;
    type Status = { state: string; counts: { error: number; warning: number; info: number }; files: number };
    const idle = client.waitFor((m) => m.method === 'shipshape/status' && (m.params as Status).state === 'idle' && (m.params as Status).counts.warning > 0);
    await opened(uri, DEPLOYMENT);
    await idle;
    const statuses = client.notifications.slice(from).filter((m) => m.method === 'shipshape/status').map((m) => m.params as Status);
    assert.ok(statuses.some((status) => status.state === 'analysing'), 'while a configuration is fetched');
    assert.ok(statuses.some((status) => status.state === 'idle' && status.counts.warning > 0 && status.counts.info > 0 && status.files > 0));
  });

  it('offers no ignore comments in JSON manifests', async () => {
    const json = uriOf('pod.json');
    const [finding] = only(
      await opened(json, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, null, 2), 'json'),
      PEA,
    );
    assert.ok(finding);
    const actions = await codeActions(json, finding.range);
    assert.deepEqual(actions.filter((action) => action.title.startsWith('Ignore')), []);
    assert.deepEqual(actions.filter((action) => action.edit), [], 'JSON files get no fixes either');
    client.notify('textDocument/didClose', { textDocument: { uri: json } });
  });

  it('pulls settings per resource and registers its watchers', async () => {
    const uri = uriOf('pulled.yaml');
    await opened(uri, DEPLOYMENT);
    const configurationRequest = client.serverRequests.find(
      (message) => message.method === 'workspace/configuration' && (message.params as { items: Array<{ scopeUri?: string }> }).items[0]?.scopeUri === uri,
    );
    assert.deepEqual(configurationRequest?.params, { items: [{ scopeUri: uri, section: 'shipshape' }] });
    const registrations = client.serverRequests
      .filter((message) => message.method === 'client/registerCapability')
      .flatMap((message) => (message.params as { registrations: Array<{ method: string }> }).registrations.map((r) => r.method));
    assert.ok(registrations.includes('workspace/didChangeWatchedFiles'));
  });
});
