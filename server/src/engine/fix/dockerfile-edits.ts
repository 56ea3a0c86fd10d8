import type { OffsetEdit, Span } from '../types';
import type { DockerfileModel } from '../parse/dockerfile';
import { detectEol } from '../source/text';

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Each Dockerfile's line ending, counted once for all the fixes of its findings. */
const eols = new WeakMap<DockerfileModel, string>();

function eolOf(model: DockerfileModel): string {
  let eol = eols.get(model);
  if (eol === undefined) {
    eol = detectEol(model.text);
    eols.set(model, eol);
  }
  return eol;
}

/** Instruction-level edits on a Dockerfile, as minimal text replacements. */
export class DockerfileEditor {
  readonly edits: OffsetEdit[] = [];
  private readonly eol: string;
  private refusal: string | undefined;

  constructor(private readonly model: DockerfileModel) {
    this.eol = eolOf(model);
  }

  /** Why the fix cannot be made safely; the whole fix is then dropped. */
  get refused(): string | undefined {
    return this.refusal;
  }

  replace(span: Span, text: string): void {
    this.edits.push({ ...span, text });
  }

  /** Inserts a whole line after the 0-based line `line`, in the file's line-ending style. */
  insertLineAfter(line: number, text: string): void {
    const end = this.model.lines.lineEnd(line);
    this.edits.push({ start: end, end, text: this.eol + text });
  }

  /**
   * Removes shell words from `span.start` to `span.end` together with the blanks that follow
   * them (or, at the end of a line or quoted script, the blanks before them), so `curl -k -fsSL`
   * becomes `curl -fsSL`. Items of an exec-form JSON array go with their comma. Words alone on a
   * continuation line go with that line, so no blank continuation line is left behind.
   */
  removeWords(span: Span): void {
    const text = this.model.text;
    if (text[span.start] === '"' && this.removeJsonItems(span)) return;
    if (this.removeContinuationLine(span)) return;
    let end = span.end;
    while (isBlank(text[end])) end++;
    const next = text[end];
    const wordFollows = end > span.end && next !== undefined && next !== '\n' && next !== '\r' && next !== "'" && next !== '"';
    if (wordFollows) {
      this.edits.push({ start: span.start, end, text: '' });
      return;
    }
    let start = span.start;
    while (isBlank(text[start - 1])) start--;
    if (start === span.start) {
      this.refusal = 'the words are not separated by blanks';
      return;
    }
    this.edits.push({ start, end: span.end, text: '' });
  }

  /**
   * `span` is all a continuation line holds besides blanks (and its own escape character): the
   * line goes. When it was the instruction's last line, the escape character ending the line
   * above goes too, or the instruction would run on into the next line of the file.
   */
  private removeContinuationLine(span: Span): boolean {
    const { text, escapeChar } = this.model;
    const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
    if (lineStart === 0 || text.slice(lineStart, span.start).trim() !== '') return false;
    let lineEnd = text.indexOf('\n', span.end);
    if (lineEnd === -1) lineEnd = text.length;
    const rest = text.slice(span.end, lineEnd).replace(/\r$/, '').trim();
    if (rest === escapeChar) {
      this.edits.push({ start: lineStart, end: Math.min(lineEnd + 1, text.length), text: '' });
      return true;
    }
    if (rest !== '') return false;
    // The line above ends in the escape character (blanks around it allowed): cut from before it.
    const above = text.slice(0, lineStart).replace(/\r?\n$/, '');
    const escapeAt = above.trimEnd().length - 1;
    if (above[escapeAt] !== escapeChar) return false;
    let cut = escapeAt;
    while (isBlank(above[cut - 1])) cut--;
    this.edits.push({ start: cut, end: lineEnd > 0 && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd, text: '' });
    return true;
  }

  /** `["curl", "-k", "x"]` → `["curl", "x"]`; the only item of an array is refused. Returns whether `span` was a JSON item. */
  private removeJsonItems(span: Span): boolean {
    const text = this.model.text;
    let after = span.end;
    while (isBlank(text[after])) after++;
    if (text[after] === ',') {
      after++;
      while (isBlank(text[after])) after++;
      this.edits.push({ start: span.start, end: after, text: '' });
      return true;
    }
    if (text[after] !== ']') return false;
    let before = span.start;
    while (isBlank(text[before - 1])) before--;
    if (text[before - 1] === ',') this.edits.push({ start: before - 1, end: span.end, text: '' });
    else this.refusal = 'the only item of a JSON array cannot be removed';
    return true;
  }
}
