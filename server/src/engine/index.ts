/**
 * The engine's whole API: text and settings in, findings (with fixes) out. Pure: no file
 * system, no editor, no network. The CLI and the language server both call it.
 */
import type { FileKind, Finding, Span, Suppression } from './types';
import type { EngineConfig } from './config';
import { detectFileKind } from './file-kind';
import { LineIndex, stripBom } from './source/text';
import { describeError, enabledRules, type SectionFinding } from './run';
import { analyzeKubernetesFile, findingsInFile, placeSection } from './analysis/kubernetes';
import { analyzeDockerfile } from './analysis/dockerfile';
import { analyzeComposeFile } from './analysis/compose';
import type { RawAnalysis } from './analysis/raw-analysis';
import type { SectionCache } from './analysis/cache';
import { createSuppressionResolver, hasIgnoreComments } from './suppression/scopes';
import { utcDay } from './suppression/comments';
import { SKIP_REASONS, textSkipReason, type SkipReason } from './skip';
import { skippedFinding } from './rules/engine-findings';
import { InputLimitError, isInputLimit } from './limits';
import { ALL_RULES, COMPOSE_RULES, DOCKERFILE_RULES, KUBERNETES_RULES } from './rules';
import { WorkspaceModel, type RecordingView } from './workspace/model';
import { analyzeBuilds, type PlacedFinding } from './analysis/kustomize';
import { addPatchEdits, patchForBaseFix } from './fix/kustomize-patch';
import { pathApi } from './kustomize/kustomization';
import type { KustomizeCache } from './kustomize/sources';
import { splitYamlSections } from './parse/yaml';
import { compareFindings } from './analysis/unparsed';

export type { Finding, FileKind, Severity, Profile, Range, Position, Span, TextEdit, Fix, FileEdits, Suppression, RelatedLocation, HardenAll } from './types';
export { LineIndex, detectEol, stripBom } from './source/text';
export { describeError } from './run';
export { PROFILES as PROFILES_LIST, SEVERITIES } from './types';
export {
  resolveConfig,
  DEFAULT_CONFIG,
  parseConfigText,
  readEditorSettings,
  editorSettingsLayer,
  DEFAULT_EDITOR_SETTINGS,
  type EngineConfig,
  type ConfigLayer,
  type EditorSettings,
} from './config';
export { applyFixes, applyEdits, toTextEdits } from './fix/apply';
export { fixInPasses, hardenContainer, hardenContainers, type AppliedFix } from './fix/multipass';
export { ALL_RULES, REGISTRY, RULE_IDS } from './rules';
export { detectFileKind } from './file-kind';
export { keepFindingsWhileUnparsed } from './analysis/unparsed';
export { eolTableNotice } from './eol-table-notice';
export type { RuleMeta, RuleDefinition } from './rules/define';
export type { CachedOutcome, SectionCache } from './analysis/cache';
export { SKIP_REASONS, type SkipReason } from './skip';
export { skippedFinding } from './rules/engine-findings';
export { ignoreCommentEdit, type IgnoreScope } from './suppression/placement';
export { WorkspaceModel, type RecordingView, type WorkspaceView } from './workspace/model';
export { extractFacts } from './workspace/extract';
export { extractReportFacts, type ReportFacts } from './workspace/report-facts';
export { extractUpdaterFacts, repositoryFact, UPDATER_CONFIG_FILES } from './updaters/configs';
export { MAX_REPORT_SIZE } from './reports';
export { isKustomizationPath } from './kustomize/kustomization';
export { KustomizeCache } from './kustomize/sources';
export type { WorkspaceFact } from './workspace/facts';

export interface AnalyzeInput {
  /** The file's path (or URI path): decides its kind and matches `ignore` globs. */
  path: string;
  text: string;
  config: EngineConfig;
  /** The editor's language id, which overrides the file name (`yaml`, `helm`, `dockerfile`). */
  languageId?: string;
  /** The path relative to the folder of the config file that governs it, for `ignore` entries. */
  configRelativePath?: string;
  /** The governing config file, named in config-side suppressions. */
  configSource?: string;
  /** The scan's date (its UTC day counts): suppressions expire and releases reach end of life against it; defaults to now. */
  today?: Date;
  /** Per-section results kept between calls on the same document (language server). */
  cache?: SectionCache;
  /**
   * For a document being edited: a YAML line that does not parse (a key half typed) is left out
   * and the rest of its document is still analysed, without fixes, beside the parse-error; the
   * findings do not vanish at every keystroke. Without it (the CLI) such a document is reported
   * as one parse-error. A cache serves one value of this flag only.
   */
  recover?: boolean;
  /**
   * False when no fix of this analysis will be applied (files the editor only shows), or not
   * yet (a keystroke's diagnostics, published before its fixes are worked out): fixes are then
   * not computed. A cache may serve both: results without fixes serve only analyses without them.
   */
  withFixes?: boolean;
  /**
   * What the rest of the workspace says (`WorkspaceModel.view()`); its `reads` afterwards are
   * the file's dependencies. Without it, cross-file rules see an empty workspace.
   */
  workspace?: RecordingView;
}

