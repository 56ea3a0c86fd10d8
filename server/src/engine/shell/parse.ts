/**
 * A small POSIX shell reader for Dockerfile `RUN` instructions: enough of the shell grammar
 * (https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html) to see which
 * commands run, with which arguments, in which pipeline. It reads quoting and escapes, command
 * lists (`&&`, `||`, `;`, `&`, newlines), pipelines, redirections, heredoc bodies, command and
 * process substitution, and keeps every word's position in the file. It never executes or expands
 * anything: `$VAR` stays as written. Unknown constructs degrade to words, never to an error.
 */
import type { Span } from '../types';
import { InputLimitError, MAX_SHELL_NESTING } from '../limits';

/**
 * Where text read from the file sits in it, by runs rather than one number per character: from
 * `index` on, the text's characters sit at `offset` on, up to the next segment's `index`. The
 * first segment has index 0; the position one past the text's end maps like any other.
 */
export interface SourceSegment {
  readonly index: number;
  readonly offset: number;
}

/** Text to read (the file's characters, continuations removed), with where they sit in the file. */
export interface ShellSource {
  text: string;
  segments: readonly SourceSegment[];
}

export interface ShellWord {
  /** The word after quote removal; substitutions and `$VAR` stay as written. */
  value: string;
  /** Where the characters of `value` sit in the file (see `wordOffset`), so the value can be read as a script. */
  segments: readonly SourceSegment[];
  /** The word as written in the file, quotes included. */
  span: Span;
  /** Some part of the word was quoted or escaped, so it is never an operator or keyword. */
  quoted: boolean;
  /** Scripts inside the word: `$(…)`, backquotes, `<(…)`, `>(…)`. */
  substitutions: ShellScript[];
}

export interface ShellRedirect {
  operator: string;
  target?: ShellWord;
}

export interface ShellCommand {
  /** Leading `NAME=value` words. */
  assignments: ShellWord[];
  /** The command name and its arguments, redirections left out. */
  words: ShellWord[];
  redirects: ShellRedirect[];
}

/** Commands joined by `|`: each one's output is the next one's input. */
export interface ShellPipeline {
  commands: ShellCommand[];
}

export interface ShellScript {
  pipelines: ShellPipeline[];
}

/** Reserved words that start a compound command; the command proper follows them. */
const LEADING_KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'elif', 'else', 'do', 'while', 'until', '!', '{', 'time']);
/** Reserved words that close a compound command and end the current one. */
const CLOSING_KEYWORDS: ReadonlySet<string> = new Set(['fi', 'done', '}', 'esac']);

const LIST_OPERATORS = ['&&', '||', ';;', ';', '&', '\n'] as const;
const PIPE_OPERATORS = ['|&', '|'] as const;
const REDIRECT_OPERATORS = ['<<<', '<<-', '<<', '>>', '&>>', '&>', '>&', '<&', '<>', '>|', '>', '<'] as const;

type Token =
  | { kind: 'word'; word: ShellWord }
  | { kind: 'list'; operator: string }
  | { kind: 'pipe' }
  | { kind: 'redirect'; operator: string }
  | { kind: 'open' }
  | { kind: 'close' };

/** Reads a whole script. */
export function parseShell(source: ShellSource): ShellScript {
  return new ShellReader(source).readScript(undefined);
}

/** A source whose characters map one to one onto the file from `start`. */
export function sourceAt(text: string, start: number): ShellSource {
  return { text, segments: [{ index: 0, offset: start }] };
}

/** The script a word holds, as `sh -c` would read it. */
export function wordSource(word: ShellWord): ShellSource {
  return { text: word.value, segments: word.segments };
}

/** The file offset of character `index` of a word's value (its length: one past its end). */
export function wordOffset(word: ShellWord, index: number): number {
  return segmentOffset(word.segments, Math.min(Math.max(index, 0), word.value.length));
}

/** The word without its first `count` characters (`-m777` → `777`), still placed in the file. */
export function wordWithout(word: ShellWord, count: number): ShellWord {
  const segments: SourceSegment[] = [{ index: 0, offset: wordOffset(word, count) }];
  for (const segment of word.segments) if (segment.index > count) segments.push({ index: segment.index - count, offset: segment.offset });
  return { ...word, value: word.value.slice(count), segments, span: { start: wordOffset(word, count), end: word.span.end } };
}

/**
 * The same script read `delta` characters further on in the file: an unchanged RUN instruction
 * after an edit above it reads to the same words at new offsets.
 */
