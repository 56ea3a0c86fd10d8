/**
 * Where the editor's "Ignore <id> for this line / file" writes its comment, so that the comment
 * covers exactly what the action says, judged by the same scopes the suppression resolver
 * applies (scopes.ts) and the same parsers the analysis uses.
 */
import type { Finding, OffsetEdit } from '../types';
import type { EngineConfig } from '../config';
import { detectFileKind } from '../file-kind';
import { detectEol, LineIndex, stripBom } from '../source/text';
import { splitYamlSections } from '../parse/yaml';
import { parseDockerfile, type DockerfileModel } from '../parse/dockerfile';
import { firstCodeLine } from './scopes';

export type IgnoreScope = 'line' | 'file';

export interface IgnoreCommentInput {
  /** As given to `analyze`: the path (or the language id) says YAML, JSON or Dockerfile. */
  path: string;
  languageId?: string;
  /** The text the finding's range points into. */
  text: string;
  config: EngineConfig;
  /**
   * The section cache of the analysis that found the finding (the language server keeps one per
   * document): a Dockerfile's instructions are then read from it, not parsed again. Only read.
   */
  cache?: ReadonlyMap<string, unknown>;
}

/**
 * The edit that inserts `# shipshape-ignore <id>` (scope `line`) or `# shipshape-ignore-file <id>`
 * (scope `file`) for a finding, in offsets of `input.text`; undefined where no comment can do
 * it: JSON has no comments, inline ignores may be turned off, and nothing can stand above a
 * Dockerfile's parser directives.
 */
export function ignoreCommentEdit(input: IgnoreCommentInput, finding: Pick<Finding, 'ruleId' | 'range'>, scope: IgnoreScope): OffsetEdit | undefined {
  const kind = detectFileKind(input.path, input.languageId);
  if (!kind || kind.isJson || !input.config.allowInlineIgnores) return undefined;
  const { text, hadBom } = stripBom(input.text);
  const lines = new LineIndex(text);
  const cache = input.cache;
  const dockerfile = kind.kind === 'dockerfile' ? parseDockerfile(text, cache && { get: (key) => cache.get(key), set: () => undefined }) : undefined;
  const edit =
    scope === 'file'
      ? fileComment(text, lines, dockerfile, finding.ruleId)
      : dockerfile
        ? dockerfileLineComment(text, lines, dockerfile, finding)
        : yamlLineComment(text, lines, finding);
  if (!edit || !hadBom) return edit;
  return { start: edit.start + 1, end: edit.end + 1, text: edit.text };
}

/** A comment on its own line above `line`, indented like it. */
function commentAbove(text: string, lines: LineIndex, line: number, comment: string): OffsetEdit {
  const start = lines.lineStart(line);
  const indent = /^[ \t]*/.exec(lines.lineText(line))?.[0] ?? '';
  return { start, end: start, text: `${indent}${comment}${detectEol(text)}` };
}

/**
 * Above the finding's line; but above a YAML document's first line a comment covers the whole
 * document (RULES.md), which is more than "this line", so there the comment trails the line.
 */
function yamlLineComment(text: string, lines: LineIndex, finding: Pick<Finding, 'ruleId' | 'range'>): OffsetEdit {
  const line = finding.range.start.line;
  const comment = `# shipshape-ignore ${finding.ruleId}`;
  const opensDocument = splitYamlSections(text).some((section) => firstCodeLine(lines.positionAt(section.start).line, lines) === line);
  if (!opensDocument) return commentAbove(text, lines, line, comment);
  const end = lines.lineEnd(line);
  return { start: end, end, text: ` ${comment}` };
}

/**
 * Above the instruction that holds the finding (a comment covers a whole instruction, its
 * continuation lines and heredocs included), as the parser reads it with its escape character.
 */
function dockerfileLineComment(text: string, lines: LineIndex, model: DockerfileModel, finding: Pick<Finding, 'ruleId' | 'range'>): OffsetEdit | undefined {
  const line = finding.range.start.line;
  if (line < directiveLineCount(model)) return undefined;
  const instruction = model.instructions.find((candidate) => {
    const range = candidate.getRange();
    return range.start.line <= line && line <= range.end.line;
  });
  return commentAbove(text, lines, instruction?.getRange().start.line ?? line, `# shipshape-ignore ${finding.ruleId}`);
}

/** At the top of the file, below a Dockerfile's parser directives (which must stay first). */
function fileComment(text: string, lines: LineIndex, model: DockerfileModel | undefined, ruleId: string): OffsetEdit {
  const line = model ? directiveLineCount(model) : 0;
  const start = line < lines.lineCount ? lines.lineStart(line) : text.length;
  const eol = detectEol(text);
  // Below a last line with no line break, the comment needs one before it instead of after.
  const atEnd = start === text.length && start > 0 && !/[\r\n]$/.test(text);
  return { start, end: start, text: `${atEnd ? eol : ''}# shipshape-ignore-file ${ruleId}${atEnd ? '' : eol}` };
}

/** How many lines at the top hold parser directives (`# syntax=`, `# escape=`). */
function directiveLineCount(model: DockerfileModel): number {
  return model.directives.reduce((count, directive) => Math.max(count, directive.getRange().end.line + 1), 0);
}
