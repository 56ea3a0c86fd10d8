import { Add, Arg, Copy, DockerfileParser, Env, From, JSONInstruction, Run } from 'dockerfile-ast';
import type { Flag, Instruction, ParserDirective } from 'dockerfile-ast';
import type { Range, Span } from '../types';
import { InputLimitError, MAX_EXPANDED_VALUE } from '../limits';
import { LineIndex } from '../source/text';
import { parseShell, shiftScript, sourceAt, SourceBuilder, type ShellScript, type ShellSource, type ShellWord, type SourceSegment } from '../shell/parse';
import { invocationOf, isShellName, shellScriptWord } from '../shell/commands';
import { dockerfileCacheKey, isDockerfileCacheEntry, parseInChunks, type DockerfileCache, type ParsedInstructions } from './dockerfile-chunks';

/** The image a FROM names, as written and with the global ARGs filled in. */
export interface StageImage {
  /** The image argument as written (`${BASE:-alpine:3.20}`). */
  written: string;
  span: Span;
  /** After substituting the global ARGs' defaults; undefined when an ARG has no default. */
  resolved: string | undefined;
  /** Whether the written image refers to ARGs at all. */
  usesArgs: boolean;
}

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface DockerStage {
  index: number;
  /** `AS name`, lower-cased as BuildKit compares stage names. */
  name?: string;
  from: From;
  /** The `FROM` keyword: where findings about the stage as a whole point. */
  keywordSpan: Span;
  image?: StageImage;
  /** The earlier stage this one is built `FROM`, whose USER, ENV and HEALTHCHECK it inherits. */
  parent?: DockerStage;
  /** `--platform` as written. */
  platform?: string;
  instructions: Instruction[];
}

/** A parsed Dockerfile with its stages resolved once for every rule. */
export interface DockerfileModel {
  text: string;
  /**
   * Every instruction, in order. With a cache they come from parses of parts of the file, so
   * dockerfile-ast's own file-wide lookups (`getVariables`, `getExpandedArguments`) see only
   * part of it: resolve variables with `expandAt`.
   */
  instructions: Instruction[];
  /** Parser directives (`# escape=`, `# syntax=`). */
  directives: ParserDirective[];
  lines: LineIndex;
  /** The escape character (`\`, or a backquote after `# escape=`). */
  escapeChar: string;
  /** Instructions before the first FROM (global ARGs). */
  preamble: Instruction[];
  /** Global ARGs (declared before the first FROM) and their defaults (undefined: no default). */
  globalArgs: ReadonlyMap<string, string | undefined>;
  stages: DockerStage[];
  /** The last stage: what `docker build` produces without `--target`. */
  finalStage?: DockerStage;
  /**
   * The final stage and the stages it is built FROM, final first: USER, HEALTHCHECK, EXPOSE,
   * ENV and ARG rules look here, since a stage inherits them from its parent stage.
   */
  finalScope: DockerStage[];
  /** Offsets of a dockerfile-ast range. */
  spanOf(range: Range): Span;
  /** The stage an instruction belongs to; undefined for one before the first FROM. */
  stageOf(instruction: Instruction): DockerStage | undefined;
  /** The stage a `COPY --from` or `FROM` reference names (a name, case-insensitive, or an index), declared before `beforeIndex`. */
  stageNamed(reference: string, beforeIndex: number): DockerStage | undefined;
  /**
   * `text` with the variables visible to `instruction` substituted (the stage's ARGs and ENVs
   * before it, ENVs of parent stages); undefined when a variable has no known value.
   */
  expandAt(stage: DockerStage, instruction: Instruction, text: string): string | undefined;
  /** The shell scripts a RUN runs (command line, `sh -c` in exec form, heredoc bodies run by a shell). */
  runScripts(run: Run): ShellScript[];
}

/**
 * Parses a Dockerfile. With a cache (kept per document between analyses), only the instructions
 * whose text changed are parsed again, and only the RUN scripts whose text changed are read again.
 */
