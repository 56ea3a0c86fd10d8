/**
 * The editor's "Ignore <id> for this line / file" asks the engine where the comment goes. Each
 * case checks the exact text after the edit, and that analysing it again suppresses exactly the
 * findings the action promised (and, for "this line", no other).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, applyEdits, ignoreCommentEdit, resolveConfig, type ConfigLayer, type Finding, type IgnoreScope, type SectionCache } from '../../server/src/engine';
import { TEST_TODAY } from '../harness/rule-tester';

const CONFIG = resolveConfig({ profile: 'strict' });

function findingsOf(path: string, text: string, ruleId: string, layer: ConfigLayer = {}): Finding[] {
  const result = analyze({ path, text, config: resolveConfig({ profile: 'strict' }, layer), today: TEST_TODAY });
  assert.deepEqual(result.failures, []);
  return result.findings.filter((finding) => finding.ruleId === ruleId);
}

/** Ignores the finding of `ruleId` on 1-based `line`; returns the edited text and which lines stay reported after. */
function ignore(path: string, text: string, ruleId: string, line: number, scope: IgnoreScope): { text: string; reported: number[] } {
  const finding = findingsOf(path, text, ruleId).find((candidate) => candidate.range.start.line === line - 1);
  assert.ok(finding, `${ruleId} is reported on line ${line}`);
  const edit = ignoreCommentEdit({ path, text, config: CONFIG }, finding, scope);
  assert.ok(edit, 'a comment can be placed');
  const edited = applyEdits(text, [edit]);
  const reported = findingsOf(path, edited, ruleId)
    .filter((after) => !after.suppression)
    .map((after) => after.range.start.line + 1);
  return { text: edited, reported };
}

const POD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: app', 'spec:', '  containers:', '    - name: web', '      image: nginx:1.27', '    - name: api', '      image: nginx:1.27', ''].join('\n');
const PEA = 'privilege-escalation-allowed';

describe('ignoreCommentEdit in YAML', () => {
  it('puts "this line" above the line, indented like it, and leaves the other containers reported', () => {
    assert.deepEqual(findingsOf('pod.yaml', POD, PEA).map((f) => f.range.start.line + 1), [7, 9]);
    const result = ignore('pod.yaml', POD, PEA, 7, 'line');
    assert.equal(result.text, POD.replace('    - name: web', `    # shipshape-ignore ${PEA}\n    - name: web`));
    assert.deepEqual(result.reported, [10], 'the other container, a line further down, is still reported');
  });

  it('trails the first line of a document, where a comment above would cover the whole document', () => {
    const text = `${POD}---\nspec:\n  containers:\n    - name: db\n      image: nginx:1.27\napiVersion: v1\nkind: Pod\nmetadata:\n  name: db\n`;
    const rule = 'automount-service-account-token';
    assert.deepEqual(findingsOf('pods.yaml', text, rule).map((f) => f.range.start.line + 1), [5, 12]);
    const result = ignore('pods.yaml', text, rule, 12, 'line');
    assert.equal(result.text, text.replace('---\nspec:\n', `---\nspec: # shipshape-ignore ${rule}\n`));
    assert.deepEqual(result.reported, [5]);
  });

  it('keeps CRLF line endings', () => {
    const crlf = POD.replace(/\n/g, '\r\n');
    assert.equal(ignore('pod.yaml', crlf, PEA, 9, 'line').text, crlf.replace('    - name: api', `    # shipshape-ignore ${PEA}\r\n    - name: api`));
    assert.equal(ignore('pod.yaml', crlf, PEA, 9, 'file').text, `# shipshape-ignore-file ${PEA}\r\n${crlf}`);
  });

  it('puts "this file" on the first line and suppresses every finding of the rule', () => {
    const result = ignore('pod.yaml', POD, PEA, 9, 'file');
    assert.equal(result.text, `# shipshape-ignore-file ${PEA}\n${POD}`);
    assert.deepEqual(result.reported, []);
  });

  it('counts offsets in the text as given, byte order mark included', () => {
    const text = `\uFEFF${POD}`;
    const finding = findingsOf('pod.yaml', text, PEA)[0];
    assert.ok(finding);
    assert.deepEqual(ignoreCommentEdit({ path: 'pod.yaml', text, config: CONFIG }, finding, 'file'), { start: 1, end: 1, text: `# shipshape-ignore-file ${PEA}\n` });
  });

  it('offers nothing where a comment cannot work: JSON, or inline ignores turned off', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }, null, 2);
    const [inJson] = findingsOf('pod.json', json, PEA);
    assert.ok(inJson);
    assert.equal(ignoreCommentEdit({ path: 'pod.json', text: json, config: CONFIG }, inJson, 'line'), undefined);
    assert.equal(ignoreCommentEdit({ path: 'pod.json', text: json, config: CONFIG }, inJson, 'file'), undefined);
    const [finding] = findingsOf('pod.yaml', POD, PEA);
    assert.ok(finding);
    const enforced = resolveConfig({ allowInlineIgnores: false });
    assert.equal(ignoreCommentEdit({ path: 'pod.yaml', text: POD, config: enforced }, finding, 'line'), undefined);
  });
});

