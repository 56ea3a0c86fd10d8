import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { analyze, fixInPasses, hardenContainer, hardenContainers, ignoreCommentEdit, LineIndex, PROFILES_LIST, toTextEdits, type Finding, type HardenAll, type IgnoreScope, type Profile } from '../engine';
import type { AnalysedDocument } from './diagnostics';
import { toDiagnostic } from './diagnostic-conversion';
import { pathToUri } from './uris';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.shipshape`;

/** What an action computed lazily (`codeAction/resolve`) needs to find its document again. */
export interface DeferredActionData {
  uri: string;
  version: number;
  /** `harden`: every fix of one container; `hardenAll`: of a workload's containers; `fixAll`: every safe fix in the file. */
  action: 'harden' | 'hardenAll' | 'fixAll';
  containerKey?: string;
  /** `hardenAll`: the workload's containers, and the PSS level their fixes are judged under. */
  containerKeys?: string[];
  profile?: Profile;
}

export function isDeferredActionData(value: unknown): value is DeferredActionData {
  if (typeof value !== 'object' || value === null || !('uri' in value) || !('version' in value) || !('action' in value)) return false;
  return (
    typeof value.uri === 'string' &&
    typeof value.version === 'number' &&
    (value.action === 'harden' || value.action === 'hardenAll' || value.action === 'fixAll') &&
    (!('containerKey' in value) || typeof value.containerKey === 'string') &&
    (!('containerKeys' in value) || (Array.isArray(value.containerKeys) && value.containerKeys.every((key) => typeof key === 'string'))) &&
    (!('profile' in value) || PROFILES_LIST.some((profile) => profile === value.profile))
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
  const findings = analysed.withMoreFixes?.() ?? analysed.findings;
  const here = findings.filter((finding) => !finding.suppression && overlaps(finding, params));
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
      for (const fix of finding.moreFixes ?? []) {
        // A fix in another file (a patch in one Kustomize overlay): a workspace edit.
        const changes: WorkspaceEdit['changes'] = {};
        if (fix.edits.length > 0) changes[analysed.uri] = toTextEdits(lines, fix.edits);
        for (const other of fix.otherFiles ?? []) changes[pathToUri(other.path)] = other.textEdits;
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes } });
      }
      const key = finding.containerKey;
      if (key !== undefined && !hardened.has(key)) {
        hardened.add(key);
        const fixes = analysed.findings.filter((other) => other.containerKey === key && other.fix?.partOfHarden && !other.suppression).length;
        if (fixes > 1) actions.push(hardenAction(analysed, key, diagnostic, options));
      }
      if (finding.hardenAll) actions.push(hardenAllAction(analysed, finding.hardenAll, diagnostic, options));
      const lineKey = `${finding.ruleId}@${finding.range.start.line}`;
      if (!ignored.has(lineKey)) {
        ignored.add(lineKey);
        actions.push(...ignoreActions(analysed, lines, finding, diagnostic));
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

function hardenAllAction(analysed: AnalysedDocument, hardenAll: HardenAll, diagnostic: Diagnostic, options: CodeActionOptions): CodeAction {
  const action: CodeAction = { title: 'Harden all containers', kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
  const data: DeferredActionData = { uri: analysed.uri, version: analysed.version, action: 'hardenAll', containerKeys: hardenAll.containerKeys, profile: hardenAll.profile };
  return withDeferredEdit(action, analysed, data, options);
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
  // A file of Kustomize builds is analysed again through them (AnalysedDocument.reanalyse).
  const reanalyse = analysed.reanalyse ?? ((text: string): readonly Finding[] => analyze({ ...analysed.input, text, cache }).findings);
  let fixed: string;
  if (data.action === 'harden' && data.containerKey !== undefined) fixed = hardenContainer(analysed.text, reanalyse, data.containerKey).text;
  else if (data.action === 'hardenAll' && data.containerKeys && data.profile) {
    // The namespace's level decides which controls must pass: its rules run even where the
    // configured profile leaves them out (a fresh cache: cached sections ran other rules).
    const config = { ...analysed.input.config, profile: atLeast(analysed.input.config.profile, data.profile) };
    const underLevel = (text: string): readonly Finding[] => analyze({ ...analysed.input, config, text }).findings;
    fixed = hardenContainers(analysed.text, underLevel, data.containerKeys).text;
  } else fixed = fixInPasses(analysed.text, reanalyse, (finding) => finding.fix?.isSafe === true).text;
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

/** "Ignore <id> for this line / file": the engine places the comment (none in JSON, or with inline ignores off). */
function ignoreActions(analysed: AnalysedDocument, lines: LineIndex, finding: Finding, diagnostic: Diagnostic): CodeAction[] {
  const scopes: IgnoreScope[] = ['line', 'file'];
  return scopes.flatMap((scope) => {
    const edit = ignoreCommentEdit({ ...analysed.input, text: analysed.text, cache: analysed.sections }, finding, scope);
    if (!edit) return [];
    return [{ title: `Ignore ${finding.ruleId} for this ${scope}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: editOf(analysed.uri, toTextEdits(lines, [edit])) }];
  });
}

/** The larger of two profiles (each includes the ones before it). */
function atLeast(profile: Profile, minimum: Profile): Profile {
  return PROFILES_LIST.indexOf(profile) >= PROFILES_LIST.indexOf(minimum) ? profile : minimum;
}