export function parseDockerfile(text: string, cache?: DockerfileCache): DockerfileModel {
  if (!cache) return buildModel(text, undefined);
  if (lastParsed?.text === text) return lastParsed;
  lastParsed = buildModel(text, cache);
  return lastParsed;
}

/**
 * The model of the last text parsed with a cache (an open document's). A keystroke's text is read
 * twice, for the workspace facts the Dockerfile contributes and then for the rules; the model is
 * only read (its lazily filled memos aside), so both share it. The RUN scripts it reads go to the
 * cache it was parsed with.
 */
let lastParsed: DockerfileModel | undefined;

function buildModel(text: string, cache: DockerfileCache | undefined): DockerfileModel {
  const lines = new LineIndex(text);
  const { instructions, directives, escapeChar } = (cache && parseInChunks(text, lines, cache)) || parseWhole(text);
  const spanOf = (range: Range): Span => ({ start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) });
  const preamble: Instruction[] = [];
  const stages: DockerStage[] = [];
  const globalArgs = new Map<string, string | undefined>();
  for (const instruction of instructions) {
    if (instruction instanceof From) {
      stages.push(newStage(instruction, stages, globalArgs, spanOf));
      continue;
    }
    const current = stages[stages.length - 1];
    if (current) current.instructions.push(instruction);
    else {
      preamble.push(instruction);
      if (instruction instanceof Arg) {
        for (const [name, value] of argDefinitions(instruction, globalArgs, (variable) => globalArgs.get(variable))) globalArgs.set(name, value);
      }
    }
  }
  const finalStage = stages[stages.length - 1];
  const finalScope = stageScope(finalStage);
  const runCache = new Map<Run, ShellScript[]>();
  let stageByInstruction: Map<Instruction, DockerStage> | undefined;
  return {
    text,
    instructions,
    directives,
    lines,
    escapeChar,
    preamble,
    globalArgs,
    stages,
    ...(finalStage ? { finalStage } : {}),
    finalScope,
    spanOf,
    stageOf(instruction) {
      stageByInstruction ??= new Map(stages.flatMap((stage) => stage.instructions.map((member) => [member, stage] as const)));
      return stageByInstruction.get(instruction);
    },
    stageNamed: (reference, beforeIndex) => findStage(stages, reference, beforeIndex),
    // Every reference starts with `$`: without one there is nothing to look up.
    expandAt: (stage, instruction, value) => (value.includes('$') ? expandVariables(value, stageVariables(stage, instruction, globalArgs, lines)) : value),
    runScripts(run) {
      let scripts = runCache.get(run);
      if (!scripts) {
        scripts = cachedRunScripts(run, text, lines, escapeChar, spanOf, cache);
        runCache.set(run, scripts);
      }
      return scripts;
    },
  };
}

function parseWhole(text: string): ParsedInstructions {
  const ast = DockerfileParser.parse(text);
  return { instructions: ast.getInstructions(), directives: ast.getDirectives(), escapeChar: ast.getEscapeCharacter() };
}

/** What a stage takes from its FROM, as dockerfile-ast reads it. */
interface FromParts {
  name: string | undefined;
  written: string | null;
  imageRange: Range | null;
  platform: string | undefined;
}

/**
 * `read`, run once per instruction: dockerfile-ast re-reads an instruction's arguments on every
 * call, and instructions of unchanged chunks are shared between analyses (parse/dockerfile-chunks.ts)
 * with their line-based ranges still valid. What `read` returns must hold no offsets, which change.
 */
export function readOncePerInstruction<I extends Instruction, Rest extends unknown[], T extends object>(
  read: (instruction: I, ...rest: Rest) => T,
): (instruction: I, ...rest: Rest) => T {
  const cache = new WeakMap<I, T>();
  return (instruction, ...rest) => {
    let value = cache.get(instruction);
    if (value === undefined) {
      value = read(instruction, ...rest);
      cache.set(instruction, value);
    }
    return value;
  };
}