export function shiftScript(script: ShellScript, delta: number): ShellScript {
  if (delta === 0) return script;
  const shiftWord = (word: ShellWord): ShellWord => ({
    value: word.value,
    segments: word.segments.map((segment) => ({ index: segment.index, offset: segment.offset + delta })),
    span: { start: word.span.start + delta, end: word.span.end + delta },
    quoted: word.quoted,
    substitutions: word.substitutions.map((nested) => shiftScript(nested, delta)),
  });
  return {
    pipelines: script.pipelines.map((pipeline) => ({
      commands: pipeline.commands.map((command) => ({
        assignments: command.assignments.map(shiftWord),
        words: command.words.map(shiftWord),
        redirects: command.redirects.map((redirect) => (redirect.target ? { operator: redirect.operator, target: shiftWord(redirect.target) } : redirect)),
      })),
    })),
  };
}

/** The offset of `index` in segments sorted by index (a binary search: continued RUNs have many). */
function segmentOffset(segments: readonly SourceSegment[], index: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((segments[middle]?.index ?? 0) <= index) low = middle;
    else high = middle - 1;
  }
  const segment = segments[low];
  return segment ? segment.offset + index - segment.index : index;
}

/** Builds text read from the file (a word's value, a joined command line) and its segments, by runs. */
export class SourceBuilder {
  value = '';
  readonly segments: SourceSegment[] = [];

  /** Appends text that sits at `offset` on in the file. */
  append(text: string, offset: number): void {
    const last = this.segments[this.segments.length - 1];
    if (!last || last.offset + this.value.length - last.index !== offset) this.segments.push({ index: this.value.length, offset });
    this.value += text;
  }

  /** Marks where the text ends in the file, when that is not right after its last character. */
  end(offset: number): void {
    this.append('', offset);
  }
}

class ShellReader {
  private position = 0;
  /** Heredoc delimiters whose bodies start after the next newline. */
  private pendingHeredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  /** How many substitutions the reader is inside: each one is read by a nested readScript. */
  private nesting = 0;

  constructor(private readonly source: ShellSource) {}

  private get text(): string {
    return this.source.text;
  }

  private offset(index: number): number {
    return segmentOffset(this.source.segments, Math.min(index, this.text.length));
  }

  /** Where the source segment holding `index` ends (the next segment's index, or the text's end). */
  private segmentEnd(index: number): number {
    for (const segment of this.source.segments) if (segment.index > index) return Math.min(segment.index, this.text.length);
    return this.text.length;
  }

  /** Reads until the end, or until `closer` (`)` or a backquote) at nesting depth 0. */
  readScript(closer: ')' | '`' | undefined): ShellScript {
    if (closer === undefined) return this.readCommands(undefined);
    if (this.nesting >= MAX_SHELL_NESTING) {
      throw new InputLimitError(`A RUN instruction nests command substitutions more than ${MAX_SHELL_NESTING} deep`, this.offset(this.position));
    }
    this.nesting++;
    try {
      return this.readCommands(closer);
    } finally {
      this.nesting--;
    }
  }

  private readCommands(closer: ')' | '`' | undefined): ShellScript {
    const pipelines: ShellPipeline[] = [];
    let commands: ShellCommand[] = [];
    let command = emptyCommand();
    let expectRedirectTarget: string | undefined;
    let depth = 0;
    const endCommand = (): void => {
      if (command.words.length > 0 || command.assignments.length > 0 || command.redirects.length > 0) commands.push(command);
      command = emptyCommand();
    };
    const endPipeline = (): void => {
      endCommand();
      if (commands.length > 0) pipelines.push({ commands });
      commands = [];
    };
    for (;;) {
      const token = this.nextToken(closer, depth);
      if (token === undefined) break;
      if (token.kind === 'word') {
        if (expectRedirectTarget !== undefined) {
          command.redirects.push({ operator: expectRedirectTarget, target: token.word });
          if (expectRedirectTarget.startsWith('<<') && expectRedirectTarget !== '<<<') {
            this.pendingHeredocs.push({ delimiter: token.word.value, stripTabs: expectRedirectTarget === '<<-' });
          }
          expectRedirectTarget = undefined;
          continue;
        }
        const value = token.word.value;
        const atStart = command.words.length === 0;
        if (atStart && !token.word.quoted && CLOSING_KEYWORDS.has(value)) {
          endPipeline();
          continue;
        }
        // `then curl …`, `! curl … | sh`: the keyword is dropped, the command it introduces stays in its pipeline.
        if (atStart && !token.word.quoted && LEADING_KEYWORDS.has(value) && command.assignments.length === 0) continue;
        if (atStart && isAssignment(token.word)) command.assignments.push(token.word);
        else command.words.push(token.word);
        continue;
      }
      expectRedirectTarget = undefined;
      switch (token.kind) {
        case 'redirect':
          expectRedirectTarget = token.operator;
          break;
        case 'pipe':
          endCommand();
          break;
        case 'list':
          endPipeline();
          if (token.operator === '\n') this.skipHeredocBodies();
          break;
        case 'open':
          depth++;
          endPipeline();
          break;
        case 'close':
          depth--;
          endPipeline();
          break;
      }
    }
    endPipeline();
    return { pipelines };
  }