export interface AnalysisResult {
  /** What the file is; undefined for files no rule reads (other YAML, README, ...). */
  fileKind: FileKind | undefined;
  findings: Finding[];
  /** Why the file was not analysed, when it was not (also reported as a file-skipped finding). */
  skipped?: string;
  /** Rules or files that failed inside the engine; the rest of the analysis still ran. */
  failures: string[];
  /**
   * Stretches of the text no rule read because they do not parse (a YAML document, or the whole
   * of a template that cannot be read); see `keepFindingsWhileUnparsed`.
   */
  unparsed?: Span[];
}

export function analyze(input: AnalyzeInput): AnalysisResult {
  const info = detectFileKind(input.path, input.languageId);
  if (!info) return { fileKind: undefined, findings: [], failures: [] };
  const { text } = stripBom(input.text);
  const lines = new LineIndex(text);
  const skip = (reason: SkipReason): AnalysisResult => {
    const finding = skippedFinding(reason);
    return { fileKind: info.kind, findings: [finding], skipped: finding.message, failures: [] };
  };
  const skipReason = textSkipReason(text, input.config.maxFileSize);
  if (skipReason !== undefined) return skip(skipReason);
  const today = utcDay(input.today ?? new Date());
  try {
    const { config, cache } = input;
    const withFixes = input.withFixes !== false;
    const environment = { config, today, path: input.path, workspace: input.workspace ?? new WorkspaceModel().view() };
    const raw =
      info.kind === 'dockerfile'
        ? analyzeDockerfile(text, { environment, rules: enabledRules(DOCKERFILE_RULES, config), cache, withFixes })
        : info.kind === 'compose'
          ? analyzeComposeFile(text, { environment, rules: enabledRules(COMPOSE_RULES, config), withFixes })
          : analyzeKubernetesFile(text, lines, info.isJson, { environment, rules: enabledRules(KUBERNETES_RULES, config), cache, recover: input.recover === true, withFixes });
    const unparsed = raw.unparsed && raw.unparsed.length > 0 ? { unparsed: raw.unparsed } : {};
    if (raw.skipped) return { ...skip(raw.skipped), ...unparsed };
    if (!raw.isKubernetes && info.kind === 'kubernetes') return { fileKind: undefined, findings: [], failures: raw.failures };
    const findings = finish(raw, text, lines, info.isJson, input);
    return { fileKind: info.kind, findings, failures: raw.failures, ...unparsed };
  } catch (cause) {
    // Input past one of the engine's bounds is the file's property, not a failure of ours.
    if (isInputLimit(cause)) {
      const offset = cause instanceof InputLimitError ? cause.offset : undefined;
      return skip(SKIP_REASONS.pastBound(cause instanceof InputLimitError ? cause.what : undefined, offset === undefined ? undefined : lines.positionAt(offset).line + 1));
    }
    // One file never takes the process down: report it and let the caller move on.
    const failure = `analysis of ${input.path} failed: ${describeError(cause)}`;
    return { ...skip(SKIP_REASONS.internalFailure), failures: [failure] };
  }
}

