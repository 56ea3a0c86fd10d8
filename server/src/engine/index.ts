/**
 * The engine's whole API: text and settings in, findings (with fixes) out. Pure: no file
 * system, no editor, no network. The CLI and the language server both call it.
 */
import { minimatch } from 'minimatch';
import type { FileKind, Finding, Span, Suppression } from './types';
import { effectiveSeverity, type EngineConfig } from './config';
import { detectFileKind, isChartTemplatePath } from './file-kind';
import { LineIndex, stripBom } from './source/text';
import { splitYamlSections } from './parse/yaml';
import { analyzeKubernetesSection, type SectionOutcome } from './kubernetes/analyze';
import { describeError, type SectionFinding } from './rules/report';
import { analyzeDockerfile } from './dockerfile/analyze';
import { isDockerfileCacheEntry, type DockerfileCacheEntry } from './parse/dockerfile-chunks';
import { coveredLine, findIgnoreComments, matchComment, utcDay, type IgnoreComment } from './suppress';
import { DOCKERFILE_RULES, KUBERNETES_RULES } from './rules';
import type { RuleDefinition } from './rules/define';
import { compareFindings } from './unparsed';
import { prepareHelmTemplate, unreadableTemplateReason, type PreparedYaml } from './parse/helm';

export type { Finding, FileKind, Severity, Profile } from './types';
export { PROFILES as PROFILES_LIST } from './types';
export { resolveConfig, DEFAULT_CONFIG, parseConfigText, type EngineConfig, type ConfigLayer, type ConfigProblem } from './config';
export { applyFixes, applyEdits, toTextEdits } from './fix/apply';
export { fixInPasses, hardenContainer } from './fix/multipass';
export { ALL_RULES, REGISTRY, RULE_IDS } from './rules';
export { detectFileKind } from './file-kind';
export { keepFindingsWhileUnparsed } from './unparsed';
export type { RuleMeta, RuleDefinition } from './rules/define';

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
  /** The date suppressions expire against (UTC); defaults to now. */
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

/** What the engine keeps between analyses of one document: YAML section results, parsed Dockerfile parts. */
export type CachedOutcome = SectionOutcome | DockerfileCacheEntry;

/**
 * Results of YAML sections, and parsed Dockerfile instructions and RUN scripts, by their text, so
 * an edit re-parses only the part it touched. Create a new cache whenever the configuration changes.
 */
export type SectionCache = Map<string, CachedOutcome>;

export function analyze(input: AnalyzeInput): AnalysisResult {
  const info = detectFileKind(input.path, input.languageId);
  if (!info) return { fileKind: undefined, findings: [], failures: [] };
  const { text } = stripBom(input.text);
  const lines = new LineIndex(text);
  const skip = (reason: string): AnalysisResult => ({
    fileKind: info.kind,
    findings: [skippedFinding(reason)],
    skipped: reason,
    failures: [],
  });
  if (text.length > input.config.maxFileSize) {
    return skip(`The file is larger than maxFileSize (${formatBytes(text.length)} > ${formatBytes(input.config.maxFileSize)}); it was not analysed.`);
  }
  if (text.includes('\u0000')) return skip('The file holds NUL bytes (binary content); it was not analysed.');
  try {
    const raw = info.kind === 'dockerfile' ? analyzeDockerfileFile(text, input) : analyzeYamlFile(text, lines, info.isJson, input);
    const unparsed = raw.unparsed && raw.unparsed.length > 0 ? { unparsed: raw.unparsed } : {};
    if (raw.skipped) return { ...skip(raw.skipped), ...unparsed };
    if (!raw.isKubernetes && info.kind === 'kubernetes') return { fileKind: undefined, findings: [], failures: raw.failures };
    const findings = finish(raw, text, lines, info.isJson, input);
    return { fileKind: info.kind, findings, failures: raw.failures, ...unparsed };
  } catch (cause) {
    // One file never takes the process down: report it and let the caller move on.
    const failure = `analysis of ${input.path} failed: ${describeError(cause)}`;
    return { ...skip('Shipshape failed on this file (an internal error, logged); it was not analysed.'), failures: [failure] };
  }
}

/** A finding at the top of the file saying why it was not analysed. */
export function skippedFinding(reason: string): Finding {
  return {
    ruleId: 'file-skipped',
    messageId: 'skipped',
    severity: 'info',
    message: reason,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    span: { start: 0, end: 0 },
  };
}

interface RawAnalysis {
  isKubernetes: boolean;
  findings: SectionFinding[];
  failures: string[];
  skipped?: string;
  /** Spans a suppression comment above their first line covers entirely (documents, instructions). */
  blocks: Span[];
  unparsed?: Span[];
}

