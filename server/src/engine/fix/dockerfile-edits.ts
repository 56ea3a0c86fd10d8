import type { OffsetEdit, Span } from '../types';
import type { DockerfileModel } from '../parse/dockerfile';
import { detectEol } from '../source/text';

/** Instruction-level edits on a Dockerfile, as minimal text replacements. */
export class DockerfileEditor {
  readonly edits: OffsetEdit[] = [];
  private readonly eol: string;

  constructor(private readonly model: DockerfileModel) {
    this.eol = detectEol(model.text);
  }

  get refused(): string | undefined {
    return undefined;
  }

  replace(span: Span, text: string): void {
    this.edits.push({ ...span, text });
  }

  /** Inserts a whole line after the 0-based line `line`, in the file's line-ending style. */
  insertLineAfter(line: number, text: string): void {
    const end = this.model.lines.lineEnd(line);
    this.edits.push({ start: end, end, text: this.eol + text });
  }
}
