import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspClient, SERVER_PATH, type Diagnostic, type Message } from './lsp-client';

const PEA = 'privilege-escalation-allowed';

const DEPLOYMENT = [
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

const TWO_DOCUMENTS = `${DEPLOYMENT}---\n${DEPLOYMENT.replace(/web/g, 'api')}`;

interface TextEdit {
  range: Diagnostic['range'];
  newText: string;
}

interface CodeAction {
  title: string;
  kind?: string;
  edit?: { changes: Record<string, TextEdit[]> };
  data?: unknown;
  isPreferred?: boolean;
}

function only(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Diagnostic['range'] {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

const DOC_HREF = pathToFileURL(resolve(__dirname, '..', '..', 'server', 'out', 'docs', `${PEA}.md`)).href;

/** Applies LSP edits to a text (test-side, independent of the engine). */
function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }): number => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}

function tempWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'shipshape-lsp-'));
}

before(() => {
  if (!existsSync(SERVER_PATH)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: resolve(__dirname, '..', '..') });
});

describe('language server: documents', () => {
  const root = tempWorkspace();
  const uri = pathToFileURL(join(root, 'deploy.yaml')).href;
  const client = new LspClient();
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('initializes with incremental sync, hover and code actions', async () => {
    const result = (await client.initialize({ rootPath: root })) as { capabilities: Record<string, unknown> };
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(result.capabilities.hoverProvider, true);
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.shipshape'], resolveProvider: true });
  });

  it('publishes exact diagnostics on open', async () => {
    const published = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', DEPLOYMENT);
    const { diagnostics } = await published;
    assert.deepEqual(only(diagnostics, PEA), [
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
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: range(11, 38, 11, 42),
      context: { diagnostics: [] },
    });
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
    const published = client.diagnostics(firstLine, 1);
    client.open(firstLine, 'yaml', text);
    const automount = only((await published).diagnostics, 'automount-service-account-token');
    assert.deepEqual(automount.map((d) => d.range), [range(0, 0, 0, 4)]);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: firstLine },
      range: range(0, 0, 0, 4),
      context: { diagnostics: [] },
    });
    const ignoreLine = actions.find((action) => action.title === 'Ignore automount-service-account-token for this line');
    assert.deepEqual(ignoreLine?.edit?.changes[firstLine], [{ range: range(0, 5, 0, 5), newText: ' # shipshape-ignore automount-service-account-token' }]);
    client.notify('textDocument/didClose', { textDocument: { uri: firstLine } });
  });

  it('suppresses the finding once the ignore comment is typed', async () => {
    const published = client.diagnostics(uri, 3);
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: range(11, 0, 11, 0), text: `            # shipshape-ignore ${PEA}\n` }],
    });
    assert.deepEqual(only((await published).diagnostics, PEA), []);
  });

  it('clears the diagnostics of a closed document', async () => {
    const published = client.diagnostics(uri);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual((await published).diagnostics, []);
  });

  it('keeps the other documents of a multi-document file and shifts their ranges', async () => {
    const multi = pathToFileURL(join(root, 'two.yaml')).href;
    const opened = client.diagnostics(multi, 1);
    client.open(multi, 'yaml', TWO_DOCUMENTS);
    assert.deepEqual(
      only((await opened).diagnostics, PEA).map((d) => d.range),
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
    const multi = pathToFileURL(join(root, 'two.yaml')).href;
    const text = `${DEPLOYMENT.replace('  name: web', '  name: web\n  namespace: shop')}---\n${DEPLOYMENT.replace(/web/g, 'api')}`;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: multi },
      range: range(9, 16, 9, 19),
      context: { diagnostics: [] },
    });
    const harden = actions.find((action) => action.title === 'Harden container');
    assert.ok(harden, 'several rules fix this container');
    assert.equal(harden.edit, undefined, 'computed on resolve');
    const resolvedHarden = await client.request<CodeAction>('codeAction/resolve', harden);
    const hardened = applyTextEdits(text, resolvedHarden.edit?.changes[multi] ?? []);
    const firstDocument = hardened.slice(0, hardened.indexOf('---'));
    assert.match(firstDocument, /allowPrivilegeEscalation: false/);
    assert.ok((firstDocument.match(/^ {10}securityContext:/gm)?.length ?? 0) === 1, 'one container securityContext, however many fixes add to it');
    assert.ok(hardened.endsWith(text.slice(text.indexOf('---'))), 'the other document is untouched');
    const fixAll = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: multi },
      range: range(0, 0, 0, 0),
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(fixAll.map((action) => action.kind), ['source.fixAll.shipshape']);
    const resolved = await client.request<CodeAction>('codeAction/resolve', fixAll[0]);
    const fixed = applyTextEdits(text, resolved.edit?.changes[multi] ?? []);
    assert.equal(fixed.match(/allowPrivilegeEscalation: false/g)?.length, 2, 'the safe fix applied in both documents');
  });

  it('shows the supported releases on an end-of-life image and offers the upgrade as a quick fix only', async () => {
    // Node.js 16 ended in 2023: past its end whatever day the test runs; what replaces it depends on that day.
    const eol = pathToFileURL(join(root, 'eol.yaml')).href;
    const text = DEPLOYMENT.replace('nginx:1.27', 'node:16-alpine');
    const opened = client.diagnostics(eol, 1);
    client.open(eol, 'yaml', text);
    assert.deepEqual(only((await opened).diagnostics, 'image-eol').map((d) => d.range), [range(9, 17, 9, 31)]);
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: eol }, position: { line: 9, character: 20 } });
    assert.match(hover?.contents.value ?? '', /Node\.js releases still supported on \d{4}-\d{2}-\d{2}:\n\n- \d+.*: (supported until \d{4}-\d{2}-\d{2}|with no end date announced yet)/);
    assert.match(hover?.contents.value ?? '', /Source: https:\/\/github\.com\/nodejs\/Release/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: eol }, range: range(9, 20, 9, 20), context: { diagnostics: [] } });
    const upgrade = actions.find((action) => action.title.startsWith('Upgrade to node:'));
    assert.equal(upgrade?.kind, 'quickfix');
    assert.match(applyTextEdits(text, upgrade?.edit?.changes[eol] ?? []), /image: node:\d+-alpine\n/);
    const [fixAll] = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: eol }, range: range(0, 0, 0, 0), context: { diagnostics: [], only: ['source.fixAll'] } });
    const fixedAll = fixAll ? await client.request<CodeAction>('codeAction/resolve', fixAll) : undefined;
    assert.match(applyTextEdits(text, fixedAll?.edit?.changes[eol] ?? []), /image: node:16-alpine\n/, 'fix-all leaves the release alone');
    const harden = actions.find((action) => action.title === 'Harden container');
    const hardened = harden ? await client.request<CodeAction>('codeAction/resolve', harden) : undefined;
    assert.match(applyTextEdits(text, hardened?.edit?.changes[eol] ?? []), /image: node:16-alpine\n/, 'Harden container leaves the release alone');
    client.notify('textDocument/didClose', { textDocument: { uri: eol } });
  });

  it('places Dockerfile ignore comments above the instruction and below parser directives', async () => {
    const dockerfile = pathToFileURL(join(root, 'Dockerfile')).href;
    const text = '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN apk update && \\\n    sudo apk add curl\n';
    const opened = client.diagnostics(dockerfile, 1);
    client.open(dockerfile, 'dockerfile', text);
    assert.deepEqual(
      only((await opened).diagnostics, 'dockerfile-sudo').map((d) => d.range),
      [range(3, 4, 3, 8)],
    );
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: dockerfile },
      range: range(3, 5, 3, 5),
      context: { diagnostics: [] },
    });
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
    const multi = pathToFileURL(join(root, 'two.yaml')).href;
    client.settings = { shipshape: { rules: { [PEA]: 'off' } } };
    const published = client.diagnostics(multi, 2);
    client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(only((await published).diagnostics, PEA), []);
    client.settings = { shipshape: { profile: 'baseline', rules: { [PEA]: 'error' } } };
    const again = client.diagnostics(multi, 2);
    client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual(
      only((await again).diagnostics, PEA).map((d) => d.severity),
      [1, 1],
    );
    client.settings = {};
  });

  it('reports the counts by severity for the status bar', () => {
    const statuses = client.notifications
      .filter((m) => m.method === 'shipshape/status')
      .map((m) => m.params as { state: string; counts: { error: number; warning: number; info: number }; files: number });
    assert.ok(statuses.some((status) => status.state === 'analysing'), 'while a configuration is fetched');
    assert.ok(statuses.some((status) => status.state === 'idle' && status.counts.warning > 0 && status.counts.info > 0 && status.files > 0));
  });

  it('offers no ignore comments in JSON manifests', async () => {
    const json = pathToFileURL(join(root, 'pod.json')).href;
    const opened = client.diagnostics(json, 1);
    client.open(json, 'json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, null, 2));
    const [finding] = only((await opened).diagnostics, PEA);
    assert.ok(finding);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: json }, range: finding.range, context: { diagnostics: [] } });
    assert.deepEqual(actions.filter((action) => action.title.startsWith('Ignore')), []);
    assert.deepEqual(actions.filter((action) => action.edit), [], 'JSON files get no fixes either');
    client.notify('textDocument/didClose', { textDocument: { uri: json } });
  });

  it('pulls settings per resource and registers its watchers', () => {
    const configurationRequest = client.serverRequests.find((message) => message.method === 'workspace/configuration');
    assert.deepEqual(configurationRequest?.params, { items: [{ scopeUri: uri, section: 'shipshape' }] });
    const registrations = client.serverRequests
      .filter((message) => message.method === 'client/registerCapability')
      .flatMap((message) => (message.params as { registrations: Array<{ method: string }> }).registrations.map((r) => r.method));
    assert.ok(registrations.includes('workspace/didChangeWatchedFiles'));
  });
});