/** The parser's report when a document nests deeper than the call stack allows. */
const STACK_EXHAUSTED = /Maximum call stack size exceeded/;

function analyzeYamlFile(text: string, lines: LineIndex, isJson: boolean, input: AnalyzeInput): RawAnalysis {
  const prepared = prepareHelmTemplate(input.path, text);
  if (prepared.skipped) return { isKubernetes: true, findings: [], failures: [], skipped: prepared.skipped, blocks: [] };
  const result = analyzeYamlSections(lines, prepared, isJson, input);
  // Outside a chart, `{{ … }}` may be plain YAML after all (flow maps): when masking made the
  // file unreadable and the text as written parses, it is read as written.
  if (result.skipped !== undefined && prepared.isTemplate && !isChartTemplatePath(input.path)) {
    const plain = analyzeYamlSections(lines, { text, isTemplate: false }, isJson, input);
    if (plain.skipped === undefined && !plain.findings.some((finding) => finding.ruleId === 'parse-error')) return plain;
  }
  return result;
}

/** `lines` indexes the file text, which masking leaves at the same offsets as `prepared.text`. */
function analyzeYamlSections(lines: LineIndex, prepared: PreparedYaml, isJson: boolean, input: AnalyzeInput): RawAnalysis {
  const context = {
    config: input.config,
    rules: enabledRules(KUBERNETES_RULES, input.config),
    isJson,
    allowInlineIgnores: input.config.allowInlineIgnores,
    // A template's masked text says too little to guess around a broken line: it is skipped whole.
    recover: input.recover === true && !prepared.isTemplate,
  };
  const findings: SectionFinding[] = [];
  const failures: string[] = [];
  const blocks: Span[] = [];
  const unparsed: Span[] = [];
  let isKubernetes = false;
  let unreadable: string | undefined;
  // YAML 1.2 reads a lone CR as a line break but the parser does not; LF has the same length.
  const parseText = prepared.text.includes('\r') ? prepared.text.replace(/\r(?!\n)/g, '\n') : prepared.text;
  splitYamlSections(parseText).forEach((section, index) => {
    const cached = input.cache?.get(section.text);
    let outcome = cached && !isDockerfileCacheEntry(cached) ? cached : undefined;
    if (!outcome) {
      outcome = analyzeKubernetesSection(section.text, context);
      input.cache?.set(section.text, outcome);
    }
    if (outcome.syntaxError && unreadable === undefined) {
      const line = lines.positionAt(section.start + outcome.syntaxError.offset).line + 1;
      if (STACK_EXHAUSTED.test(outcome.syntaxError.message)) {
        unreadable = `The YAML nests collections too deeply to be read (around line ${line}); the file was not analysed.`;
      } else if (prepared.isTemplate) {
        // A masked template that does not parse says nothing about the YAML Helm renders from it.
        unreadable = unreadableTemplateReason(line, outcome.syntaxError.message);
      }
    }
    isKubernetes ||= outcome.isKubernetes;
    failures.push(...outcome.failures);
    blocks.push({ start: section.start, end: section.start + section.text.length });
    if (outcome.unparsed) unparsed.push({ start: section.start, end: section.start + section.text.length });
    for (const finding of outcome.findings) findings.push(shiftFinding(finding, section.start, index));
  });
  if (unreadable !== undefined) {
    return { isKubernetes: true, findings: [], failures, skipped: unreadable, blocks: [], unparsed: [{ start: 0, end: prepared.text.length }] };
  }
  return { isKubernetes, findings, failures, blocks, unparsed };
}

function analyzeDockerfileFile(text: string, input: AnalyzeInput): RawAnalysis {
  const outcome = analyzeDockerfile(text, { config: input.config, rules: enabledRules(DOCKERFILE_RULES, input.config), cache: input.cache });
  return { isKubernetes: false, findings: outcome.findings, failures: outcome.failures, blocks: outcome.instructionSpans };
}

function shiftFinding(finding: SectionFinding, offset: number, section: number): SectionFinding {
  if (offset === 0 && section === 0) return { ...finding, ...(finding.containerKey !== undefined ? { containerKey: `0:${finding.containerKey}` } : {}) };
  const shift = (span: Span): Span => ({ start: span.start + offset, end: span.end + offset });
  return {
    ...finding,
    span: shift(finding.span),
    ...(finding.fix
      ? {
          fix: {
            ...finding.fix,
            edits: finding.fix.edits.map((e) => ({ ...shift(e), text: e.text })),
            ...(finding.fix.hardenEdits ? { hardenEdits: finding.fix.hardenEdits.map((e) => ({ ...shift(e), text: e.text })) } : {}),
          },
        }
      : {}),
    ...(finding.related ? { related: finding.related.map((r) => ({ span: shift(r.span), message: r.message })) } : {}),
    ...(finding.containerKey !== undefined ? { containerKey: `${section}:${finding.containerKey}` } : {}),
  };
}

