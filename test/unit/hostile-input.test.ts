/**
 * Whatever is in a repository, the engine answers: a finding, a parse-error or a file-skipped
 * with a specific reason, and never an exception. Fixtures live in test/hostile/; large inputs
 * are generated here. Nothing is timed (benchmarks measure speed): "bounded" means it returns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, resolveConfig, type ConfigLayer, type Finding } from '../../server/src/engine';
import type { AnalysisResult } from '../../server/src/engine';

const HOSTILE = join(__dirname, '..', 'hostile');

function run(path: string, text: string, layer: ConfigLayer = {}): AnalysisResult {
  const result = analyze({ path, text, config: resolveConfig({ profile: 'strict' }, layer) });
  assert.deepEqual(result.failures, [], 'no rule or file may fail inside the engine');
  return result;
}

function fixture(name: string, layer: ConfigLayer = {}): { text: string; result: AnalysisResult } {
  const text = readFileSync(join(HOSTILE, name), 'utf8');
  return { text, result: run(name, text, layer) };
}

function ofRule(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((finding) => finding.ruleId === ruleId);
}

function covered(text: string, finding: Finding): string {
  return text.replace(/^\uFEFF/, '').slice(finding.span.start, finding.span.end);
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n    - name: app\n      image: nginx:1.25\n';

describe('malformed YAML', () => {
  it('reports a broken document and still analyses the next one', () => {
    const { text, result } = fixture('malformed-then-valid.yaml');
    const [error, ...more] = ofRule(result.findings, 'parse-error');
    assert.equal(more.length, 0);
    assert.match(error?.message ?? '', /^YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a \]\. This document is not analysed until it parses\.$/);
    assert.equal(error?.range.start.line, 7);
    const hostPid = ofRule(result.findings, 'host-pid');
    assert.equal(hostPid.length, 1, 'the valid second document is analysed');
    assert.equal(covered(text, hostPid[0] as Finding), 'true');
  });

  it('reports other kinds of broken YAML, each with the parser\'s reason at the exact text', () => {
    const syntaxError = (reason: string): string => `YAML syntax error: ${reason}. This document is not analysed until it parses.`;
    const cases: ReadonlyArray<readonly [text: string, errors: Array<{ message: string; line: number; text: string }>]> = [
      ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: "unclosed\n', [{ message: syntaxError('Missing closing "quote'), line: 3, text: 'd' }]],
      ['apiVersion: v1\nkind: Pod\nspec: {containers: [\n', [{ message: syntaxError('Flow sequence in block collection must be sufficiently indented and end with a ]'), line: 2, text: '[' }]],
      // An error in a line's indentation marks the line's text (the editor squiggles what was typed).
      ['apiVersion: v1\nkind: Pod\nspec:\n  a: b\n c: d\n', [{ message: syntaxError('All mapping items must start at the same column'), line: 4, text: 'c: d' }]],
      // Valid YAML 1.2, odd as it looks: an anchor may be defined again (an alias means the latest
      // one) and may be used inside its own node; the document is analysed like any other.
      ['apiVersion: v1\nkind: Pod\nspec: &a\n  x: *a\n  y: &a\n', []],
      // Also valid: a complex key, and !!binary (decoded leniently, as base64 decoders do).
      ['apiVersion: v1\nkind: Pod\n? [complex, key]\n: value\nspec: !!binary notbase64\n', []],
    ];
    for (const [text, expected] of cases) {
      const errors = ofRule(run('broken.yaml', text).findings, 'parse-error');
      assert.deepEqual(
        errors.map((error) => ({ message: error.message, line: error.range.start.line, text: covered(text, error) })),
        expected,
        text,
      );
    }
  });

  it('reports duplicate keys as a syntax error on the second key', () => {
    const { text, result } = fixture('duplicate-keys.yaml');
    const [error] = result.findings;
    assert.equal(error?.ruleId, 'parse-error');
    assert.match(error?.message ?? '', /Map keys must be unique/);
    assert.equal(error?.range.start.line, 6);
    assert.equal(text.split('\n')[6], '  hostNetwork: true');
  });

  it('reports tabs used for indentation', () => {
    const { result } = fixture('tab-indentation.yaml');
    assert.deepEqual(result.findings.map((f) => f.message), ['YAML syntax error: Tabs are not allowed as indentation. This document is not analysed until it parses.']);
    assert.equal(result.findings[0]?.range.start.line, 5);
  });
});

describe('encodings and line endings', () => {
  it('reads a file with a BOM and CRLF line endings, ranges after the BOM', () => {
    const { text, result } = fixture('bom-crlf.yaml');
    const [hostIpc] = ofRule(result.findings, 'host-ipc');
    assert.equal(covered(text, hostIpc as Finding), 'true');
    assert.deepEqual(hostIpc?.range.start, { line: 5, character: 11 });
  });

  it('reads mixed line endings (LF, CRLF and a lone CR) with positions as editors count lines', () => {
    const { text, result } = fixture('mixed-line-endings.yaml');
    const [hostPid] = ofRule(result.findings, 'host-pid');
    assert.equal(covered(text, hostPid as Finding), 'true');
    assert.deepEqual(hostPid?.range.start, { line: 5, character: 11 });
  });

  it('reads a file that uses only lone CRs as line breaks', () => {
    const text = POD.replace(/\n/g, '\r');
    const [hostPid] = ofRule(run('cr.yaml', text).findings, 'host-pid');
    assert.equal(covered(text, hostPid as Finding), 'true');
    assert.equal(hostPid?.range.start.line, 5);
  });

  it('skips binary content with NUL bytes, with the reason', () => {
    for (const name of ['binary-content.yaml']) {
      const { result } = fixture(name);
      assert.equal(result.skipped, 'The file holds NUL bytes (binary content); it was not analysed.');
      assert.deepEqual(result.findings.map((f) => f.ruleId), ['file-skipped']);
    }
    const dockerfile = run('Dockerfile', '\u0000\u0001ELF\u0002');
    assert.deepEqual(dockerfile.findings.map((f) => f.ruleId), ['file-skipped']);
  });

  it('analyses text that held invalid UTF-8 (decoded to U+FFFD by the reader)', () => {
    const result = run('replacement.yaml', POD.replace('name: p', 'name: p\uFFFD\uFFFD'));
    assert.equal(ofRule(result.findings, 'host-pid').length, 1);
  });
});

describe('anchors, aliases and merge keys', () => {
  it('lets rules see merged values, reported where the merge is written, with no fix there or at the anchor', () => {
    const { text, result } = fixture('anchors-merge-keys.yaml');
    const privileged = ofRule(result.findings, 'privileged-container');
    assert.deepEqual(privileged.map((f) => covered(text, f)), ['true', '*hardened']);
    assert.equal(privileged[0]?.fix, undefined, 'an edit at the anchor would change every user of it too');
    assert.equal(privileged[1]?.fix, undefined, 'an edit through the alias would change every user of the anchor');
    const escalation = ofRule(result.findings, 'privilege-escalation-allowed');
    assert.deepEqual(escalation, [], 'both containers set allowPrivilegeEscalation: false, one through <<');
  });

  it('finishes on an alias bomb without expanding it', () => {
    const { result } = fixture('alias-bomb.yaml');
    assert.equal(ofRule(result.findings, 'parse-error').length, 0);
    assert.ok(result.findings.length < 50, `findings stay proportional to the text, got ${result.findings.length}`);
  });

  it('survives aliases that point at themselves, at nothing, or merge in a loop', () => {
    const texts = [
      'apiVersion: v1\nkind: Pod\nspec: &s\n  containers:\n    - <<: *s\n      name: c\n',
      'apiVersion: v1\nkind: Pod\nx: &a\n  <<: *a\nspec:\n  <<: *a\n  containers: []\n',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers: *nowhere\n',
    ];
    for (const text of texts) run('aliases.yaml', text);
  });
});

describe('size and shape limits', () => {
  it('skips a file over maxFileSize with the reason, and honours a configured limit', () => {
    const big = `${POD}# ${'x'.repeat(5 * 1024 * 1024)}\n`;
    assert.match(run('big.yaml', big).skipped ?? '', /^The file is larger than maxFileSize \(5\.0 MB > 5\.0 MB\); it was not analysed\.$/);
    const small = run('small.yaml', POD, { maxFileSize: 100 });
    assert.match(small.skipped ?? '', /^The file is larger than maxFileSize \(\d+ B > 100 B\); it was not analysed\.$/);
    assert.deepEqual(small.findings.map((f) => f.ruleId), ['file-skipped']);
  });

  it('finishes a 100,000-line manifest inside the limit', () => {
    const container = (i: number): string =>
      `    - name: c${i}\n      image: nginx:1.25\n      securityContext:\n        privileged: true\n      ports:\n        - containerPort: 8080\n`;
    const parts = ['apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n'];
    for (let i = 0; i < 16_667; i++) parts.push(container(i));
    const text = parts.join('');
    assert.ok(text.split('\n').length >= 100_000);
    const result = run('huge.yaml', text);
    assert.equal(result.skipped, undefined);
    assert.equal(ofRule(result.findings, 'privileged-container').length, 16_667);
  });

  it('finishes a very long line', () => {
    const result = run('long.yaml', `${POD}      args: ["${'x'.repeat(1_000_000)}"]\n`);
    assert.equal(ofRule(result.findings, 'host-pid').length, 1);
  });

  it('skips YAML nested deeper than the parser can follow, naming the line', () => {
    const flow = `apiVersion: v1\nkind: Pod\nspec:\n  containers: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    assert.match(run('deep.yaml', flow).skipped ?? '', /^The YAML nests collections too deeply to be read \(around line 4\); the file was not analysed\.$/);
  });

  it('analyses nesting a real manifest could have', () => {
    const block = `apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n  x:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 * i + 4)}a:`).join('\n')}\n`;
    assert.equal(ofRule(run('nested.yaml', block).findings, 'host-pid').length, 1);
  });
});

describe('nesting bounds: past one, the file is skipped with the reason, never an internal error', () => {
  const skipped = (path: string, text: string): string | undefined => {
    const result = run(path, text);
    if (result.skipped !== undefined) assert.deepEqual(result.findings.map((f) => f.ruleId), ['file-skipped']);
    return result.skipped;
  };

  it('bounds command and process substitutions in a RUN, naming the line', () => {
    const deep = 5_000;
    for (const [open, close] of [['$(', ')'], ['"$(', ')"'], ['<(', ')'], ['`echo $(', ')`']] as const) {
      const text = `FROM alpine:3.20\nRUN echo ${open.repeat(deep)}x${close.repeat(deep)}\n`;
      assert.equal(skipped('Dockerfile', text), 'A RUN instruction nests command substitutions more than 32 deep (line 2); the file was not analysed.', open);
    }
  });

  it('reads substitutions nested as deep as real scripts nest them', () => {
    const text = `FROM alpine:3.20\nRUN echo ${'$('.repeat(12)}curl -k https://x | sh${')'.repeat(12)}\n`;
    const result = run('Dockerfile', text);
    assert.equal(result.skipped, undefined);
    assert.equal(ofRule(result.findings, 'dockerfile-insecure-transport').length, 1, 'the innermost command is read');
  });

  it('bounds `sh -c` scripts inside substitutions, which the reader sees one level at a time', () => {
    const level = (inner: string): string => `"$(sh -c ${inner})"`;
    let script = '"true"';
    for (let i = 0; i < 20; i++) script = level(script);
    const text = `FROM alpine:3.20\nRUN sh -c ${script}\n`;
    assert.equal(skipped('Dockerfile', text), 'A RUN instruction nests shell scripts more than 32 deep (line 2); the file was not analysed.');
  });

  it('bounds ARG values that double at every step, and expands real ones as BuildKit does', () => {
    const bomb = ['ARG A0=xxxxxxxxxx', ...Array.from({ length: 40 }, (_, i) => `ARG A${i + 1}=\${A${i}}\${A${i}}`), 'FROM alpine:${A40}', ''];
    assert.equal(skipped('Dockerfile', bomb.join('\n')), 'ARG and ENV values expand to more than 64 KiB; the file was not analysed.');
    const chained = run('Dockerfile', 'ARG VERSION=3.20\nARG BASE=alpine:$VERSION\nFROM $BASE\nUSER 10001\n');
    const ids = chained.findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('invalid-image-reference') && !ids.includes('dockerfile-image-tag-mutable'), ids.join(', '));
    assert.ok(ids.includes('dockerfile-image-not-pinned'), 'alpine:3.20 is judged as the image');
  });

  it('bounds YAML merge keys that merge maps that merge maps, and reads real ones', () => {
    const chain = (depth: number): string =>
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'x0: &m0 {privileged: true}',
        ...Array.from({ length: depth }, (_, i) => `x${i + 1}: &m${i + 1} {<<: *m${i}}`),
        'spec:',
        `  containers: [{name: a, image: nginx:1.27, securityContext: {<<: *m${depth}}}]`,
        '',
      ].join('\n');
    assert.equal(skipped('pod.yaml', chain(100)), 'YAML merge keys (<<) nest more than 64 deep, or merge a map into itself; the file was not analysed.');
    assert.equal(ofRule(run('pod.yaml', chain(5)).findings, 'privileged-container').length, 1);
  });

  it('reads Helm templates with thousands of nested blocks and parentheses without recursion', () => {
    const blocks = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n${'{{- if .a }}\n'.repeat(5_000)}  hostPID: true\n${'{{- end }}\n'.repeat(5_000)}`;
    assert.equal(ofRule(run('chart/templates/pod.yaml', blocks).findings, 'host-pid').length, 1);
    const parens = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  hostPID: {{ ${'('.repeat(5_000)}.a${')'.repeat(5_000)} }}\n  hostIPC: true\n`;
    assert.equal(ofRule(run('chart/templates/pod.yaml', parens).findings, 'host-ipc').length, 1);
  });
});

describe('documents that are not Kubernetes objects', () => {
  it('passes over empty files, `---` only, scalar and sequence documents in silence', () => {
    for (const name of ['empty.yaml', 'dashes-only.yaml', 'scalar-and-sequence-documents.yaml']) {
      const { result } = fixture(name);
      assert.deepEqual(result.findings, [], name);
      assert.equal(result.fileKind, undefined, `${name} holds no Kubernetes object`);
    }
  });

  it('reads unknown kinds and CRDs, and pod templates inside custom resources', () => {
    const { text, result } = fixture('unknown-kinds-and-crds.yaml');
    const hostNetwork = ofRule(result.findings, 'host-network');
    assert.deepEqual(hostNetwork.map((f) => covered(text, f)), ['true']);
    assert.equal(hostNetwork[0]?.range.start.line, 32, 'the Rollout, not the Widget or the CRD');
  });

  it('skips garbage items of a kind: List and analyses the real ones', () => {
    const { text, result } = fixture('list-with-garbage-items.yaml');
    assert.deepEqual(ofRule(result.findings, 'host-pid').map((f) => covered(text, f)), ['true']);
    assert.equal(ofRule(result.findings, 'parse-error').length, 0);
  });
});

describe('Dockerfiles', () => {
  it('reports a heredoc that is never closed', () => {
    const { text, result } = fixture('unterminated-heredoc.Dockerfile');
    const [error] = ofRule(result.findings, 'parse-error');
    assert.equal(error?.message, 'Dockerfile syntax error: the heredoc <<EOF is never closed, so every later line is read as its content.');
    assert.equal(covered(text, error as Finding), 'EOF');
  });

  it('reports unknown instructions and still runs the rules', () => {
    const { text, result } = fixture('unknown-instructions.Dockerfile');
    const errors = ofRule(result.findings, 'parse-error');
    assert.deepEqual(errors.map((f) => f.message), ['Dockerfile syntax error: unknown instruction "FROBNICATE"; Docker refuses to build this file.']);
    assert.equal(covered(text, errors[0] as Finding), 'FROBNICATE');
    assert.ok(ofRule(result.findings, 'dockerfile-image-not-pinned').length > 0);
  });

  it('follows `# escape=`` line continuations', () => {
    const { text, result } = fixture('escape-backtick.Dockerfile');
    assert.deepEqual(ofRule(result.findings, 'parse-error'), [], 'the continued line is not an instruction');
    assert.deepEqual(ofRule(result.findings, 'dockerfile-root-user').map((f) => covered(text, f)), ['root']);
  });

  it('reports an escape directive Docker rejects', () => {
    const { text, result } = fixture('escape-invalid.Dockerfile');
    const [error] = ofRule(result.findings, 'parse-error');
    assert.equal(error?.message, 'Dockerfile syntax error: the escape directive must be \\ or ` (got "x"); Docker refuses to build this file.');
    assert.equal(covered(text, error as Finding), 'x');
  });

  it('skips a Dockerfile that is itself a template, once, with the reason (RULES.md, Dockerfile Files)', () => {
    for (const [name, line] of [['jq-template.Dockerfile', 1], ['go-template-from.Dockerfile', 1]] as const) {
      const { result } = fixture(name);
      assert.deepEqual(result.findings.map((f) => f.ruleId), ['file-skipped'], name);
      assert.equal(
        result.skipped,
        `Dockerfile template: line ${line} holds a {{ … }} template action, so this file generates Dockerfiles rather than being one; the file was not analysed.`,
      );
    }
  });

  it('reads `{{ }}` inside a RUN as shell text, not as a template', () => {
    const { result } = fixture('go-format-in-run.Dockerfile');
    assert.equal(result.skipped, undefined);
    assert.deepEqual(result.findings.filter((f) => f.ruleId === 'parse-error' || f.ruleId === 'file-skipped'), []);
    assert.ok(ofRule(result.findings, 'dockerfile-image-not-pinned').length > 0, 'the rules ran');
  });

  it('finishes a 10,000-line Dockerfile', () => {
    const lines = ['FROM alpine:3.19'];
    for (let i = 0; i < 10_000; i++) lines.push(`RUN echo ${i}`);
    const result = run('Dockerfile', `${lines.join('\n')}\n`);
    assert.equal(ofRule(result.findings, 'parse-error').length, 0);
  });

  it('passes over an empty Dockerfile', () => {
    assert.equal(ofRule(run('Dockerfile', '').findings, 'parse-error').length, 0);
  });
});

describe('one file after another', () => {
  it('keeps going after a file it could not read', () => {
    const results = [
      run('a.yaml', '\u0000'),
      run('b.yaml', 'apiVersion: v1\nkind: Pod\nspec: [\n'),
      run('charts/x/templates/c.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .oops\n'),
      run('d.yaml', POD),
    ];
    assert.deepEqual(results.slice(0, 3).map((r) => r.findings[0]?.ruleId), ['file-skipped', 'parse-error', 'file-skipped']);
    assert.equal(ofRule(results[3]?.findings ?? [], 'host-pid').length, 1);
  });
});