describe('language server: .shipshape.yaml', () => {
  const root = tempWorkspace();
  const configPath = join(root, '.shipshape.yaml');
  const configUri = pathToFileURL(configPath).href;
  const uri = pathToFileURL(join(root, 'app', 'deploy.yaml')).href;
  let client: LspClient;
  before(async () => {
    mkdirSync(join(root, 'app'));
    writeFileSync(configPath, `rules:\n  ${PEA}: error\n`);
    client = new LspClient();
    client.settings = { shipshape: { rules: { [PEA]: 'off' } } };
    await client.initialize({ rootPath: root });
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('lets the config file win over the editor settings', async () => {
    const published = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', DEPLOYMENT);
    assert.deepEqual(
      only((await published).diagnostics, PEA).map((d) => d.severity),
      [1],
    );
  });

  it('re-analyses open documents when the config file changes', async () => {
    writeFileSync(configPath, 'profile: baseline\n');
    const published = client.diagnostics(uri, 1);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    assert.deepEqual(only((await published).diagnostics, PEA), []);
  });

  it('shows the config file its own problems', async () => {
    writeFileSync(configPath, 'profle: strict\n');
    const published = client.diagnostics(configUri);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range })),
      [{ code: 'config-error', severity: 1, range: range(0, 0, 0, 6) }],
    );
    assert.match(diagnostics[0]?.message ?? '', /Unknown setting "profle"/);
  });

  it('ignores workspace config files in an untrusted workspace', async () => {
    writeFileSync(configPath, `rules:\n  ${PEA}: error\n`);
    const untrusted = new LspClient();
    try {
      await untrusted.initialize({ rootPath: root, initializationOptions: { workspaceTrusted: false } });
      const published = untrusted.diagnostics(uri, 1);
      untrusted.open(uri, 'yaml', DEPLOYMENT);
      assert.deepEqual(
        only((await published).diagnostics, PEA).map((d) => d.severity),
        [2],
      );
      const trusted = untrusted.diagnostics(uri, 1);
      untrusted.notify('shipshape/workspaceTrustGranted');
      assert.deepEqual(
        only((await trusted).diagnostics, PEA).map((d) => d.severity),
        [1],
      );
    } finally {
      untrusted.kill();
    }
  });
});