/** Suppressions and positions: everything that turns raw findings into Findings. */
function finish(raw: RawAnalysis, text: string, lines: LineIndex, isJson: boolean, input: AnalyzeInput): Finding[] {
  // Splitting every line costs a keystroke on a large file; only ignore comments need the lines.
  const readsComments = input.config.allowInlineIgnores && !isJson && text.includes('shipshape-ignore');
  const lineTexts = readsComments ? Array.from({ length: lines.lineCount }, (_, line) => lines.lineText(line)) : [];
  const comments = readsComments ? findIgnoreComments(lineTexts) : [];
  const scopes = comments.length > 0 ? commentScopes(comments, raw.blocks, lineTexts, lines) : [];
  const today = utcDay(input.today ?? new Date());
  const findings: Finding[] = [];
  for (const finding of raw.findings) {
    const range = lines.rangeOf(finding.span);
    let suppression: Suppression | undefined = finding.suppression;
    let note: string | undefined;
    if (!suppression) {
      // A lapsed comment gives way to any other comment that still covers the finding.
      for (const scope of scopes) {
        if (!scope.covers(finding.span.start, range.start.line)) continue;
        const match = matchComment(scope.comment, finding.ruleId, today);
        if (!match) continue;
        if (match.expired) {
          note ??= match.expired;
          continue;
        }
        suppression = match.suppression;
        note = undefined;
        break;
      }
    }
    suppression ??= configSuppression(finding.ruleId, input);
    findings.push({
      ruleId: finding.ruleId,
      messageId: finding.messageId,
      severity: finding.severity,
      message: note && !suppression ? `${finding.message} (Reported again: ${note}.)` : finding.message,
      range,
      span: finding.span,
      ...(finding.fix ? { fix: finding.fix } : {}),
      ...(finding.related ? { related: finding.related.map((r) => ({ range: lines.rangeOf(r.span), message: r.message })) } : {}),
      ...(suppression ? { suppression } : {}),
      ...(finding.containerKey !== undefined ? { containerKey: finding.containerKey } : {}),
    });
  }
  return findings.sort(compareFindings);
}

interface CommentScope {
  comment: IgnoreComment;
  covers(offset: number, line: number): boolean;
}

/**
 * What each ignore comment covers: the whole file; the line it trails or stands above; or a
 * whole block (a YAML document, a Dockerfile instruction) when it stands above its first line.
 */
function commentScopes(comments: IgnoreComment[], blocks: Span[], lineTexts: string[], lines: LineIndex): CommentScope[] {
  const firstLines = blocks.map((block) => firstCodeLine(lines.positionAt(block.start).line, lineTexts));
  return comments.map((comment) => {
    if (comment.scope === 'file') return { comment, covers: () => true };
    const line = coveredLine(comment, lineTexts);
    const blockIndex = comment.trailing ? -1 : firstLines.indexOf(line);
    const block = blocks[blockIndex];
    return {
      comment,
      covers: (offset, findingLine) =>
        findingLine === line || (block !== undefined && offset >= block.start && offset < Math.max(block.end, block.start + 1)),
    };
  });
}

const NOT_CODE = /^\s*(#.*)?$|^(---|\.\.\.)(\s|$)|^%/;

function firstCodeLine(from: number, lineTexts: string[]): number | undefined {
  for (let line = from; line < lineTexts.length; line++) {
    if (!NOT_CODE.test(lineTexts[line] ?? '')) return line;
  }
  return undefined;
}

function configSuppression(ruleId: string, input: AnalyzeInput): Suppression | undefined {
  const relative = input.configRelativePath;
  if (relative === undefined) return undefined;
  const path = relative.replace(/\\/g, '/').replace(/^\.\//, '');
  for (const entry of input.config.ignore) {
    if (!entry.rules.includes(ruleId)) continue;
    // Globs are relative to the config folder; `./charts/**` means the same as `charts/**`.
    const pattern = entry.path.replace(/^\.\//, '');
    if (!minimatch(path, pattern, { dot: true, matchBase: !pattern.includes('/') })) continue;
    return {
      kind: 'config',
      source: input.configSource ?? '.shipshape.yaml',
      ...(entry.reason ? { justification: entry.reason } : {}),
    };
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/**
 * The rules the configuration turns on. Whether a rule is on does not depend on the severity it
 * reports with, so rules a profile leaves out are not run at all rather than run and discarded.
 */
function enabledRules<R extends RuleDefinition>(rules: readonly R[], config: EngineConfig): R[] {
  return rules.filter((rule) => effectiveSeverity(rule.meta, config, rule.meta.severity) !== undefined);
}
