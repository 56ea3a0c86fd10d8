/**
 * What the editor shows while a key is typed: a half-typed line must not wipe the document's
 * other findings (the engine reads around the line, or the previous findings are kept, moved by
 * the edit), and the parse error sits on the broken line only.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, keepFindingsWhileUnparsed, resolveConfig, type Finding } from '../../server/src/engine';

const INSECURE = readFileSync(resolve(__dirname, '..', '..', 'examples', 'kubernetes', 'insecure', 'deployment.yaml'), 'utf8');
const config = resolveConfig({});

function run(text: string, recover = true, path = 'deploy.yaml') {
  return analyze({ path, text, config, recover });
}

/** `rule@line:col-line:col`, the picture a user sees. */
function picture(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);
}

/** The same picture with every finding at or below `line` moved down by `by` lines. */
function shifted(findings: readonly Finding[], line: number, by: number): string[] {
  return picture(
    findings.map((f) =>
      f.range.start.line < line
        ? f
        : { ...f, range: { start: { ...f.range.start, line: f.range.start.line + by }, end: { ...f.range.end, line: f.range.end.line + by } } },
    ),
  );
}

const lines = INSECURE.split('\n');
/** Line 36 (0-based) follows `add: [NET_ADMIN, SYS_PTRACE]`: a new securityContext key goes there. */
const AT = 36;
const INDENT = '            ';
function withLine(typed: string): string {
  return [...lines.slice(0, AT), INDENT + typed, ...lines.slice(AT)].join('\n');
}

describe('typing a key character by character', () => {
  const original = run(INSECURE).findings;
  const key = 'readOnlyRootFilesystem: true';

  it('keeps every other finding in place at every keystroke, with the parse error on the typed line only', () => {
    assert.ok(original.length >= 15);
    // Up to `readOnlyRootFilesystem: ` the key has no value; then `t`, `tr`, `tru` are strings, which the rule reports on.
    for (let typed = 1; typed <= key.indexOf(' ') + 1; typed++) {
      const { findings } = run(withLine(key.slice(0, typed)));
      const errors = findings.filter((f) => f.ruleId === 'parse-error');
      const others = findings.filter((f) => f.ruleId !== 'parse-error');
      assert.deepEqual(picture(others), shifted(original, AT, 1), `after typing "${key.slice(0, typed)}"`);
      for (const error of errors) {
        assert.equal(error.range.start.line, AT);
        assert.equal(error.range.end.line, AT);
        assert.equal(error.range.start.character, INDENT.length);
      }
    }
  });

  it('reports the half-typed key with the parser message, and says the rest is still analysed', () => {
    const { findings } = run(withLine('readOnly'));
    const [error] = findings.filter((f) => f.ruleId === 'parse-error');
    assert.deepEqual(picture(error ? [error] : []), [`parse-error@${AT}:12-${AT}:20`]);
    assert.equal(error?.message, 'YAML syntax error: Implicit map keys need to be followed by map values. Until it parses, the document is analysed without this line.');
  });

  it('offers no fix while the document does not parse', () => {
    const { findings } = run(withLine('readOnly'));
    assert.ok(findings.length > 10);
    assert.deepEqual(findings.filter((f) => f.fix), []);
  });

  it('drops only the finding the completed key answers', () => {
    const { findings } = run(withLine(key));
    const expected = shifted(original, AT, 1).filter((entry) => !entry.startsWith('read-only-root-filesystem@'));
    assert.deepEqual(picture(findings), expected);
  });

  it('reports the document as one parse error without `recover` (the CLI), on the broken line', () => {
    const { findings } = run(withLine('readOnly'), false);
    assert.deepEqual(picture(findings), [`parse-error@${AT}:12-${AT}:20`]);
    assert.match(findings[0]?.message ?? '', /This document is not analysed until it parses\.$/);
  });

  it('shows an error in a line\'s indentation on the line\'s text', () => {
    const { findings } = run([...lines.slice(0, AT), '   bad', ...lines.slice(AT)].join('\n'));
    assert.deepEqual(picture(findings.filter((f) => f.ruleId === 'parse-error')), [`parse-error@${AT}:3-${AT}:6`]);
  });
});