describe('language server: workspace scan', () => {
  const root = tempWorkspace();
  let client: LspClient;
  before(async () => {
    mkdirSync(join(root, 'k8s'));
    mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(root, 'k8s', 'web.yaml'), DEPLOYMENT);
    writeFileSync(join(root, 'k8s', 'service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n');
    writeFileSync(join(root, 'node_modules', 'dep', 'skip.yaml'), DEPLOYMENT);
    writeFileSync(join(root, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo hi\n');
    // A misspelled key: a config-error on the config file, which the scan summary must count too.
    writeFileSync(join(root, '.shipshape.yaml'), 'profile: recommended\nexclde: [vendor/**]\n');
    client = new LspClient();
    await client.initialize({ rootPath: root });
  });
  after(() => {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('scans closed files with progress and publishes their diagnostics', async () => {
    const webUri = pathToFileURL(join(root, 'k8s', 'web.yaml')).href;
    const published = client.diagnostics(webUri);
    const result = await client.request<{ files: number; analysed: number; cancelled: boolean; filesWithFindings: number }>('shipshape/scanWorkspace', {
      workDoneToken: 'scan-1',
    });
    assert.equal(result.files, 3, 'node_modules is skipped');
    assert.equal(result.analysed, 3);
    assert.equal(result.cancelled, false);
    assert.deepEqual(
      only((await published).diagnostics, PEA).map((d) => d.range),
      [range(8, 16, 8, 19)],
    );
    const progress = client.notifications
      .filter((m: Message) => m.method === '$/progress' && (m.params as { token: string }).token === 'scan-1')
      .map((m) => (m.params as { value: { kind: string; message?: string } }).value);
    assert.equal(progress[0]?.kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.ok(progress.some((value) => value.kind === 'report' && value.message === '3/3 files'));
  });

  it('sums up what the Problems view shows, config errors included, and logs it', async () => {
    const result = await client.request<{ findings: Record<string, number>; filesWithFindings: number }>('shipshape/scanWorkspace', {});
    // What the client shows: the last diagnostics published for each file.
    const latest = new Map<string, Diagnostic[]>();
    for (const message of client.notifications) {
      if (message.method !== 'textDocument/publishDiagnostics') continue;
      const params = message.params as { uri: string; diagnostics: Diagnostic[] };
      latest.set(params.uri, params.diagnostics);
    }
    const shown = [...latest.values()].flat();
    assert.ok(shown.some((d) => d.code === 'config-error'));
    assert.deepEqual(result.findings, {
      error: shown.filter((d) => d.severity === 1).length,
      warning: shown.filter((d) => d.severity === 2).length,
      info: shown.filter((d) => d.severity === 3).length,
    });
    assert.equal(result.filesWithFindings, [...latest.values()].filter((d) => d.length > 0).length);
    const status = client.notifications.filter((m) => m.method === 'shipshape/status').at(-1)?.params as { state: string; counts: unknown; files: number };
    assert.deepEqual(status, { state: 'idle', counts: result.findings, files: result.filesWithFindings });
    const logs = client.notifications.filter((m) => m.method === 'window/logMessage').map((m) => (m.params as { message: string }).message);
    assert.ok(logs.some((line) => /^Shipshape \d+\.\d+\.\d+ language server \(Node v\d+/.test(line)), 'the version, first');
    assert.ok(logs.some((line) => line === `Config files in effect: ${join(root, '.shipshape.yaml')} (1 problems).`));
    assert.ok(logs.some((line) => /^Scan done: 3 of 3 files in \d+ ms; \d+ errors, \d+ warnings, \d+ infos in \d+ files\.$/.test(line)));
  });

  it('keeps scanned diagnostics when a scanned file is opened and closed', async () => {
    const webUri = pathToFileURL(join(root, 'k8s', 'web.yaml')).href;
    const opened = client.diagnostics(webUri, 1);
    client.open(webUri, 'yaml', DEPLOYMENT);
    await opened;
    const closed = client.diagnostics(webUri);
    client.notify('textDocument/didClose', { textDocument: { uri: webUri } });
    assert.equal(only((await closed).diagnostics, PEA).length, 1);
  });

  it('stops when cancelled', async () => {
    for (let i = 0; i < 400; i++) writeFileSync(join(root, 'k8s', `copy-${i}.yaml`), DEPLOYMENT);
    const request = client.requestRaw('shipshape/scanWorkspace', { workDoneToken: 'scan-2' });
    await client.waitFor((m) => m.method === '$/progress' && (m.params as { value: { kind: string } }).value.kind === 'report');
    // The scan runs in a worker: the server keeps answering meanwhile.
    const rules = await client.request<Array<{ id: string; documentationUri: string }>>('shipshape/listRules');
    assert.equal(rules.find((rule) => rule.id === PEA)?.documentationUri, DOC_HREF);
    client.notify('$/cancelRequest', { id: request.id });
    const response = await request;
    const result = response.result as { files: number; analysed: number; cancelled: boolean };
    assert.equal(result.cancelled, true);
    assert.ok(result.analysed < result.files, `stopped early (${result.analysed} of ${result.files})`);
  });
});

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

describe('language server: robustness', () => {
  const client = new LspClient();
  after(() => client.kill());

  it('answers malformed traffic with JSON-RPC errors and keeps serving', async () => {
    await client.initialize();
    client.writeRaw('Content-Length: 5\r\n\r\n{bad}');
    client.send({ jsonrpc: '2.0' });
    const unknown = await client.requestRaw('shipshape/noSuchRequest', {});
    assert.equal(unknown.error?.code, -32601);
    const invalid = await client.requestRaw('textDocument/hover', {});
    assert.equal(invalid.error?.code, -32602);
    assert.deepEqual(
      client.unattributedErrors.map((m) => m.error?.code),
      [-32700, -32600],
    );
    const uri = 'untitled:Untitled-1';
    const published = client.diagnostics(uri, 1);
    client.open(uri, 'yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n');
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['parse-error'],
    );
    assert.ok(client.alive);
  });

  it('skips a 50 MB document with the reason and keeps serving', async () => {
    const uri = 'file:///big/huge.yaml';
    const published = client.diagnostics(uri, 1);
    const container = '        - name: web\n          image: nginx:1.27\n';
    client.open(uri, 'yaml', DEPLOYMENT + container.repeat(Math.ceil((50 * 1024 * 1024) / container.length)));
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [['file-skipped', 3]],
    );
    assert.match(diagnostics[0]?.message ?? '', /^The file is larger than maxFileSize \(50\.0 MB > 5\.0 MB\); it was not analysed\.$/);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const small = 'file:///big/small.yaml';
    const next = client.diagnostics(small, 1);
    client.open(small, 'yaml', DEPLOYMENT);
    assert.deepEqual(only((await next).diagnostics, PEA).map((d) => d.range), [range(8, 16, 8, 19)]);
  });

  it('settles on the last of thousands of rapid changes', async () => {
    const uri = 'file:///rapid/deploy.yaml';
    client.open(uri, 'yaml', DEPLOYMENT);
    await client.diagnostics(uri, 1);
    // Type "x" 1,500 times at the end of the image tag, then delete them one by one.
    const column = '          image: nginx:1.27'.length;
    let version = 1;
    for (let i = 0; i < 1500; i++) {
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: range(9, column + i, 9, column + i), text: 'x' }],
      });
    }
    for (let i = 1500; i > 0; i--) {
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: range(9, column + i - 1, 9, column + i), text: '' }],
      });
    }
    const last = await client.diagnostics(uri, version);
    assert.deepEqual(only(last.diagnostics, PEA).map((d) => d.range), [range(8, 16, 8, 19)]);
    assert.ok(client.alive);
  });

  it('leaves no diagnostics behind for a document closed while it was being analysed', async () => {
    const uri = 'file:///closing/large.yaml';
    const container = '        - name: web\n          image: nginx:1.27\n';
    client.open(uri, 'yaml', DEPLOYMENT + container.repeat(40000));
    client.notify('textDocument/didClose', { textDocument: { uri } });
    // A request answered after both notifications: every publish for the document has arrived by then.
    await client.request('textDocument/hover', { textDocument: { uri: 'file:///closing/other.yaml' }, position: { line: 0, character: 0 } });
    const publishes = client.notifications.filter(
      (m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri,
    );
    assert.ok(publishes.length > 0, 'the close clears the document');
    assert.deepEqual((publishes.at(-1)?.params as { diagnostics: Diagnostic[] }).diagnostics, []);
  });

  it('shuts down and exits with code 0', async () => {
    assert.equal(await client.shutdown(), 0);
  });
});