const fromParts = readOncePerInstruction(
  (from: From): FromParts => ({ name: from.getBuildStage()?.toLowerCase(), written: from.getImage(), imageRange: from.getImageRange(), platform: from.getPlatformFlag()?.getValue() ?? undefined }),
);

function newStage(from: From, earlier: DockerStage[], globalArgs: ReadonlyMap<string, string | undefined>, spanOf: (range: Range) => Span): DockerStage {
  const { name, written, imageRange, platform } = fromParts(from);
  let image: StageImage | undefined;
  let parent: DockerStage | undefined;
  if (imageRange && written) {
    const usesArgs = written.includes('$');
    const resolved = expandVariables(written, (variable) => globalArgs.get(variable));
    image = { written, span: spanOf(imageRange), resolved, usesArgs };
    // BuildKit resolves a FROM name against earlier stages first, case-insensitively.
    if (resolved !== undefined) parent = findStage(earlier, resolved, earlier.length, false);
  }
  return {
    index: earlier.length,
    ...(name ? { name } : {}),
    from,
    keywordSpan: spanOf(from.getInstructionRange()),
    ...(image ? { image } : {}),
    ...(parent ? { parent } : {}),
    ...(platform ? { platform } : {}),
    instructions: [],
  };
}

function findStage(stages: readonly DockerStage[], reference: string, beforeIndex: number, allowIndex = true): DockerStage | undefined {
  const lower = reference.toLowerCase();
  const candidates = stages.slice(0, beforeIndex);
  const named = candidates.find((stage) => stage.name === lower);
  if (named) return named;
  if (allowIndex && /^\d+$/.test(reference)) return candidates[Number(reference)];
  return undefined;
}

/**
 * The names an ARG declares and their defaults; a bare `ARG NAME` after a global one takes the
 * global default. A default is stored as BuildKit stores it, with the variables known so far
 * (`known`) substituted: `ARG B=$A-x` is undefined when A has no value, since the build decides.
 */
function argDefinitions(arg: Arg, globalArgs: ReadonlyMap<string, string | undefined>, known: VariableLookup): Array<[string, string | undefined]> {
  return arg.getProperties().map((property) => {
    const name = property.getName();
    const value = property.getValue();
    return [name, value === null ? globalArgs.get(name) : expandVariables(value, known)];
  });
}

type VariableLookup = (name: string) => string | undefined;

function stageVariables(stage: DockerStage, instruction: Instruction, globalArgs: ReadonlyMap<string, string | undefined>, lines: LineIndex): VariableLookup {
  const values = new Map<string, string | undefined>();
  const chain: DockerStage[] = [];
  for (let current: DockerStage | undefined = stage; current && !chain.includes(current); current = current.parent) chain.unshift(current);
  const before = lines.offsetAt(instruction.getRange().start);
  for (const current of chain) {
    for (const candidate of current.instructions) {
      if (current === stage && lines.offsetAt(candidate.getRange().start) >= before) break;
      // ARGs do not cross stages; ENVs are part of the image and do.
      const known: VariableLookup = (name) => values.get(name);
      if (candidate instanceof Arg && current === stage) for (const [name, value] of argDefinitions(candidate, globalArgs, known)) values.set(name, value);
      // An ENV value that names a variable this file does not define (`$PATH` of the base image)
      // keeps its text, as before; the ones it defines are substituted.
      if (candidate instanceof Env) for (const property of candidate.getProperties()) {
        const raw = property.getValue() ?? '';
        values.set(property.getName(), expandVariables(raw, known) ?? raw);
      }
    }
  }
  return (name) => values.get(name);
}

/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
 * `${NAME+alt}` as BuildKit does; undefined when a variable has no known value.
 */
