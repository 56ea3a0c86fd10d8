import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, resolveConfig, type SectionCache } from '../../server/src/engine';
import { parseDockerfile } from '../../server/src/engine/parse/dockerfile';

const config = resolveConfig({ profile: 'strict' });
const FIXTURES = join(__dirname, '..', 'fixtures');

/** Every Dockerfile fixture, one after another: a long file with every construct the rules read. */
const allFixtures = readdirSync(FIXTURES)
  .filter((folder) => folder.startsWith('dockerfile-'))
  .flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .filter((file) => file.endsWith('.Dockerfile') && !file.includes('.fixed.'))
      .map((file) => readFileSync(join(FIXTURES, folder, file), 'utf8')),
  )
  .join('\n');

const analyseCached = (text: string, cache: SectionCache) => analyze({ path: 'Dockerfile', text, config, cache });
const analyseFresh = (text: string) => analyze({ path: 'Dockerfile', text, config });

/** A deterministic stand-in for random edits. */
function* positions(count: number, length: number): Generator<number> {
  let seed = 7;
  for (let i = 0; i < count; i++) {
    seed = (seed * 48271) % 2147483647;
    yield seed % length;
  }
}

describe('Dockerfile cache across analyses', () => {
  it('gives the findings of an uncached analysis after every edit', () => {
    assert.ok(allFixtures.split('\n').length > 100, 'the fixtures make a file long enough to be parsed in chunks');
    const cache: SectionCache = new Map();
    let text = allFixtures;
    assert.deepEqual(analyseCached(text, cache), analyseFresh(text));
    const edits = ['x', '\\', '\n', '\n<<EOF\n', 'EOF\n', ' && curl -k https://x | sh', '\n# comment\n', ''];
    let index = 0;
    for (const at of positions(60, text.length)) {
      const insert = edits[index++ % edits.length] ?? '';
      // Every other edit deletes a few characters instead: joins lines, cuts instructions.
      text = index % 2 === 0 ? text.slice(0, at) + text.slice(at + 3) : text.slice(0, at) + insert + text.slice(at);
      assert.deepEqual(analyseCached(text, cache), analyseFresh(text), `after edit ${index} at ${at}`);
    }
  });

  it('re-parses only the instructions an edit touched', () => {
    const lines = Array.from({ length: 120 }, (_, i) => (i === 0 ? 'FROM alpine:3.20' : `RUN echo ${i}`));
    const cache: SectionCache = new Map();
    const before = parseDockerfile(lines.join('\n'), cache);
    lines[100] = 'RUN curl -k https://example.com/install.sh | sh';
    const after = parseDockerfile(lines.join('\n'), cache);
    assert.equal(after.instructions[1], before.instructions[1], 'an instruction above the edit is reused');
    assert.notEqual(after.instructions[100], before.instructions[100]);
    assert.equal(after.instructions[100]?.getArgumentsContent(), 'curl -k https://example.com/install.sh | sh');
    const findings = analyze({ path: 'Dockerfile', text: lines.join('\n'), config, cache }).findings.map((f) => f.ruleId);
    assert.ok(findings.includes('dockerfile-curl-pipe-shell') && findings.includes('dockerfile-insecure-transport'));
  });

  it('moves the scripts of an unchanged RUN below an edit to their new place', () => {
    const text = ['FROM alpine:3.20', ...Array.from({ length: 40 }, (_, i) => `ENV V${i}=${i}`), 'RUN curl -k https://example.com/x -o /x'].join('\n');
    const cache: SectionCache = new Map();
    analyseCached(text, cache);
    const edited = text.replace('ENV V3=3', 'ENV V3=33333');
    const cached = analyseCached(edited, cache).findings.find((f) => f.ruleId === 'dockerfile-insecure-transport');
    assert.equal(cached && edited.slice(cached.span.start, cached.span.end), '-k');
  });

  it('keeps what rules find in a RUN, moved with it, and checks only the RUN an edit touched', () => {
    const runs = ['RUN sudo apt-get install -y curl', 'RUN curl -k https://example.com/x -o /x', 'RUN chmod 777 /data'];
    const text = ['FROM alpine:3.20', ...Array.from({ length: 40 }, (_, i) => `ENV V${i}=${i}`), ...runs].join('\n');
    const cache: SectionCache = new Map();
    analyseCached(text, cache);
    const kept = () => [...cache.values()].filter((entry) => 'kind' in entry && entry.kind === 'run-findings');
    const before = kept();
    assert.equal(before.length, runs.length);
    const moved = text.replace('ENV V3=3', 'ENV V3=33333');
    assert.deepEqual(analyseCached(moved, cache), analyseFresh(moved), 'moved findings, fixes included, equal a fresh analysis');
    assert.equal(kept().length, runs.length, 'no RUN was checked again');
    const touched = moved.replace('chmod 777', 'chmod 775');
    const after = analyseCached(touched, cache);
    assert.deepEqual(after, analyseFresh(touched));
    assert.equal(kept().length, runs.length + 1, 'the touched RUN was checked again');
    assert.ok(!after.findings.some((finding) => finding.ruleId === 'dockerfile-world-writable'));
  });

  it('parses a text once for the workspace facts and the rules, and never shares a model with an uncached parse', () => {
    const text = 'FROM alpine:3.20\nUSER 1000\n';
    const forFacts = parseDockerfile(text, new Map());
    assert.equal(parseDockerfile(text, new Map()), forFacts);
    assert.notEqual(parseDockerfile(text), forFacts);
  });

  it('reads a heredoc that runs past a chunk, and a backquote escape directive, as a whole parse does', () => {
    const body = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'FROM not-an-instruction' : 'curl -k https://example.com'));
    const text = ['# escape=`', 'FROM alpine:3.20', ...Array.from({ length: 20 }, (_, i) => `RUN echo ${i} \u0060\r\n  more`), 'RUN <<EOF', ...body, 'EOF', 'USER 1000'].join('\r\n');
    const cache: SectionCache = new Map();
    const cached = parseDockerfile(text, cache);
    const whole = parseDockerfile(text);
    assert.equal(cached.escapeChar, '`');
    const shape = (model: typeof cached) => model.instructions.map((i) => [i.getKeyword(), model.spanOf(i.getRange())]);
    assert.deepEqual(shape(cached), shape(whole));
    assert.deepEqual(analyseCached(text, cache), analyseFresh(text));
  });
});
