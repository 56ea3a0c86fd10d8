import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const GRAMMAR_PATH = 'syntaxes/shipshape-ignore.injection.json';

interface Rule {
  match?: string;
  begin?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
  beginCaptures?: Record<string, { name: string }>;
  patterns?: { include: string }[];
}

interface Grammar {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, Rule>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isGrammar(value: unknown): value is Grammar {
  return isRecord(value) && typeof value.scopeName === 'string' && typeof value.injectionSelector === 'string' && isRecord(value.repository);
}

const parsed: unknown = JSON.parse(readFileSync(join(ROOT, GRAMMAR_PATH), 'utf8'));
assert.ok(isGrammar(parsed), `${GRAMMAR_PATH} is not a TextMate grammar`);
const grammar = parsed;

/**
 * Tokenises the text of one comment the way a TextMate engine does for this grammar: the
 * directive's begin pattern, then at each position the first of its patterns that matches.
 * The patterns use only syntax JavaScript and Oniguruma read alike.
 */
function tokens(comment: string): [string, string][] {
  const directive = grammar.repository.directive;
  assert.ok(directive?.begin && directive.patterns);
  const begin = new RegExp(directive.begin).exec(comment);
  if (!begin) return [];
  const result: [string, string][] = [[begin[1] ?? '', directive.beginCaptures?.['1']?.name ?? '']];
  const rules = directive.patterns.map((p) => grammar.repository[p.include.slice(1)]).filter((r): r is Rule => r !== undefined);
  let position = begin.index + begin[0].length;
  while (position < comment.length) {
    let advanced = false;
    for (const rule of rules) {
      const pattern = new RegExp(rule.match ?? '', 'y');
      pattern.lastIndex = position;
      const match = pattern.exec(comment);
      if (!match || match[0] === '') continue;
      if (rule.name) result.push([match[0], rule.name]);
      for (const [group, capture] of Object.entries(rule.captures ?? {})) {
        const text = match[Number(group)];
        if (text) result.push([text, capture.name]);
      }
      position += match[0].length;
      advanced = true;
      break;
    }
    if (!advanced) position++;
  }
  return result;
}

describe('shipshape-ignore highlighting', () => {
  it('is contributed to YAML and Dockerfile comments', () => {
    const manifest: unknown = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const contributes = isRecord(manifest) && isRecord(manifest.contributes) ? manifest.contributes : {};
    const grammars = Array.isArray(contributes.grammars) ? contributes.grammars : [];
    assert.deepEqual(
      grammars.filter((g) => isRecord(g) && g.path === `./${GRAMMAR_PATH}`),
      [{ scopeName: grammar.scopeName, path: `./${GRAMMAR_PATH}`, injectTo: ['source.yaml', 'source.dockerfile'] }],
    );
    assert.equal(grammar.injectionSelector, 'L:comment.line.number-sign');
  });

  it('highlights the directive, ids, expiry and reason', () => {
    assert.deepEqual(tokens('# shipshape-ignore host-network, host-port until=2027-03-31 -- CNI plugin, see OPS-1'), [
      ['shipshape-ignore', 'keyword.control.directive.shipshape'],
      ['host-network', 'entity.name.tag.rule-id.shipshape'],
      [',', 'punctuation.separator.comma.shipshape'],
      ['host-port', 'entity.name.tag.rule-id.shipshape'],
      ['until', 'keyword.other.until.shipshape'],
      ['=', 'keyword.operator.assignment.shipshape'],
      ['2027-03-31', 'constant.numeric.date.shipshape'],
      ['--', 'punctuation.separator.reason.shipshape'],
      ['CNI plugin, see OPS-1', 'string.unquoted.reason.shipshape'],
    ]);
  });

  it('highlights the file form', () => {
    assert.deepEqual(tokens('#shipshape-ignore-file image-tag-mutable'), [
      ['shipshape-ignore-file', 'keyword.control.directive.shipshape'],
      ['image-tag-mutable', 'entity.name.tag.rule-id.shipshape'],
    ]);
  });

  it('leaves other comments and look-alike words alone', () => {
    assert.deepEqual(tokens('# the web server'), []);
    assert.deepEqual(tokens('# shipshape-ignored by default'), []);
    assert.deepEqual(tokens('# shipshape-ignore Host_Network until=soon'), [['shipshape-ignore', 'keyword.control.directive.shipshape']]);
  });
});