function expandVariables(text: string, lookup: VariableLookup): string | undefined {
  if (!text.includes('$')) return text;
  let unresolved = false;
  // Each value is stored expanded, so `ARG B=$A$A`, `ARG C=$B$B`… doubles at every step: bounded.
  let length = text.length;
  const bounded = (value: string): string => {
    length += value.length;
    if (length > MAX_EXPANDED_VALUE) throw new InputLimitError(`ARG and ENV values expand to more than ${MAX_EXPANDED_VALUE / 1024} KiB`);
    return value;
  };
  const result = text.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, operator?: string, word?: string, plain?: string) => {
    if (whole === '\\$') return '$';
    const name = braced ?? plain ?? '';
    const value = lookup(name);
    const isSet = value !== undefined && (operator?.startsWith(':') ? value !== '' : true);
    if (operator?.endsWith('-')) return bounded(isSet ? (value ?? '') : (word ?? ''));
    if (operator?.endsWith('+')) return bounded(isSet ? (word ?? '') : '');
    if (value === undefined) unresolved = true;
    return bounded(value ?? '');
  });
  return unresolved ? undefined : result;
}

/** Flags of an instruction (`--chmod`, `--from`, `--checksum`), when it has any. */
export function flagsOf(instruction: Instruction): Flag[] {
  return instruction instanceof Copy || instruction instanceof Add || instruction instanceof Run || instruction instanceof From ? instruction.getFlags() : [];
}

export interface CopySource {
  value: string;
  span: Span;
}

/** A source as read from its instruction: the same wherever the instruction's chunk now sits. */
interface ReadSource {
  value: string;
  range: Range;
}

/** Sources of a COPY or ADD (every argument but the destination), shell or exec form, quotes removed. */
export function copySources(instruction: Copy | Add, dockerfile: DockerfileModel): readonly CopySource[] {
  // Several rules ask for the same sources; their offsets are taken once per model.
  const placed = placedCopySources.get(instruction);
  if (placed?.model === dockerfile) return placed.sources;
  const sources = readCopySources(instruction, dockerfile).map(({ value, range }) => ({ value, span: dockerfile.spanOf(range) }));
  placedCopySources.set(instruction, { model: dockerfile, sources });
  return sources;
}

/** Sources with their offsets in the model that last asked (an instruction outlives its model when its chunk is unchanged). */
const placedCopySources = new WeakMap<Copy | Add, { model: DockerfileModel; sources: readonly CopySource[] }>();

const readCopySources = readOncePerInstruction((instruction: Copy | Add, dockerfile: DockerfileModel): ReadSource[] => {
  const args = isExecForm(instruction)
    ? instruction.getJSONStrings().map((arg) => {
        const range = arg.getRange();
        return { value: decodeJsonString(dockerfile.text, dockerfile.spanOf(range)).value, range };
      })
    : instruction.getArguments().map((arg) => ({ value: unquote(arg.getValue()), range: arg.getRange() }));
  // Heredoc sources (`COPY <<EOF /file`) are inline text, not files from the context.
  if (args.some((arg) => arg.value.startsWith('<<'))) return [];
  return args.slice(0, -1);
});

/** `"/src/app.tar.gz"` → `/src/app.tar.gz`: BuildKit removes the quotes of a shell-form path (and of a USER). */
function unquote(value: string): string {
  const quote = value[0];
  return value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote) ? value.slice(1, -1) : value;
}

/** A RUN's scripts from the cross-analysis cache, moved to where the instruction now starts. */
function cachedRunScripts(run: Run, text: string, lines: LineIndex, escapeChar: string, spanOf: (range: Range) => Span, cache: DockerfileCache | undefined): ShellScript[] {
  if (!cache) return readRunScripts(run, text, lines, escapeChar, spanOf);
  const span = spanOf(run.getRange());
  // The scripts depend only on the instruction's own text (heredoc bodies included) and the escape character.
  const key = dockerfileCacheKey('RUN', escapeChar, text.slice(span.start, span.end));
  const cached = cache.get(key);
  if (isDockerfileCacheEntry(cached) && cached.kind === 'run-scripts') {
    if (cached.start === span.start) return cached.scripts;
    const scripts = cached.scripts.map((script) => shiftScript(script, span.start - cached.start));
    cache.set(key, { kind: 'run-scripts', start: span.start, scripts });
    return scripts;
  }
  const scripts = readRunScripts(run, text, lines, escapeChar, spanOf);
  cache.set(key, { kind: 'run-scripts', start: span.start, scripts });
  return scripts;
}