/** Suppressions and positions: everything that turns raw findings into Findings. */
function finish(raw: RawAnalysis, text: string, lines: LineIndex, isJson: boolean, input: AnalyzeInput): Finding[] {
  const context = {
    text,
    lines,
    blocks: raw.blocks,
    readsComments: input.config.allowInlineIgnores && !isJson,
    today: input.today ?? new Date(),
    configIgnores: input.config.ignore,
    ...(input.configRelativePath !== undefined ? { configRelativePath: input.configRelativePath } : {}),
    ...(input.configSource !== undefined ? { configSource: input.configSource } : {}),
  };
  const resolveSuppression = createSuppressionResolver(context);
  const place = (finding: SectionFinding): Finding => {
    const range = lines.rangeOf(finding.span);
    const verdict: { suppression?: Suppression; lapsed?: string } = finding.suppression
      ? { suppression: finding.suppression }
      : resolveSuppression(finding.ruleId, finding.span, range.start.line);
    return {
      ruleId: finding.ruleId,
      messageId: finding.messageId,
      severity: finding.severity,
      message: verdict.lapsed ? `${finding.message} (Reported again: ${verdict.lapsed}.)` : finding.message,
      range,
      span: finding.span,
      ...(finding.fix ? { fix: finding.fix } : {}),
      ...(finding.related
        ? { related: finding.related.map((r) => ('span' in r ? { range: lines.rangeOf(r.span), message: r.message } : { file: r.file, range: r.range, message: r.message })) }
        : {}),
      ...(verdict.suppression ? { suppression: verdict.suppression } : {}),
      ...(finding.containerKey !== undefined ? { containerKey: finding.containerKey } : {}),
      ...(finding.details !== undefined ? { details: finding.details } : {}),
      ...(finding.hardenAll !== undefined ? { hardenAll: finding.hardenAll } : {}),
    };
  };
  // Without ignore comments a placed finding depends on its section alone: each section's are
  // placed once and reused (sections come in file order, each one sorted).
  if (raw.sections && !hasIgnoreComments(context)) {
    const placement = `${input.configRelativePath ?? ''}\u0000${input.configSource ?? ''}`;
    return raw.sections.flatMap((section) => placeSection(section, lines, placement, place));
  }
  return (raw.sections ? findingsInFile(raw.sections) : raw.findings).map(place).sort(compareFindings);
}

/** True when a rule the configuration turns on reads other files: the host then builds the workspace model. */
export function rulesReadWorkspace(config: EngineConfig): boolean {
  return enabledRules(ALL_RULES, config).some((rule) => rule.meta.crossFile === true);
}

/** What a file's findings are judged under: its governing configuration and where that lives. */
export interface FileSettings {
  config: EngineConfig;
  configRelativePath?: string;
  configSource?: string;
}

export interface KustomizeBuildsInput {
  /** Top-level kustomization files (`WorkspaceModel.kustomizeBuilds()`). */
  builds: readonly string[];
  /** The texts of every file the builds may read, by path (`WorkspaceModel.kustomizeFiles()`); the engine reads nothing itself. */
  files: ReadonlyMap<string, string>;
  settingsFor: (path: string) => FileSettings;
  today?: Date;
  workspace?: RecordingView;
  /** Parsed files kept between analyses (the language server); without it every file is parsed again. */
  cache?: KustomizeCache;
  /** Per-section results of a file kept between calls (the editor's document cache): its own analysis, for fixes, re-parses only what changed. */
  sectionCacheFor?: (path: string) => SectionCache | undefined;
  /**
   * Work out "fix in overlay X" for findings some builds only have (default true). The editor
   * publishes without them and asks again with them when it is asked for code actions.
   */
  overlayFixes?: boolean;
  /** Only these files' results are wanted (an editor re-publishing what it shows); default: every file the builds read. */
  reportFor?: (path: string) => boolean;
}

export interface KustomizeBuildsResult {
  /** For every file a build read: its findings, as if it had been analysed (it is never analysed alone). */
  files: Map<string, AnalysisResult>;
  /** The builds (top-level kustomization files) that read each file. */
  buildsOf: Map<string, string[]>;
  failures: string[];
}

/**
 * Builds each kustomization in memory and reports, for every file the builds read, the findings
 * whose offending value that file provides (RULES.md, "Kustomize"), each naming the builds it
 * occurs in. A file that is only a patch is never analysed as a workload. The fix of a finding is
 * computed on the file that holds it; one that occurs in some builds only is also offered as a
 * patch in each of those overlays.
 */
export function analyzeKustomizeBuilds(input: KustomizeBuildsInput): KustomizeBuildsResult {
  const today = utcDay(input.today ?? new Date());
  const workspace = input.workspace ?? new WorkspaceModel().view();
  const raw = analyzeBuilds({
    builds: input.builds,
    files: input.files,
    configFor: (build) => input.settingsFor(build).config,
    rulesFor: (config) => enabledRules(KUBERNETES_RULES, config),
    today,
    workspace,
    cache: input.cache,
  });
  const files = new Map<string, AnalysisResult>();
  for (const [path, builds] of raw.buildsOf) {
    const text = input.files.get(path);
    if (text === undefined || (input.reportFor && !input.reportFor(path))) continue;
    try {
      files.set(path, kustomizeFileResult(path, text, raw.byFile.get(path) ?? [], builds, input));
    } catch (cause) {
      const finding = skippedFinding(SKIP_REASONS.internalFailure);
      files.set(path, { fileKind: 'kubernetes', findings: [finding], skipped: finding.message, failures: [`analysis of ${path} in its Kustomize builds failed: ${describeError(cause)}`] });
    }
  }
  return { files, buildsOf: raw.buildsOf, failures: raw.failures };
}