  private nextToken(closer: ')' | '`' | undefined, depth: number): Token | undefined {
    this.skipBlanks();
    if (this.position >= this.text.length) return undefined;
    const ch = this.text[this.position] ?? '';
    if (closer === '`' && ch === '`') {
      this.position++;
      return undefined;
    }
    if (ch === ')') {
      if (closer === ')' && depth === 0) {
        this.position++;
        return undefined;
      }
      this.position++;
      return { kind: 'close' };
    }
    if (ch === '#') {
      while (this.position < this.text.length && this.text[this.position] !== '\n') this.position++;
      return this.nextToken(closer, depth);
    }
    if (ch === '(') {
      this.position++;
      return { kind: 'open' };
    }
    const redirect = this.matchOperator(REDIRECT_OPERATORS);
    // `<(` and `>(` are process substitutions, which are words.
    if (redirect !== undefined && !((redirect === '<' || redirect === '>') && this.text[this.position + 1] === '(')) {
      this.position += redirect.length;
      return { kind: 'redirect', operator: redirect };
    }
    const list = this.matchOperator(LIST_OPERATORS);
    if (list !== undefined) {
      this.position += list.length;
      return { kind: 'list', operator: list };
    }
    const pipe = this.matchOperator(PIPE_OPERATORS);
    if (pipe !== undefined) {
      this.position += pipe.length;
      return { kind: 'pipe' };
    }
    return this.readWord();
  }

  private matchOperator(operators: readonly string[]): string | undefined {
    return operators.find((operator) => this.text.startsWith(operator, this.position));
  }

  private skipBlanks(): void {
    for (;;) {
      const ch = this.text[this.position];
      if (ch === ' ' || ch === '\t' || ch === '\r') this.position++;
      else if (ch === '\\' && this.text[this.position + 1] === '\n') this.position += 2;
      else if (ch === '\\' && this.text[this.position + 1] === '\r' && this.text[this.position + 2] === '\n') this.position += 3;
      else return;
    }
  }

  /** After a newline, the bodies of heredocs opened on the line before are data, not commands. */
  private skipHeredocBodies(): void {
    for (const heredoc of this.pendingHeredocs) {
      while (this.position < this.text.length) {
        let end = this.text.indexOf('\n', this.position);
        if (end === -1) end = this.text.length;
        let line = this.text.slice(this.position, end).replace(/\r$/, '');
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        this.position = Math.min(end + 1, this.text.length);
        if (line === heredoc.delimiter) break;
      }
    }
    this.pendingHeredocs = [];
  }