describe('a document the engine cannot read around', () => {
  // The colon of `securityContext:` deleted: its nested block falls apart, more than one line breaks.
  const before = INSECURE;
  const after = INSECURE.replace('securityContext:', 'securityContex');
  const previous = { text: before, findings: run(before).findings };

  it('is reported unparsed, with one parse error on the broken key', () => {
    const result = run(after);
    assert.deepEqual(picture(result.findings), ['parse-error@31:10-31:24']);
    assert.deepEqual(result.unparsed, [{ start: 0, end: after.length }]);
  });

  it('keeps the previous findings the edit did not touch, without their fixes', () => {
    const result = run(after);
    const kept = keepFindingsWhileUnparsed(previous, { text: after, findings: result.findings }, result.unparsed);
    assert.deepEqual(picture(kept), [...picture(previous.findings), 'parse-error@31:10-31:24'].sort(byLine));
    assert.deepEqual(kept.filter((f) => f.fix || f.related), []);
  });

  it('keeps them over further keystrokes, each carried from the version before', () => {
    const first = run(after);
    const kept = keepFindingsWhileUnparsed(previous, { text: after, findings: first.findings }, first.unparsed);
    // One more character at the top of the document: everything moves by nothing but stays.
    const next = after.replace('# A web shop', '# A  web shop');
    const second = run(next);
    const keptAgain = keepFindingsWhileUnparsed({ text: after, findings: kept }, { text: next, findings: second.findings }, second.unparsed);
    assert.deepEqual(picture(keptAgain), picture(kept));
    // A line inserted above shifts them all by one line.
    const third = `# note\n${next}`;
    const thirdResult = run(third);
    const keptThird = keepFindingsWhileUnparsed({ text: next, findings: keptAgain }, { text: third, findings: thirdResult.findings }, thirdResult.unparsed);
    assert.deepEqual(picture(keptThird), shifted(keptAgain, 0, 1));
  });

  it('drops a previous finding the edit touched', () => {
    const edited = after.replace('image: nginx:latest', 'image: nginx:lates');
    const result = run(edited);
    const kept = keepFindingsWhileUnparsed({ text: after, findings: keepFindingsWhileUnparsed(previous, { text: after, findings: run(after).findings }, run(after).unparsed) }, { text: edited, findings: result.findings }, result.unparsed);
    assert.equal(kept.some((f) => f.ruleId === 'image-tag-mutable'), false);
    assert.equal(kept.some((f) => f.ruleId === 'host-network'), true);
  });

  it('keeps nothing from documents that parse: their findings are fresh', () => {
    const two = `${INSECURE}---\n${INSECURE}`;
    const broken = `${INSECURE}---\n${after}`;
    const result = run(broken);
    const kept = keepFindingsWhileUnparsed({ text: two, findings: run(two).findings }, { text: broken, findings: result.findings }, result.unparsed);
    const firstDocument = kept.filter((f) => f.span.end <= INSECURE.length);
    assert.deepEqual(picture(firstDocument), picture(run(INSECURE).findings));
    assert.ok(firstDocument.some((f) => f.fix), 'the parsed document keeps its fixes');
    assert.equal(kept.filter((f) => f.ruleId === 'privileged-container').length, 2);
  });

  it('keeps a Helm template\'s findings while it cannot be read', () => {
    const template = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  hostNetwork: true\n  containers:\n    - name: web\n      image: nginx:1.27\n';
    const path = 'chart/templates/pod.yaml';
    const readable = analyze({ path, text: template, config, recover: true });
    assert.ok(readable.findings.some((f) => f.ruleId === 'host-network'));
    const typed = template.replace('  containers:', '  containers:\n    privil');
    const broken = analyze({ path, text: typed, config, recover: true });
    assert.deepEqual(broken.findings.map((f) => f.ruleId), ['file-skipped']);
    const kept = keepFindingsWhileUnparsed({ text: template, findings: readable.findings }, { text: typed, findings: broken.findings }, broken.unparsed);
    assert.ok(kept.some((f) => f.ruleId === 'host-network' && f.range.start.line === 5));
    assert.ok(kept.some((f) => f.ruleId === 'file-skipped'));
  });

  it('changes nothing when the whole text parses', () => {
    const result = run(INSECURE);
    assert.equal(result.unparsed, undefined);
    assert.deepEqual(keepFindingsWhileUnparsed(previous, { text: INSECURE, findings: result.findings }, result.unparsed), result.findings);
  });
});

function byLine(a: string, b: string): number {
  const position = (entry: string): number[] => (/@(\d+):(\d+)/.exec(entry)?.slice(1) ?? []).map(Number);
  const [la = 0, ca = 0] = position(a);
  const [lb = 0, cb = 0] = position(b);
  return la - lb || ca - cb || a.localeCompare(b);
}