function kustomizeFileResult(path: string, rawText: string, placed: readonly PlacedFinding[], fileBuilds: readonly string[], input: KustomizeBuildsInput): AnalysisResult {
  const settings = input.settingsFor(path);
  // Alone, the file says whether it parses, and gives the fixes (computed on its own text).
  const cache = input.sectionCacheFor?.(path);
  const alone = analyze({
    path,
    text: rawText,
    config: settings.config,
    ...(settings.configRelativePath !== undefined ? { configRelativePath: settings.configRelativePath } : {}),
    ...(settings.configSource !== undefined ? { configSource: settings.configSource } : {}),
    ...(input.today ? { today: input.today } : {}),
    ...(cache ? { cache } : {}),
  });
  if (alone.skipped !== undefined) return alone;
  const { text } = stripBom(rawText);
  const lines = new LineIndex(text);
  const kept = alone.findings.filter((finding) => finding.ruleId === 'parse-error');
  const raw: RawAnalysis = {
    isKubernetes: true,
    findings: placed.map((entry) => entry.finding),
    failures: [],
    blocks: splitYamlSections(text).map((section) => ({ start: section.start, end: section.start + section.text.length })),
  };
  const label = buildLabeller(input.builds);
  const findings = finish(raw, text, lines, false, { path, text, ...settings, ...(input.today ? { today: input.today } : {}) }).map((finding, index) => {
    const entry = placed.find((candidate) => candidate.finding.ruleId === finding.ruleId && candidate.finding.span.start === finding.span.start && candidate.finding.span.end === finding.span.end && candidate.finding.messageId === finding.messageId) ?? placed[index];
    if (!entry) return finding;
    const everywhere = fileBuilds.every((build) => entry.builds.includes(build));
    const related = [
      ...(finding.related ?? []),
      ...entry.builds.map((build) => ({ file: build, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `Occurs in the Kustomize build of ${label(build)}.` })),
    ];
    const result: Finding = { ...finding, related };
    const counterpart = alone.findings.find((candidate) => candidate.ruleId === finding.ruleId && candidate.span.start === finding.span.start && candidate.span.end === finding.span.end);
    if (counterpart?.containerKey !== undefined) result.containerKey = counterpart.containerKey;
    else delete result.containerKey;
    const fix = counterpart?.fix;
    if (!fix) return result;
    if (everywhere) return { ...result, fix };
    result.fix = { ...fix, title: `${fix.title} (in ${pathApi(path).basename(path)}, for every build)` };
    if (input.overlayFixes === false) return result;
    // One patch serves every overlay: it says what the base fix changes.
    const patch = patchForBaseFix(text, fix.edits, finding.span);
    const overlayFixes = entry.builds.flatMap((build) => {
      const overlayText = input.files.get(build);
      const edits = overlayText === undefined || patch === undefined ? undefined : addPatchEdits(stripBom(overlayText).text, patch);
      if (!edits || overlayText === undefined) return [];
      const overlayLines = new LineIndex(stripBom(overlayText).text);
      return [{
        title: `${fix.title} in overlay ${label(build)}`,
        edits: [],
        otherFiles: [{ path: build, edits, textEdits: edits.map((edit) => ({ range: overlayLines.rangeOf(edit), newText: edit.text })) }],
        isSafe: false,
        partOfHarden: false,
      }];
    });
    if (overlayFixes.length > 0) result.moreFixes = overlayFixes;
    return result;
  });
  const all = [...kept, ...findings].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return { fileKind: 'kubernetes', findings: all, failures: alone.failures };
}

/** Names a build by its folder, relative to the folder all builds share (its own name when it is alone). */
function buildLabeller(paths: readonly string[]): (build: string) => string {
  const api = pathApi(paths[0] ?? '');
  const dirs = paths.map((path) => api.dirname(path).split(api.sep));
  const common: string[] = [];
  for (let i = 0; dirs.every((parts) => parts[i] !== undefined && parts[i] === dirs[0]?.[i]); i++) common.push(dirs[0]?.[i] ?? '');
  return (build) => {
    const relative = api.relative(common.join(api.sep) || api.sep, api.dirname(build)).split(api.sep).join('/');
    return relative === '' ? api.basename(api.dirname(build)) : relative;
  };
}
