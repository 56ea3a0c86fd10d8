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
import { compareFindings } from './analysis/unparsed';

export type { Finding, FileKind, Severity, Profile, Range, Position, Span, TextEdit, Fix, Suppression, RelatedLocation, HardenAll } from './types';
export { LineIndex, detectEol, stripBom } from './source/text';
export { describeError } from './run';
export { PROFILES as PROFILES_LIST } from './types';
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
   * False when no fix of this analysis will be applied (files the editor only shows): fixes are
   * then not computed, which makes re-publishing many files cheaper. Not with a cache.
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
