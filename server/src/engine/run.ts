/**
 * The one rule runner, for every file kind: which rules the configuration turns on, the
 * severity each finding gets, the reporter that turns a rule's report into a finding with its
 * fix, and the error boundary around each rule. The file-kind analyses (analysis/) hand it what
 * they parsed and walked; it knows nothing of YAML or Dockerfiles.
 */
import type { Fix, HardenAll, Profile, Range, Severity, Span, Suppression } from './types';
import { isRuleOn, type EngineConfig } from './config';
import { formatMessage, type Report, type RuleContext, type RuleEnvironment, type RuleMeta } from './rules/define';
import { withoutMasks } from './parse/helm-mask';
import { isInputLimit } from './limits';

/** A finding with offsets relative to the text it was found in (a YAML section, a Dockerfile). */
export interface SectionFinding {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  span: Span;
  fix?: Fix;
  /** In this text (`span`), or in another file (`file` and `range`). */
  related?: Array<{ span: Span; message: string } | { file: string; range: Range; message: string }>;
  containerKey?: string;
  suppression?: Suppression;
  details?: string;
  hardenAll?: HardenAll;
}

/** What the runner needs of a rule's metadata to decide its severity. */
type SeverityMeta = Pick<RuleMeta, 'id' | 'profile'>;

/**
 * The severity a finding is reported with, or undefined when the rule is off. A per-rule
 * override turns the rule on whatever the profile and replaces both of its severities.
 * `fromProfile` is the smallest profile a particular finding belongs to when that is larger
 * than the rule's (proc-mount-unmasked in a user namespace: only restricted forbids it).
 */
export function effectiveSeverity(meta: SeverityMeta, config: EngineConfig, reported: Severity, fromProfile?: Profile): Severity | undefined {
  if (!isRuleOn(meta, config, fromProfile)) return undefined;
  const override = config.rules[meta.id];
  return override === undefined || override === 'off' ? reported : override;
}

/**
 * The rules the configuration turns on. Whether a rule is on does not depend on the severity it
 * reports with, so rules a profile leaves out are not run at all rather than run and discarded.
 */
export function enabledRules<R extends { meta: RuleMeta }>(rules: readonly R[], config: EngineConfig): R[] {
  let byRules = enabledByConfig.get(config);
  if (!byRules) {
    byRules = new WeakMap();
    enabledByConfig.set(config, byRules);
  }
  let enabled = byRules.get(rules);
  if (!enabled) {
    enabled = rules.filter((rule) => effectiveSeverity(rule.meta, config, rule.meta.severity) !== undefined);
    byRules.set(rules, enabled);
  }
  return enabled as R[];
}

/**
 * The rules each configuration turns on, worked out once per configuration object (configurations
 * are not modified once resolved): a keystroke in a Namespace re-analyses hundreds of files under one.
 */
const enabledByConfig = new WeakMap<EngineConfig, WeakMap<readonly { meta: RuleMeta }[], readonly { meta: RuleMeta }[]>>();

/** An edit builder a fix is computed on (YamlEditor, DockerfileEditor). */
export interface Editor {
  readonly edits: Array<Span & { text: string }>;
  readonly refused: string | undefined;
}

/** A rule as the runner sees it: metadata and a check of one subject (a resource, a Dockerfile). */
export interface RunnableRule<S, E> {
  meta: RuleMeta;
  check(subject: S, context: RuleContext<E>): void;
}

export interface RunOptions<E> {
  environment: RuleEnvironment;
  /** A fresh editor on the analysed text: each fix is computed on its own. None: no fixes are computed (a Kustomize build is no text to edit). */
  newEditor?: () => E;
  /** False when nobody will apply a fix (files the editor only shows): fixes are not computed. */
  withFixes?: boolean;
  /** Receives each finding; suppression by annotations is applied here, by the caller. */
  sink: (finding: SectionFinding) => void;
  /** Names the subject in failure messages (`Deployment web`); called only when a rule fails. */
  describeSubject?: () => string;
}

/**
 * Runs each rule on the subject in its own error boundary: a rule that throws is recorded in
 * the returned failures and the others still run.
 */
export function runRules<S, E extends Editor>(rules: ReadonlyArray<RunnableRule<S, E>>, subject: S, options: RunOptions<E>): string[] {
  const failures: string[] = [];
  for (const rule of rules) {
    const report = createReporter(rule.meta, options.environment.config, options.withFixes === false ? undefined : options.newEditor, options.sink);
    try {
      rule.check(subject, { ...options.environment, report });
    } catch (cause) {
      if (isInputLimit(cause)) throw cause; // the whole file is skipped, with the reason
      const where = options.describeSubject ? ` on ${options.describeSubject()}` : '';
      failures.push(`rule ${rule.meta.id} failed${where}: ${describeError(cause)}`);
    }
  }
  return failures;
}

/**
 * Turns a rule's report into a finding: severity under the configuration (undefined: the rule
 * is off and nothing is recorded), the message filled in, and the fix computed on a fresh
 * editor, dropped whole when the editor refused any part of it.
 */
function createReporter<E extends Editor>(
  meta: RuleMeta,
  config: EngineConfig,
  newEditor: (() => E) | undefined,
  sink: (finding: SectionFinding) => void,
): (report: Report<E>) => void {
  return (request) => {
    const severity = effectiveSeverity(meta, config, request.severity ?? meta.severity, request.fromProfile);
    if (severity === undefined) return;
    const template = meta.messages[request.messageId];
    if (template === undefined) throw new Error(`rule ${meta.id} has no message "${request.messageId}"`);
    const finding: SectionFinding = { ruleId: meta.id, messageId: request.messageId, severity, message: withoutMasks(formatMessage(template, request.data)), span: request.at };
    if (request.fix && newEditor) {
      const fixRequest = request.fix;
      const editor = newEditor();
      fixRequest.apply(editor);
      if (!editor.refused && editor.edits.length > 0) {
        finding.fix = {
          title: fixRequest.title ?? meta.fix ?? `Fix ${meta.id}`,
          isSafe: meta.safeFix === true && fixRequest.safe !== false,
          partOfHarden: meta.hardening === true,
          edits: editor.edits,
        };
      }
    }
    if (request.related) {
      finding.related = request.related.map((r) => ('at' in r ? { span: r.at, message: r.message } : { file: r.in.path, range: r.in.range, message: r.message }));
    }
    if (request.containerKey !== undefined) finding.containerKey = request.containerKey;
    if (request.details !== undefined) finding.details = request.details;
    if (request.hardenAll !== undefined) finding.hardenAll = request.hardenAll;
    sink(finding);
  };
}

export function describeError(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
}

/** A finding moved by `offset` characters within its text (its section, or a cached instruction's). */
export function shiftSectionFinding(finding: SectionFinding, offset: number): SectionFinding {
  const shift = (span: Span): Span => ({ start: span.start + offset, end: span.end + offset });
  return {
    ...finding,
    span: shift(finding.span),
    ...(finding.fix ? { fix: { ...finding.fix, edits: finding.fix.edits.map((edit) => ({ ...shift(edit), text: edit.text })) } } : {}),
    ...(finding.related ? { related: finding.related.map((r) => ('span' in r ? { span: shift(r.span), message: r.message } : r)) } : {}),
  };
}