describe('ignoreCommentEdit in Dockerfiles', () => {
  const SUDO = 'dockerfile-sudo';

  it('puts "this line" above the instruction, reading continuations with the escape directive', () => {
    const text = '# escape=`\nFROM alpine:3.20\nRUN apk update && `\n    sudo apk add curl\nRUN sudo true\n';
    const result = ignore('Dockerfile', text, SUDO, 4, 'line');
    assert.equal(result.text, text.replace('RUN apk update', `# shipshape-ignore ${SUDO}\nRUN apk update`));
    assert.deepEqual(result.reported, [6], 'the next RUN, a line further down, is still reported');
  });

  it('reads the instructions from the analysis\'s cache, with the same result', () => {
    const text = ['# escape=`', 'FROM alpine:3.20', ...Array.from({ length: 150 }, (_, i) => `RUN echo ${i} && \`\n    sudo true`)].join('\n');
    const cache: SectionCache = new Map();
    const findings = analyze({ path: 'Dockerfile', text, config: CONFIG, cache }).findings.filter((finding) => finding.ruleId === SUDO);
    assert.equal(findings.length, 150);
    for (const finding of [findings[0], findings[149]]) {
      assert.ok(finding);
      const fresh = ignoreCommentEdit({ path: 'Dockerfile', text, config: CONFIG }, finding, 'line');
      assert.deepEqual(ignoreCommentEdit({ path: 'Dockerfile', text, config: CONFIG, cache }, finding, 'line'), fresh);
      assert.equal(fresh?.start, text.indexOf(`RUN echo ${finding === findings[0] ? 0 : 149} `));
    }
  });

  it('puts "this line" above a RUN whose heredoc holds the finding, not inside the heredoc', () => {
    const text = '# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN <<EOF\napk add curl\nsudo true\nEOF\n';
    const result = ignore('Dockerfile', text, SUDO, 5, 'line');
    assert.equal(result.text, text.replace('RUN <<EOF', `# shipshape-ignore ${SUDO}\nRUN <<EOF`));
    assert.deepEqual(result.reported, []);
  });

  it('puts "this file" below the parser directives, which must stay first', () => {
    const text = '# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine:3.20\nRUN sudo true\n';
    const result = ignore('Dockerfile', text, SUDO, 4, 'file');
    assert.equal(result.text, text.replace('FROM', `# shipshape-ignore-file ${SUDO}\nFROM`));
    assert.deepEqual(result.reported, []);
  });

  it('cannot put "this line" above a directive, and puts "this file" after it even with no line break', () => {
    const text = '# escape=x';
    const [error] = findingsOf('Dockerfile', text, 'parse-error');
    assert.ok(error);
    assert.equal(ignoreCommentEdit({ path: 'Dockerfile', text, config: CONFIG }, error, 'line'), undefined);
    assert.deepEqual(ignoreCommentEdit({ path: 'Dockerfile', text, config: CONFIG }, error, 'file'), { start: 10, end: 10, text: '\n# shipshape-ignore-file parse-error' });
  });
});
