import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { analyze, detectEol, fixInPasses, hardenContainer, LineIndex, toTextEdits, type Finding } from '../engine';
import type { AnalysedDocument } from './diagnostics';
import { toDiagnostic } from './diagnostic-conversion';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.shipshape`;

/** What an action computed lazily (`codeAction/resolve`) needs to find its document again. */
export interface DeferredActionData {
  uri: string;
  version: number;
  /** `harden`: every fix of one container; `fixAll`: every safe fix in the file. */
  action: 'harden' | 'fixAll';
  containerKey?: string;
}

export function isDeferredActionData(value: unknown): value is DeferredActionData {
  if (typeof value !== 'object' || value === null || !('uri' in value) || !('version' in value) || !('action' in value)) return false;
  return (
    typeof value.uri === 'string' &&
    typeof value.version === 'number' &&
    (value.action === 'harden' || value.action === 'fixAll') &&
    (!('containerKey' in value) || typeof value.containerKey === 'string')
  );
}

const lineIndexes = new WeakMap<AnalysedDocument, LineIndex>();

function linesOf(analysed: AnalysedDocument): LineIndex {
  let lines = lineIndexes.get(analysed);
  if (!lines) {
    lines = new LineIndex(analysed.text);
    lineIndexes.set(analysed, lines);
  }
  return lines;
}

function overlaps(finding: Finding, params: CodeActionParams): boolean {
  const { start, end } = params.range;
  const range = finding.range;
  const startsBeforeEnd = range.start.line < end.line || (range.start.line === end.line && range.start.character <= end.character);
  const endsAfterStart = range.end.line > start.line || (range.end.line === start.line && range.end.character >= start.character);
  return startsBeforeEnd && endsAfterStart;
}

/** True when the client asked for `kind` (or did not restrict kinds at all). */
function wants(params: CodeActionParams, kind: string): boolean {
  const only = params.context.only;
  if (!only || only.length === 0) return kind !== FIX_ALL_KIND;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

function editOf(uri: string, edits: TextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits } };
}

export interface CodeActionOptions {
  /** The client resolves actions lazily: Harden container and fix-all compute their edits then. */
  canResolve: boolean;
}

/**
 * Quick fixes for the findings under the cursor, "Ignore <id> for this line / file", "Harden
 * container" (every fix for that container at once) and `source.fixAll.shipshape` (safe fixes only).
 */
export function codeActionsFor(analysed: AnalysedDocument, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  const actions: CodeAction[] = [];
  const here = analysed.findings.filter((finding) => !finding.suppression && overlaps(finding, params));
  if (wants(params, CodeActionKind.QuickFix)) {
    const lines = linesOf(analysed);
    const hardened = new Set<string>();
    const ignored = new Set<string>();
    /** Two rules can fix one spot with the same edit (an added NET_ADMIN is both dangerous and not dropped): one action for both. */
    const fixesByEdit = new Map<string, CodeAction>();
    for (const finding of here) {
      const diagnostic = toDiagnostic(finding, analysed.uri);
      if (finding.fix) {
        const editKey = JSON.stringify(finding.fix.edits);
        const same = fixesByEdit.get(editKey);
        if (same) {
          same.diagnostics?.push(diagnostic);
          // The title that says more names what the edit does (`Remove capability NET_ADMIN`).
          if (finding.fix.title.length > same.title.length) same.title = finding.fix.title;
        } else {
          const action: CodeAction = {
            title: finding.fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: true,
            edit: editOf(analysed.uri, toTextEdits(lines, finding.fix.edits)),
          };
          fixesByEdit.set(editKey, action);
          actions.push(action);
        }
      }
      const key = finding.containerKey;
      if (key !== undefined && !hardened.has(key)) {
        hardened.add(key);
        const fixes = analysed.findings.filter((other) => other.containerKey === key && other.fix?.partOfHarden && !other.suppression).length;
        if (fixes > 1) actions.push(hardenAction(analysed, key, diagnostic, options));
      }
      if (!analysed.isJson && analysed.input.config.allowInlineIgnores && finding.ruleId !== 'config-error') {
        const lineKey = `${finding.ruleId}@${finding.range.start.line}`;
        if (!ignored.has(lineKey)) {
          ignored.add(lineKey);
          actions.push(ignoreLineAction(analysed, lines, finding, diagnostic), ignoreFileAction(analysed, lines, finding, diagnostic));
        }
      }
    }
  }
  if (wants(params, FIX_ALL_KIND) && analysed.findings.some((finding) => finding.fix?.isSafe && !finding.suppression)) {
    const action: CodeAction = { title: 'Fix all safe Shipshape problems', kind: FIX_ALL_KIND };
    actions.push(withDeferredEdit(action, analysed, { uri: analysed.uri, version: analysed.version, action: 'fixAll' }, options));
  }
  return actions;
}

function hardenAction(analysed: AnalysedDocument, containerKey: string, diagnostic: Diagnostic, options: CodeActionOptions): CodeAction {
  const action: CodeAction = { title: 'Harden container', kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  return withDeferredEdit(action, analysed, { uri: analysed.uri, version: analysed.version, action: 'harden', containerKey }, options);
}

/** The action with its resolve data, or with its edit computed now for a client that cannot resolve. */
function withDeferredEdit(action: CodeAction, analysed: AnalysedDocument, data: DeferredActionData, options: CodeActionOptions): CodeAction {
  if (options.canResolve) action.data = data;
  else action.edit = deferredEdit(analysed, data);
  return action;
}

/**
 * The edit of Harden container or fix-all: the chosen fixes applied in passes (re-analysing in
 * between, so fixes that touch one map land one after the other), as one replacement of the
 * smallest stretch of text that changed.
 */
export function deferredEdit(analysed: AnalysedDocument, data: DeferredActionData): WorkspaceEdit {
  // A copy of the document's section cache: each pass re-parses only the sections the fixes changed.
  const cache = new Map(analysed.sections);
  const reanalyse = (text: string): readonly Finding[] => analyze({ ...analysed.input, text, cache }).findings;
  const fixed =
    data.action === 'harden' && data.containerKey !== undefined
      ? hardenContainer(analysed.text, reanalyse, data.containerKey).text
      : fixInPasses(analysed.text, reanalyse, (finding) => finding.fix?.isSafe === true).text;
  return editOf(analysed.uri, changedStretch(analysed, fixed));
}

/** One edit replacing what differs between the text and its fixed version (none when equal). */
function changedStretch(analysed: AnalysedDocument, fixed: string): TextEdit[] {
  const before = analysed.text;
  if (before === fixed) return [];
  let start = 0;
  const limit = Math.min(before.length, fixed.length);
  while (start < limit && before.charCodeAt(start) === fixed.charCodeAt(start)) start++;
  let end = 0;
  while (end < limit - start && before.charCodeAt(before.length - 1 - end) === fixed.charCodeAt(fixed.length - 1 - end)) end++;
  const lines = linesOf(analysed);
  return [{ range: lines.rangeOf({ start, end: before.length - end }), newText: fixed.slice(start, fixed.length - end) }];
}

const DIRECTIVE = /^#[ \t]*[A-Za-z][A-Za-z0-9_-]*[ \t]*=/;

/** The first line of the Dockerfile instruction that holds `line` (continuations end in `\` or `` ` ``). */
function instructionStart(lines: LineIndex, line: number, escape: string): number {
  let start = line;
  while (start > 0 && lines.lineText(start - 1).trimEnd().endsWith(escape)) start--;
  return start;
}