function readRunScripts(run: Run, text: string, lines: LineIndex, escapeChar: string, spanOf: (range: Range) => Span): ShellScript[] {
  if (isExecForm(run)) return [execFormScript(run, text, spanOf)];
  const first = run.getArguments()[0];
  if (!first) return [];
  const start = spanOf(first.getRange()).start;
  const heredocs = run.getHeredocs();
  const firstBody = heredocs[0]?.getContentRange() ?? heredocs[0]?.getDelimiterRange();
  // The command line ends where the first heredoc's body begins; bodies are read on their own.
  const end = firstBody ? lines.lineEnd(firstBody.start.line - 1) : spanOf(run.getRange()).end;
  const command = parseShell(joinContinuations(text, start, Math.max(start, end), escapeChar));
  const scripts: ShellScript[] = [command];
  const heredocCommands = command.pipelines.flatMap((pipeline) =>
    pipeline.commands.flatMap((cmd) => cmd.redirects.filter((r) => r.operator === '<<' || r.operator === '<<-').map(() => cmd)),
  );
  heredocs.forEach((heredoc, index) => {
    const content = heredoc.getContentRange();
    if (!content) return;
    const span = spanOf(content);
    const body = text.slice(span.start, span.end);
    const owner = heredocCommands[index];
    const invocation = owner ? invocationOf(owner) : undefined;
    // `RUN <<EOF` runs the body with the default shell (or its shebang); `RUN bash <<EOF` feeds it to bash.
    const runsBody = invocation === undefined ? !/^#!(?!.*\b(?:ba|da|z|k|a)?sh\b)/.test(body) : isShellName(invocation.name) && !shellScriptWord(invocation);
    if (runsBody) scripts.push(parseShell(sourceAt(body, span.start)));
  });
  return scripts;
}

function isExecForm(instruction: JSONInstruction): boolean {
  return instruction.getOpeningBracket() !== null && instruction.getClosingBracket() !== null && instruction.getJSONStrings().length > 0;
}

/** Exec form runs its argv directly: one command whose words are the JSON strings. */
function execFormScript(run: Run, text: string, spanOf: (range: Range) => Span): ShellScript {
  const words: ShellWord[] = run.getJSONStrings().map((arg) => {
    const span = spanOf(arg.getRange());
    const { value, segments } = decodeJsonString(text, span);
    return { value, segments, span, quoted: true, substitutions: [] };
  });
  return { pipelines: [{ commands: [{ assignments: [], words, redirects: [] }] }] };
}

const JSON_ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"' };

/** A JSON string literal at `span` (quotes included), with where each decoded character sits in the file. */
function decodeJsonString(text: string, span: Span): { value: string; segments: SourceSegment[] } {
  const decoded = new SourceBuilder();
  for (let i = span.start + 1; i < span.end - 1; i++) {
    const ch = text[i] ?? '';
    if (ch !== '\\') {
      decoded.append(ch, i);
      continue;
    }
    // An escaped character maps to the last character of its escape sequence, so a word that
    // ends with one (`\"x\"`) still ends where it is written.
    const next = text[i + 1] ?? '';
    const from = i;
    let value: string;
    if (next === 'u') {
      value = String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16) || 0);
      i += 5;
    } else {
      value = JSON_ESCAPES[next] ?? next;
      i++;
    }
    decoded.append(value, Math.max(from, i));
  }
  decoded.end(span.end - 1);
  return { value: decoded.value, segments: decoded.segments };
}

/**
 * The command line as the shell receives it: Dockerfile line continuations (the escape character
 * at a line's end) removed, and the comment and empty lines inside a continued instruction
 * dropped, as BuildKit does; the text between continuations keeps its place in the file.
 */
