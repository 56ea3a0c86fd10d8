/**
 * Parsing a Dockerfile a few instructions at a time, so that a keystroke re-parses only the
 * instructions it touched: dockerfile-ast re-reads a whole file per call, which is most of the
 * cost of analysing one. The file is cut into chunks at lines where an instruction must start,
 * each chunk is parsed on its own at its place in the file, and chunks are kept by their text
 * between analyses of a document (the language server's per-document cache).
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { Instruction, ParserDirective } from 'dockerfile-ast';
import type { LineIndex } from '../source/text';
import type { ShellScript } from '../shell/parse';

/** RUN scripts read from one instruction's text, kept between analyses of a document. */
export interface CachedRunScripts {
  kind: 'run-scripts';
  /** Where the instruction started when the scripts were read: their offsets point into that text. */
  start: number;
  scripts: ShellScript[];
}

/** The instructions of one chunk, parsed at its line in the file. */
export interface CachedChunk {
  kind: 'dockerfile-chunk';
  instructions: Instruction[];
  /** Parser directives (`# escape=`, `# syntax=`): only the chunk at the top of the file has them. */
  directives: ParserDirective[];
  /** The chunk's last instruction ends within it; otherwise it runs on into the next chunk (a heredoc). */
  complete: boolean;
}

export type DockerfileCacheEntry = CachedRunScripts | CachedChunk;

/**
 * What the Dockerfile parser keeps between analyses of one document, by text. It may hold other
 * entries too (the language server keeps one cache per document), which the parser skips.
 */
export interface DockerfileCache {
  get(key: string): unknown;
  set(key: string, entry: DockerfileCacheEntry): unknown;
}

export function isDockerfileCacheEntry(value: unknown): value is DockerfileCacheEntry {
  return typeof value === 'object' && value !== null && 'kind' in value && (value.kind === 'run-scripts' || value.kind === 'dockerfile-chunk');
}

/**
 * A cache key: the NUL byte keeps Dockerfile keys apart from YAML section texts, since the engine
 * never analyses a text that holds one.
 */
export function dockerfileCacheKey(kind: string, escapeChar: string, text: string): string {
  return `\u0000${kind}${escapeChar}\u0000${text}`;
}

export interface ParsedInstructions {
  instructions: Instruction[];
  directives: ParserDirective[];
  escapeChar: string;
}

/**
 * A line after every chunk but the last, which parses as an instruction of its own only when
 * the chunk's last instruction has ended: a heredoc still open, or a continuation, swallows it.
 */
const CHUNK_END = 'SHIPSHAPE_CHUNK_END';

/** The smallest chunk: below it, parsing the padding costs more than the lines it saves. */
const MIN_CHUNK_LINES = 16;

/**
 * The file's instructions and directives, parsed chunk by chunk through the cache; undefined for
 * a file whose lines dockerfile-ast counts differently from a plain split at `\n` (a lone CR).
 */
export function parseInChunks(text: string, lines: LineIndex, cache: DockerfileCache): ParsedInstructions | undefined {
  if (/\r(?!\n)/.test(text)) return undefined;
  const lineCount = lines.lineCount;
  const lineStart = (line: number): number => (line >= lineCount ? text.length : lines.offsetAt({ line, character: 0 }));
  const isCode = (line: number): boolean => /^[ \t]*[^\s#]/.test(lines.lineText(line));
  let header = 0;
  while (header < lineCount && !isCode(header)) header++;
  // Parser directives live in the comment lines above the first instruction.
  const escapeChar = header === 0 ? '\\' : escapeCharOf(text.slice(0, lineStart(header)));
  const continues = (line: number): boolean => lines.lineText(line).trimEnd().endsWith(escapeChar);
  // An instruction starts at a code line right below a code line that does not continue; comment
  // and empty lines may sit inside a continued instruction, so no cut is made after them.
  const startsInstruction = (line: number): boolean => isCode(line) && isCode(line - 1) && !continues(line - 1);
  // Each chunk is parsed with empty lines above it, so many small chunks cost more than one parse
  // of the file: chunks of about √lines lines balance a keystroke's re-parse against that. Cuts
  // are made at the first instruction after each multiple of the size, so an edit moves no cut
  // but those around it; the size is a power of two, so it rarely changes as lines are added.
  const chunkLines = Math.max(MIN_CHUNK_LINES, 2 ** Math.ceil(Math.log2(Math.sqrt(lineCount))));
  const starts = [0];
  for (let from = Math.max(chunkLines, header); from < lineCount; from += chunkLines) {
    let line = Math.max(from, (starts[starts.length - 1] ?? 0) + 1);
    while (line < lineCount && !startsInstruction(line)) line++;
    if (line >= lineCount) break;
    starts.push(line);
    from = line - (line % chunkLines);
  }
  const instructions: Instruction[] = [];
  let directives: ParserDirective[] = [];
  for (let first = 0; first < starts.length; ) {
    let end = first + 1;
    for (;;) {
      const startLine = starts[first] ?? 0;
      const endLine = starts[end];
      const chunk = readChunk(text.slice(lineStart(startLine), endLine === undefined ? text.length : lineStart(endLine)), startLine, endLine, escapeChar, cache);
      if (chunk.complete || endLine === undefined) {
        instructions.push(...chunk.instructions);
        if (first === 0) directives = chunk.directives;
        break;
      }
      // Doubling the chunks taken keeps a long heredoc from being re-parsed once per line.
      end = Math.min(starts.length, end + (end - first));
    }
    first = end;
  }
  return { instructions, directives, escapeChar };
}

/** The escape character the comment lines above the first instruction set; the last answer is kept. */
function escapeCharOf(header: string): string {
  if (lastHeader?.text !== header) lastHeader = { text: header, escapeChar: DockerfileParser.parse(header).getEscapeCharacter() };
  return lastHeader.escapeChar;
}

let lastHeader: { text: string; escapeChar: string } | undefined;

/** One chunk from the cache, or parsed at its line (padded with empty lines) with the file's escape character. */
function readChunk(chunkText: string, startLine: number, endLine: number | undefined, escapeChar: string, cache: DockerfileCache): CachedChunk {
  const key = dockerfileCacheKey(`CHUNK${startLine}:`, escapeChar, chunkText);
  const cached = cache.get(key);
  if (isDockerfileCacheEntry(cached) && cached.kind === 'dockerfile-chunk') return cached;
  let padding = '';
  if (startLine > 0) padding = escapeChar === '\\' ? '\n'.repeat(startLine) : `#escape=${escapeChar}${'\n'.repeat(startLine)}`;
  const parsed = DockerfileParser.parse(padding + chunkText + (endLine === undefined ? '' : CHUNK_END));
  const instructions = parsed.getInstructions();
  let complete = true;
  if (endLine !== undefined) {
    const last = instructions[instructions.length - 1];
    const start = last?.getRange().start;
    complete = last !== undefined && last.getKeyword() === CHUNK_END && start?.line === endLine && start.character === 0;
    if (complete) instructions.pop();
  }
  const chunk: CachedChunk = { kind: 'dockerfile-chunk', instructions, directives: startLine === 0 ? parsed.getDirectives() : [], complete };
  cache.set(key, chunk);
  return chunk;
}