function dockerfileEscape(lines: LineIndex): string {
  for (let line = 0; line < lines.lineCount; line++) {
    const text = lines.lineText(line);
    if (!DIRECTIVE.test(text)) break;
    const escape = /^#[ \t]*escape[ \t]*=[ \t]*(\S)/i.exec(text)?.[1];
    if (escape) return escape;
  }
  return '\\';
}

function ignoreLineAction(analysed: AnalysedDocument, lines: LineIndex, finding: Finding, diagnostic: Diagnostic): CodeAction {
  const line = analysed.fileKind === 'dockerfile' ? instructionStart(lines, finding.range.start.line, dockerfileEscape(lines)) : finding.range.start.line;
  const comment = `# shipshape-ignore ${finding.ruleId}`;
  // Above a YAML document's first key, a comment covers the whole document (RULES.md), which is
  // more than "this line": there the comment trails the line instead.
  const edit =
    analysed.fileKind !== 'dockerfile' && isFirstLineOfYamlDocument(lines, line)
      ? { start: lines.lineEnd(line), end: lines.lineEnd(line), text: ` ${comment}` }
      : { start: lines.lineStart(line), end: lines.lineStart(line), text: `${/^[ \t]*/.exec(lines.lineText(line))?.[0] ?? ''}${comment}${detectEol(analysed.text)}` };
  return {
    title: `Ignore ${finding.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: editOf(analysed.uri, toTextEdits(lines, [edit])),
  };
}

/** No code between the line and the start of the file or the `---` above it. */
function isFirstLineOfYamlDocument(lines: LineIndex, line: number): boolean {
  for (let above = line - 1; above >= 0; above--) {
    const text = lines.lineText(above).trim();
    if (/^---(\s|$)/.test(text)) return true;
    if (text !== '' && !text.startsWith('#') && !text.startsWith('%')) return false;
  }
  return true;
}

function ignoreFileAction(analysed: AnalysedDocument, lines: LineIndex, finding: Finding, diagnostic: Diagnostic): CodeAction {
  let line = 0;
  if (analysed.fileKind === 'dockerfile') {
    // Parser directives (`# syntax=`, `# escape=`) are only read before any other line.
    while (line < lines.lineCount && DIRECTIVE.test(lines.lineText(line))) line++;
  }
  const eol = detectEol(analysed.text);
  const offset = line < lines.lineCount ? lines.lineStart(line) : analysed.text.length;
  const atEnd = offset === analysed.text.length && offset > 0 && !/[\r\n]$/.test(analysed.text);
  const text = `${atEnd ? eol : ''}# shipshape-ignore-file ${finding.ruleId}${atEnd ? '' : eol}`;
  return {
    title: `Ignore ${finding.ruleId} for this file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: editOf(analysed.uri, toTextEdits(lines, [{ start: offset, end: offset, text }])),
  };
}
