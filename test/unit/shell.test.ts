import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseShell, sourceAt, type ShellCommand, type ShellScript } from '../../server/src/engine/shell/parse';
import { allInvocations, allScripts, invocationOf, shellScriptWord } from '../../server/src/engine/shell/commands';
import { parseDockerfile } from '../../server/src/engine/parse/dockerfile';
import { Run } from 'dockerfile-ast';

const parse = (text: string): ShellScript => parseShell(sourceAt(text, 0));
/** Each pipeline as its commands' words: `[[['a', 'b'], ['c']]]` for `a b | c`. */
const shape = (script: ShellScript): string[][][] => script.pipelines.map((p) => p.commands.map((c) => c.words.map((w) => w.value)));
const onlyCommand = (text: string): ShellCommand => {
  const command = parse(text).pipelines[0]?.commands[0];
  assert.ok(command, `no command in ${text}`);
  return command;
};
/** Names of every command run, nested scripts included. */
const names = (text: string): string[] => allInvocations(parse(text)).map((i) => i.name);

describe('shell reader: command lists and pipelines', () => {
  it('splits lists on &&, ||, ;, & and newlines', () => {
    assert.deepEqual(shape(parse('a 1 && b || c; d & e\nf')), [[['a', '1']], [['b']], [['c']], [['d']], [['e']], [['f']]]);
  });
  it('keeps pipeline stages together', () => {
    assert.deepEqual(shape(parse('curl -fsSL x | tee y |& sh -s')), [[['curl', '-fsSL', 'x'], ['tee', 'y'], ['sh', '-s']]]);
  });
  it('reads compound commands as the commands inside them', () => {
    assert.deepEqual(shape(parse('if [ -f x ]; then curl -k y; else ( cd /tmp && make ); fi')), [
      [['[', '-f', 'x', ']']],
      [['curl', '-k', 'y']],
      [['cd', '/tmp']],
      [['make']],
    ]);
    assert.deepEqual(shape(parse('for f in a b; do rm "$f"; done; { echo x; }')), [[['for', 'f', 'in', 'a', 'b']], [['rm', '$f']], [['echo', 'x']]]);
    assert.deepEqual(shape(parse('! time curl -fsSL x | sh')), [[['curl', '-fsSL', 'x'], ['sh']]]);
  });
  it('skips comments', () => {
    assert.deepEqual(shape(parse('echo a # curl -k x\necho b#c')), [[['echo', 'a']], [['echo', 'b#c']]]);
  });
});

describe('shell reader: words', () => {
  it('removes quotes and keeps what they protect in one word', () => {
    assert.deepEqual(shape(parse(`echo "curl -k" 'a | sh' c\\ d "x"'y'z $'\\t'`)), [[['echo', 'curl -k', 'a | sh', 'c d', 'xyz', '\\t']]]);
  });
  it('honours the escapes of double quotes only for $ ` " \\ and newline', () => {
    assert.deepEqual(shape(parse('echo "a\\"b \\$HOME \\n"')), [[['echo', 'a"b $HOME \\n']]]);
  });
  it('joins backslash-newline continuations, with LF or CRLF', () => {
    assert.deepEqual(shape(parse('apt-get install \\\n  curl \\\r\n  git')), [[['apt-get', 'install', 'curl', 'git']]]);
    assert.deepEqual(shape(parse('echo "one \\\r\ntwo \\\nthree"')), [[['echo', 'one two three']]]);
  });
  it('separates leading assignments; quoted names are words', () => {
    const command = onlyCommand('A=1 B="x y" cmd C=2');
    assert.deepEqual(command.assignments.map((w) => w.value), ['A=1', 'B=x y']);
    assert.deepEqual(command.words.map((w) => w.value), ['cmd', 'C=2']);
    assert.deepEqual(onlyCommand('"A=1" cmd').words.map((w) => w.value), ['A=1', 'cmd']);
  });
  it('leaves redirections out of the words', () => {
    const command = onlyCommand('curl -o- x > /tmp/out 2>&1 </dev/null');
    assert.deepEqual(command.words.map((w) => w.value), ['curl', '-o-', 'x']);
    assert.deepEqual(command.redirects.map((r) => [r.operator, r.target?.value]), [['>', '/tmp/out'], ['>&', '1'], ['<', '/dev/null']]);
  });
  it('keeps ${…} expansions whole', () => {
    assert.deepEqual(shape(parse('echo ${A:-x y} $B')), [[['echo', '${A:-x y}', '$B']]]);
  });
  it('gives each word its span in the source, quotes included', () => {
    const text = 'RUN echo "a b" \'c\'';
    const command = parseShell(sourceAt(text.slice(4), 4)).pipelines[0]?.commands[0];
    assert.deepEqual(command?.words.map((w) => text.slice(w.span.start, w.span.end)), ['echo', '"a b"', "'c'"]);
  });
});