  private readWord(): Token {
    const start = this.position;
    const word = new SourceBuilder();
    const substitutions: ShellScript[] = [];
    let quoted = false;
    /** Keeps `[from, to)` as written in the value, e.g. a substitution: one append per source segment. */
    const keep = (from: number, to: number): void => {
      for (let index = from; index < to; ) {
        const end = Math.min(to, this.segmentEnd(index));
        word.append(this.text.slice(index, end), this.offset(index));
        index = end;
      }
    };
    const take = (index: number): void => {
      if (index < this.text.length) word.append(this.text[index] ?? '', this.offset(index));
    };
    while (this.position < this.text.length) {
      const ch = this.text[this.position] ?? '';
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === ';' || ch === '|' || ch === ')' || ch === '&') break;
      if (ch === '\r' && this.text[this.position + 1] === '\n') break;
      if ((ch === '<' || ch === '>') && this.text[this.position + 1] === '(') {
        const from = this.position;
        this.position += 2;
        substitutions.push(this.readScript(')'));
        keep(from, this.position);
        continue;
      }
      if (ch === '<' || ch === '>') {
        // `2>&1`: digits right before a redirection are its file descriptor, not a word.
        if (/^\d+$/.test(word.value) && !quoted) return this.readWordAsRedirect();
        break;
      }
      if (ch === '(' && word.value !== '') {
        // `name()` function definitions and `=(…)` arrays: keep literally.
        keep(this.position, this.position + 1);
        this.position++;
        continue;
      }
      if (ch === '(') break;
      if (ch === '\\') {
        const next = this.text[this.position + 1];
        if (next === '\n') {
          this.position += 2;
          continue;
        }
        if (next === '\r' && this.text[this.position + 2] === '\n') {
          this.position += 3;
          continue;
        }
        quoted = true;
        if (next !== undefined) take(this.position + 1);
        this.position = Math.min(this.position + 2, this.text.length);
        continue;
      }
      if (ch === "'") {
        quoted = true;
        const close = this.text.indexOf("'", this.position + 1);
        const end = close === -1 ? this.text.length : close;
        keep(this.position + 1, end);
        this.position = Math.min(end + 1, this.text.length);
        continue;
      }
      if (ch === '"') {
        quoted = true;
        this.position++;
        this.readDoubleQuoted(take, keep, substitutions);
        continue;
      }
      if (ch === '$' && this.text[this.position + 1] === "'") {
        // ANSI-C quoting: escapes are kept as written, which is enough to read words.
        quoted = true;
        const close = this.text.indexOf("'", this.position + 2);
        const end = close === -1 ? this.text.length : close;
        keep(this.position + 2, end);
        this.position = Math.min(end + 1, this.text.length);
        continue;
      }
      if (ch === '$' || ch === '`') {
        if (this.readExpansion(keep, substitutions)) continue;
      }
      take(this.position);
      this.position++;
    }
    word.end(this.position > start ? this.offset(this.position - 1) + 1 : this.offset(this.position));
    const span = { start: this.offset(start), end: this.position > start ? this.offset(this.position - 1) + 1 : this.offset(start) };
    return { kind: 'word', word: { value: word.value, segments: word.segments, span, quoted, substitutions } };
  }

  private readWordAsRedirect(): Token {
    const operator = this.matchOperator(REDIRECT_OPERATORS) ?? '>';
    this.position += operator.length;
    return { kind: 'redirect', operator };
  }

  /** Inside `"…"`: `\` escapes only `$`, backquote, `"`, `\` and newline; expansions still happen. */
  private readDoubleQuoted(take: (index: number) => void, keep: (from: number, to: number) => void, substitutions: ShellScript[]): void {
    while (this.position < this.text.length) {
      const ch = this.text[this.position];
      if (ch === '"') {
        this.position++;
        return;
      }
      if (ch === '\\') {
        const next = this.text[this.position + 1];
        // A continuation inside quotes is removed too, with LF or CRLF, as outside them.
        if (next === '\n' || (next === '\r' && this.text[this.position + 2] === '\n')) {
          this.position += next === '\n' ? 2 : 3;
          continue;
        }
        if (next === '$' || next === '`' || next === '"' || next === '\\') {
          take(this.position + 1);
          this.position += 2;
          continue;
        }
      }
      if ((ch === '$' || ch === '`') && this.readExpansion(keep, substitutions)) continue;
      take(this.position);
      this.position++;
    }
  }

  /** `$(…)`, backquotes and `${…}`: kept as written; the scripts of substitutions are read too. */
  private readExpansion(keep: (from: number, to: number) => void, substitutions: ShellScript[]): boolean {
    const from = this.position;
    const ch = this.text[this.position];
    if (ch === '`') {
      this.position++;
      substitutions.push(this.readScript('`'));
      keep(from, this.position);
      return true;
    }
    const next = this.text[this.position + 1];
    if (next === '(') {
      this.position += 2;
      substitutions.push(this.readScript(')'));
      keep(from, this.position);
      return true;
    }
    if (next === '{') {
      const close = this.text.indexOf('}', this.position + 2);
      this.position = close === -1 ? this.text.length : close + 1;
      keep(from, this.position);
      return true;
    }
    return false;
  }
}

function emptyCommand(): ShellCommand {
  return { assignments: [], words: [], redirects: [] };
}

/** `NAME=value`, with an unquoted name. */
function isAssignment(word: ShellWord): boolean {
  const match = /^[A-Za-z_][A-Za-z0-9_]*\+?=/.exec(word.value);
  if (!match) return false;
  // The name and `=` must be written plainly: `"A=b"` is a command word.
  return wordOffset(word, match[0].length - 1) - word.span.start === match[0].length - 1;
}
