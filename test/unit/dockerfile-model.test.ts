import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../server/src/engine/fix/apply';
import { DockerfileEditor } from '../../server/src/engine/fix/dockerfile-edits';
import { effectiveUser, parseDockerfile } from '../../server/src/engine/parse/dockerfile';
import type { Span } from '../../server/src/engine/types';

describe('Dockerfile model: stages', () => {
  const text = [
    'ARG BASE=alpine:3.20',
    'ARG TAG',
    'FROM --platform=$BUILDPLATFORM ${BASE} AS Build',
    'USER builder',
    'FROM build AS test',
    'FROM ${REGISTRY:-ghcr.io/acme}/app:${TAG:-1.0}',
    'COPY --from=0 /a /b',
    'FROM scratch',
    'FROM TEST',
    'ENV PORT=8080',
    'USER ${PORT}',
  ].join('\n');
  const model = parseDockerfile(text);
  it('collects global ARGs and their defaults', () => {
    assert.deepEqual([...model.globalArgs], [
      ['BASE', 'alpine:3.20'],
      ['TAG', undefined],
    ]);
  });
  it('resolves FROM images through global ARG defaults', () => {
    assert.deepEqual(
      model.stages.map((s) => s.image?.resolved),
      ['alpine:3.20', 'build', 'ghcr.io/acme/app:1.0', 'scratch', 'TEST'],
    );
    assert.equal(model.stages[0]?.platform, '$BUILDPLATFORM');
    assert.equal(model.stages[0]?.name, 'build');
  });
  it('links stages built FROM earlier stages, case-insensitively', () => {
    assert.deepEqual(model.stages.map((s) => s.parent?.index), [undefined, 0, undefined, undefined, 1]);
    assert.deepEqual(model.finalScope.map((s) => s.index), [4, 1, 0]);
  });
  it('finds stages by name or index for COPY --from', () => {
    assert.equal(model.stageNamed('BUILD', 5)?.index, 0);
    assert.equal(model.stageNamed('0', 5)?.index, 0);
    assert.equal(model.stageNamed('test', 1), undefined, 'a later stage is not visible');
  });
  it('expands variables visible to an instruction', () => {
    const found = effectiveUser(model);
    assert.ok(found);
    assert.equal(model.expandAt(found.stage, found.instruction, '${PORT}'), '8080');
    assert.equal(model.expandAt(found.stage, found.instruction, '${MISSING:-x}-${PORT:+set}'), 'x-set');
    assert.equal(model.expandAt(found.stage, found.instruction, '$MISSING'), undefined);
  });
  it('reads empty and comment-only files as having no stages', () => {
    assert.deepEqual(parseDockerfile('').stages, []);
    assert.equal(parseDockerfile('# syntax=docker/dockerfile:1\n# nothing\n').finalStage, undefined);
  });
});

describe('DockerfileEditor.removeWords', () => {
  const remove = (text: string, word: string, occurrence = 0): string => {
    const model = parseDockerfile(text);
    const editor = new DockerfileEditor(model);
    let start = -1;
    for (let i = 0; i <= occurrence; i++) start = text.indexOf(word, start + 1);
    const span: Span = { start, end: start + word.length };
    editor.removeWords(span);
    return editor.refused ? `refused: ${editor.refused}` : applyEdits(text, editor.edits);
  };
  it('removes a word and the blanks after it', () => {
    assert.equal(remove('RUN curl -k -fsSL x\n', '-k'), 'RUN curl -fsSL x\n');
  });
  it('removes the blanks before a word at the end of a line or of a quoted script', () => {
    assert.equal(remove('RUN curl x -k\r\n', '-k'), 'RUN curl x\r\n');
    assert.equal(remove("RUN sh -c 'curl x -k'\n", '-k'), "RUN sh -c 'curl x'\n");
  });
  it('keeps a line continuation', () => {
    assert.equal(remove('RUN curl -k \\\n  x\n', '-k'), 'RUN curl \\\n  x\n');
  });
  it('removes exec-form items with their comma', () => {
    assert.equal(remove('RUN ["curl", "-k", "x"]\n', '"-k"'), 'RUN ["curl", "x"]\n');
    assert.equal(remove('RUN ["curl", "x", "-k"]\n', '"-k"'), 'RUN ["curl", "x"]\n');
    assert.match(remove('RUN ["sudo"]\n', '"sudo"'), /^refused/);
  });
});