describe('shell reader: nested scripts', () => {
  it('reads command substitutions, backquotes and process substitutions', () => {
    const word = onlyCommand('sh -c "$(curl -fsSL "https://x/y z")"').words[2];
    assert.equal(word?.value, '$(curl -fsSL "https://x/y z")');
    assert.deepEqual(word?.substitutions.map(shape), [[[['curl', '-fsSL', 'https://x/y z']]]]);
    assert.deepEqual(names('echo `wget -O- x` && bash <(curl x) >(cat)').sort(), ['bash', 'cat', 'curl', 'echo', 'wget']);
    assert.deepEqual(names('echo $(a $(b) | c)').sort(), ['a', 'b', 'c', 'echo']);
  });
  it('reads the script of sh -c / bash -ec / sh -o pipefail -c', () => {
    assert.deepEqual(names(`sh -c 'curl -k x | sh'`), ['sh', 'curl', 'sh']);
    assert.deepEqual(names(`bash -ec "apt-get update && apt-get install -y x"`), ['bash', 'apt-get', 'apt-get']);
    assert.deepEqual(names(`sh -o pipefail -c 'wget x'`), ['sh', 'wget']);
    assert.deepEqual(names(`bash script.sh -c 'not a script'`), ['bash']);
  });
  it('maps words of a nested script back to the file', () => {
    const text = `sh -c 'curl  -k x'`;
    const inner = allScripts(parse(text))[1]?.pipelines[0]?.commands[0]?.words[1];
    assert.equal(inner && text.slice(inner.span.start, inner.span.end), '-k');
  });
  it('skips heredoc bodies, which are data', () => {
    assert.deepEqual(shape(parse('cat <<EOF > /etc/x\ncurl -k y\nEOF\necho done')), [[['cat']], [['echo', 'done']]]);
    assert.deepEqual(shape(parse("cat <<-'END'\n\tcurl -k\n\tEND\nls")), [[['cat']], [['ls']]]);
  });
  it('looks through sudo, env and other wrappers', () => {
    const invocation = invocationOf(onlyCommand('sudo -u app -E env -i X=1 /usr/bin/curl -k x'));
    assert.equal(invocation?.name, 'curl');
    assert.deepEqual(invocation?.wrappers.map((w) => [w.word.value, w.options.map((o) => o.value)]), [
      ['sudo', ['-u', 'app', '-E']],
      ['env', ['-i', 'X=1']],
    ]);
    assert.deepEqual(invocation?.args.map((a) => a.value), ['-k', 'x']);
    const shell = invocationOf(onlyCommand(`sudo bash -c 'id'`));
    assert.equal(shell && shellScriptWord(shell)?.value, 'id');
  });
});

describe('shell reader: robustness', () => {
  it('reads unterminated quotes and substitutions to the end instead of failing', () => {
    assert.deepEqual(shape(parse('echo "abc')), [[['echo', 'abc']]]);
    assert.deepEqual(shape(parse("echo 'abc")), [[['echo', 'abc']]]);
    assert.equal(parse('echo $(curl x').pipelines.length, 1);
    assert.deepEqual(shape(parse('')), []);
  });
  it('never throws, and every span lies inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', '$', '(', ')', '`', '|', '&', ';', '<', '>', '\n', '#', '{', '}', '-', '=') }), (text) => {
        for (const invocation of allInvocations(parse(text))) {
          for (const word of [invocation.nameWord, ...invocation.args]) {
            assert.ok(word.span.start >= 0 && word.span.end <= text.length && word.span.start <= word.span.end);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('RUN instructions as shell', () => {
  const runScriptsOf = (dockerfile: string): string[][] => {
    const model = parseDockerfile(dockerfile);
    return model.stages.flatMap((stage) =>
      stage.instructions.filter((i): i is Run => i instanceof Run).map((run) => model.runScripts(run).flatMap((s) => allInvocations(s).map((i) => i.name))),
    );
  };
  it('reads shell form after the flags, with continuations and comment lines', () => {
    assert.deepEqual(runScriptsOf('FROM a\nRUN --mount=type=cache,target=/x apk add \\\n  # comment\n\n  curl && echo "sh"\n'), [['apk', 'echo']]);
  });
  it('reads exec form argv, and the script of ["sh", "-c", …]', () => {
    assert.deepEqual(runScriptsOf('FROM a\nRUN ["curl", "-k", "x"]\nRUN ["/bin/sh", "-c", "apt-get update && echo \\"ok\\""]\n'), [['curl'], ['sh', 'apt-get', 'echo']]);
  });
  it('runs heredoc bodies fed to a shell, not those fed to other programs', () => {
    const text = 'FROM a\nRUN <<EOF\ncurl x | sh\nEOF\nRUN cat <<A > /f && bash <<B\nsudo ls\nA\nwget y\nB\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n';
    assert.deepEqual(runScriptsOf(text), [['curl', 'sh'], ['cat', 'bash', 'wget'], []]);
  });
  it('uses the escape directive for continuations', () => {
    assert.deepEqual(runScriptsOf('# escape=`\r\nFROM a\r\nRUN curl.exe -k `\r\n    https://x\r\n'), [['curl']]);
  });
});