function joinContinuations(text: string, start: number, end: number, escapeChar: string): ShellSource {
  const joined = new SourceBuilder();
  let runStart = start;
  let i = text.indexOf(escapeChar, start);
  while (i !== -1 && i < end) {
    let j = i + 1;
    while (text[j] === ' ' || text[j] === '\t') j++;
    const lineBreak = text[j] === '\r' && text[j + 1] === '\n' ? 2 : text[j] === '\n' ? 1 : 0;
    if (lineBreak > 0 && j < end) {
      if (i > runStart) joined.append(text.slice(runStart, i), runStart);
      runStart = skipCommentLines(text, j + lineBreak, end);
      i = text.indexOf(escapeChar, runStart);
    } else {
      i = text.indexOf(escapeChar, i + 1);
    }
  }
  if (end > runStart) joined.append(text.slice(runStart, end), runStart);
  joined.end(end);
  return { text: joined.value, segments: joined.segments };
}

function skipCommentLines(text: string, from: number, end: number): number {
  let i = from;
  for (;;) {
    let j = i;
    while (text[j] === ' ' || text[j] === '\t') j++;
    if (j < end && (text[j] === '#' || text[j] === '\n' || text[j] === '\r')) {
      const lineEnd = text.indexOf('\n', j);
      if (lineEnd === -1 || lineEnd >= end) return i;
      i = lineEnd + 1;
      continue;
    }
    return i;
  }
}

/** The USER the final image runs as. */
export interface EffectiveUser {
  stage: DockerStage;
  instruction: Instruction;
  /** The argument as written; undefined for a `USER` without one. */
  argument?: {
    span: Span;
    /** `user[:group]`, variables substituted and quotes removed; undefined when a variable has no known value. */
    user: string | undefined;
    /** The user part of `user`: a name or a UID. */
    name: string | undefined;
  };
}

/** A stage and the stages it is built FROM, nearest first: where its USER, ENV and HEALTHCHECK come from. */
export function stageScope(stage: DockerStage | undefined): DockerStage[] {
  const scope: DockerStage[] = [];
  for (let current = stage; current && !scope.includes(current); current = current.parent) scope.push(current);
  return scope;
}

/**
 * The last USER of a stage (the final one unless told: a build's `target`), or of the stages it
 * is built FROM, nearest first.
 */
export function effectiveUser(model: DockerfileModel, target?: DockerStage): EffectiveUser | undefined {
  for (const stage of target ? stageScope(target) : model.finalScope) {
    const users = stage.instructions.filter((instruction) => instruction.getKeyword() === 'USER');
    const last = users[users.length - 1];
    if (!last) continue;
    const argument = last.getArguments()[0];
    if (!argument) return { stage, instruction: last };
    const expanded = model.expandAt(stage, last, argument.getValue());
    const user = expanded === undefined ? undefined : unquote(expanded);
    return { stage, instruction: last, argument: { span: model.spanOf(argument.getRange()), user, name: user === undefined ? undefined : (user.split(':')[0] ?? '') } };
  }
  return undefined;
}

/**
 * Every RUN of every stage, and any before the first FROM: Docker refuses those, but snippets
 * (and linters' test cases) often leave the FROM out, and what the RUN does is no safer for it.
 */
export function allRuns(model: DockerfileModel): readonly Run[] {
  return instructionsOf(model).runs;
}

/** Every COPY and ADD, in stages or before the first FROM (see `allRuns`). */
export function allCopies(model: DockerfileModel): ReadonlyArray<Copy | Add> {
  return instructionsOf(model).copies;
}

/** By model: several rules ask at each keystroke, and a model is never modified. */
const instructionsByModel = new WeakMap<DockerfileModel, { runs: readonly Run[]; copies: ReadonlyArray<Copy | Add> }>();

function instructionsOf(model: DockerfileModel): { runs: readonly Run[]; copies: ReadonlyArray<Copy | Add> } {
  let found = instructionsByModel.get(model);
  if (!found) {
    found = {
      runs: model.instructions.filter((i): i is Run => i instanceof Run),
      copies: model.instructions.filter((i): i is Copy | Add => i instanceof Copy || i instanceof Add),
    };
    instructionsByModel.set(model, found);
  }
  return found;
}
