import { Arg } from 'dockerfile-ast';
import type { OffsetEdit } from '../types';
import type { DockerfileModel, StageImage } from '../parse/dockerfile';
import type { ReferenceEdit } from '../images/eol';

/** A run of a FROM image as written: literal text, or a `$NAME` / `${NAME}` reference to a global ARG. */
interface Piece {
  /** Where it is written, as offsets into the file. */
  start: number;
  end: number;
  /** Where its text lands in the image after substitution. */
  resolvedStart: number;
  resolvedEnd: number;
  /** The ARG whose default supplies the text; undefined for literal text. */
  variable?: string;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Where edits to a FROM image, given as offsets into the image after ARG substitution, fall in the
 * file: in the FROM line itself, or in the default of the global ARG that supplies that part of
 * the image (`ARG NODE_VERSION=16` for `FROM node:${NODE_VERSION}-alpine`), since the FROM line
 * keeps working for every value of it. Undefined when an edit would straddle text from two places,
 * or the image uses substitution forms (`${NAME:-default}`), escapes or an ARG default written with
 * variables or escapes.
 */
export function fromImageEdits(dockerfile: DockerfileModel, image: StageImage, edits: readonly ReferenceEdit[]): OffsetEdit[] | undefined {
  const pieces = piecesOf(dockerfile, image);
  if (!pieces) return undefined;
  const result: OffsetEdit[] = [];
  for (const edit of edits) {
    const piece = pieces.find((p) => p.resolvedStart <= edit.start && edit.end <= p.resolvedEnd && p.resolvedEnd > p.resolvedStart);
    if (!piece) return undefined;
    const start = piece.variable === undefined ? piece.start + (edit.start - piece.resolvedStart) : argDefaultStart(dockerfile, piece.variable);
    if (start === undefined) return undefined;
    const shift = piece.variable === undefined ? 0 : edit.start - piece.resolvedStart;
    result.push({ start: start + shift, end: start + shift + (edit.end - edit.start), text: edit.text });
  }
  return result;
}

function piecesOf(dockerfile: DockerfileModel, image: StageImage): Piece[] | undefined {
  const { written, span } = image;
  // The span must hold the image as written: no line continuation inside it, no escapes.
  if (dockerfile.text.slice(span.start, span.end) !== written || written.includes('\\')) return undefined;
  const pieces: Piece[] = [];
  let resolved = 0;
  let last = 0;
  const literal = (from: number, to: number): void => {
    if (to <= from) return;
    pieces.push({ start: span.start + from, end: span.start + to, resolvedStart: resolved, resolvedEnd: resolved + (to - from) });
    resolved += to - from;
  };
  for (const match of written.matchAll(REFERENCE)) {
    const name = match[1] ?? match[2] ?? '';
    const value = dockerfile.globalArgs.get(name);
    if (value === undefined) return undefined;
    literal(last, match.index);
    pieces.push({ start: span.start + match.index, end: span.start + match.index + match[0].length, resolvedStart: resolved, resolvedEnd: resolved + value.length, variable: name });
    resolved += value.length;
    last = match.index + match[0].length;
  }
  literal(last, written.length);
  // Anything left with a `$` is a form this mapping does not follow (`${NAME:-default}`).
  if (pieces.some((piece) => piece.variable === undefined && dockerfile.text.slice(piece.start, piece.end).includes('$'))) return undefined;
  return pieces;
}

/** Where the default of global ARG `name` starts in the file, when it is written as its plain value. */
function argDefaultStart(dockerfile: DockerfileModel, name: string): number | undefined {
  const value = dockerfile.globalArgs.get(name);
  if (value === undefined) return undefined;
  // The last declaration with a value is the one in effect; a bare `ARG NAME` keeps it.
  const property = dockerfile.preamble
    .flatMap((instruction) => (instruction instanceof Arg ? instruction.getProperties() : []))
    .filter((candidate) => candidate.getName() === name && candidate.getValue() !== null)
    .pop();
  const range = property?.getValueRange();
  if (!range) return undefined;
  const { start, end } = dockerfile.spanOf(range);
  const source = dockerfile.text.slice(start, end);
  if (source === value) return start;
  if (source === `"${value}"` || source === `'${value}'`) return start + 1;
  return undefined;
}
