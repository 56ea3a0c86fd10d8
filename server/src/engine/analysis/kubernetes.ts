/**
 * Kubernetes YAML (and JSON) files: split into `---` sections, each sniffed, parsed and walked
 * on its own (an edit re-parses only the section it touched), then the rules run on every
 * resource through the one rule runner.
 */
import type { YAMLError } from 'yaml';
import type { Finding, Fix, OffsetEdit, Range, Span, Suppression } from '../types';
import type { AdmissionViolation, KubernetesRule, KubernetesSubject, RuleEnvironment } from '../rules/define';
import { KUBERNETES_RULES, REGISTRY } from '../rules';
import { runRules, shiftSectionFinding, type SectionFinding } from '../run';
import { mayHoldKind, parseYamlSection, sniffSection, splitYamlSections, type ParsedYaml, type SectionSniff } from '../parse/yaml';
import { lineAround, recoverYamlSection } from '../parse/yaml-recovery';
import { prepareHelmTemplate, unreadableTemplateReason, type PreparedYaml } from '../parse/helm';
import { isChartTemplatePath } from '../file-kind';
import type { LineIndex } from '../source/text';
import { YamlView } from '../source/yaml-view';
import { YamlEditor } from '../fix/yaml-edits';
import { findPodSpecs, findResources, type KubeResource, type PodSpecSite } from '../kubernetes/walker';
import { readSuppressionAnnotations } from '../suppression/annotations';
import type { PlacedSection, RawAnalysis, SectionFindings, SectionOutcome } from './raw-analysis';
import { compareFindings } from './unparsed';
import { isSectionOutcome, type SectionCache } from './cache';
import { holdsCredential } from '../secrets/credential-formats';
import type { RecordingView } from '../workspace/model';
import type { SkipReason } from '../skip';
import { parseError } from '../rules/engine-findings';

/** Kinds some rule reads (RULES.md): their sections are always composed. */
const KINDS_RULES_READ = new Set([
  'Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'ReplicationController', 'Secret', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'Namespace',
]);

/**
 * Built-in kinds that never hold a pod template. Their documents can still contain the text
 * `containers:` (a CustomResourceDefinition's schema, YAML embedded in a ConfigMap), and they are
 * often the largest documents in a repository, so they are skipped without composing.
 */
const BUILT_IN_KINDS_WITHOUT_PODS = new Set([
  'Service', 'ServiceAccount', 'ConfigMap', 'CustomResourceDefinition', 'NetworkPolicy', 'StorageClass',
  'PersistentVolumeClaim', 'PersistentVolume', 'PodDisruptionBudget', 'Ingress', 'IngressClass',
  'HorizontalPodAutoscaler', 'Endpoints', 'EndpointSlice', 'APIService', 'PriorityClass', 'LimitRange',
  'ResourceQuota', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'Lease', 'Event',
  'CSIDriver', 'RuntimeClass', 'VolumeAttachment',
]);

const POD_TEMPLATE_HINT = /containers["']?\s*:/; // `\s`: an explicit `? containers` has its `:` on the next line

/**
 * Built-in API groups have no dot (`v1`, `apps/v1`, `batch/v1`) or end in `.k8s.io`; a custom
 * resource's group always has a dot, so `serving.knative.dev/v1` `Service` is not the core one.
 */
function isBuiltInApiVersion(apiVersion: string | undefined): boolean {
  if (apiVersion === undefined) return false;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/**
 * Decides without composing whether a section can matter to any rule. When in doubt (no
 * readable top-level kind, a custom resource that may embed a pod template) it says yes. A
 * custom resource can share a built-in kind's name (Knative's `Service` holds
 * `spec.template.spec.containers`), so the skip list applies to built-in API groups only.
 */
export function sectionNeedsAnalysis(text: string): boolean {
  return needsAnalysis(text, sniffSection(text));
}

function needsAnalysis(text: string, sniff: SectionSniff): boolean {
  if (sniff.kind === undefined) return mayHoldKind(text);
  if (KINDS_RULES_READ.has(sniff.kind) || sniff.kind.endsWith('List')) return true;
  // Any object may hold a literal credential (a ConfigMap's data, an annotation): hardcoded-credential.
  if (BUILT_IN_KINDS_WITHOUT_PODS.has(sniff.kind) && isBuiltInApiVersion(sniff.apiVersion)) return holdsCredential(text);
  return POD_TEMPLATE_HINT.test(text) || holdsCredential(text);
}

export interface SectionContext {
  /** Its workspace records what this section's rules read. */
  environment: RuleEnvironment & { workspace: RecordingView };
  rules: readonly KubernetesRule[];
  isJson: boolean;
  /** Analyse a section around the one line that does not parse (the editor, while a line is typed). */
  recover: boolean;
  /** False for files only shown, never fixed (closed files in the editor): no fix is computed. */
  withFixes: boolean;
}

/** `source` is the section as written, when `text` is a masked Helm template (same offsets). */
export function analyzeKubernetesSection(text: string, context: SectionContext, source = text): SectionOutcome {
  // One sniff serves the skip decision and the verdict: skipped sections are often the largest (CRDs).
  const sniff = sniffSection(text);
  if (!needsAnalysis(text, sniff)) {
    return { isKubernetes: sniff.kind !== undefined && sniff.hasApiVersion, findings: [], failures: [], workspaceReads: [], today: context.environment.today };
  }
  const parsed = parseYamlSection(text);
  const looksKubernetes = /(^|["'\s{,])apiVersion["']?\s*:/m.test(text) && /(^|["'\s{,])kind["']?\s*:/m.test(text);
  const error = parsed.errors[0];
  if (!error) return analyzeParsedSection(parsed, text, context, source);
  if (!looksKubernetes) return { isKubernetes: false, findings: [], failures: [], workspaceReads: [], today: context.environment.today };
  const recovered = context.recover ? recoverYamlSection(text, error.pos[0]) : undefined;
  if (!recovered) {
    return { ...syntaxErrorOutcome(text, error, context.recover ? 'yamlSyntaxWhileEditing' : 'yamlSyntax', context.environment.today), unparsed: true };
  }
  const { rerunCrossFile: _rerun, ...outcome } = analyzeParsedSection(recovered.doc, recovered.text, context);
  const broken = syntaxErrorOutcome(text, error, 'yamlSyntaxRecovered', context.environment.today);
  // No fix is offered in a document that does not parse: its edits could not be checked. (Nor a
  // rerun of its cross-file rules: a line being typed is analysed anew when the workspace changes.)
  return { ...outcome, isKubernetes: true, findings: [...broken.findings, ...outcome.findings.map(withoutFix)], syntaxError: broken.syntaxError };
}

/** The section's one parse-error finding, on the line the parser named. */
export function syntaxErrorOutcome(text: string, error: YAMLError, messageId: 'yamlSyntax' | 'yamlSyntaxWhileEditing' | 'yamlSyntaxRecovered', today: string): SectionOutcome {
  const span = syntaxErrorSpan(text, error.pos);
  const message = firstLine(error.message);
  return {
    isKubernetes: true,
    findings: [parseError.at(span, messageId, { reason: message })],
    failures: [],
    syntaxError: { message, offset: span.start },
    workspaceReads: [],
    today,
  };
}
/**
 * Where a parser error is shown: from its position to the end of that line at most, so a key
 * the parser read on into the next line marks only the line being typed; an error in a line's
 * indentation or past its end marks the line's text. An error found at the end of the section
 * (an unclosed bracket) is shown on its last character.
 */
function syntaxErrorSpan(text: string, [from, to]: readonly [number, number]): Span {
  const contentEnd = text.trimEnd().length;
  let start = Math.min(from, Math.max(0, contentEnd - 1));
  const line = lineAround(text, start);
  const content = text.slice(line.start, line.end);
  const contentStart = line.start + (content.length - content.trimStart().length);
  const lineContentEnd = line.start + content.trimEnd().length;
  if (lineContentEnd > contentStart && (start < contentStart || start >= lineContentEnd)) return { start: contentStart, end: lineContentEnd };
  let end = Math.max(start, Math.min(to, Math.max(contentEnd, start + 1)));
  if (line.end > start) end = Math.min(end, line.end);
  start = Math.min(start, end);
  return { start, end: end > start ? end : Math.min(start + 1, text.length) };
}

function withoutFix(finding: SectionFinding): SectionFinding {
  const copy = { ...finding };
  delete copy.fix;
  return copy;
}

/**
 * Runs the rules on every resource of a parsed section. The cross-file rules run apart from the
 * others, so that when only the workspace changes (a keystroke in a Namespace with hundreds of
 * workloads in it) a cached outcome reruns them alone on what was parsed: `rerunCrossFile`.
 */
function analyzeParsedSection(doc: ParsedYaml, text: string, context: SectionContext, source = text): SectionOutcome {
  const view = new YamlView(doc, text, source);
  const subjects = findResources(view, text, '').map((resource) => {
    const pods = findPodSpecs(resource);
    const suppressions = context.environment.config.allowInlineIgnores
      ? readSuppressionAnnotations(view, [resource.metadata, ...pods.map((pod) => pod.podMetadata)])
      : new Map<string, Suppression>();
    const subject: KubernetesSubject = { resource, pods, admissionViolations: admissionEvaluator(resource, pods, text, view, context) };
    return { subject, suppressions };
  });
  const run = (rules: readonly KubernetesRule[], environment: SectionContext['environment']): SectionFindings => {
    const findings: SectionFinding[] = [];
    const failures: string[] = [];
    for (const { subject, suppressions } of subjects) {
      const ruleFailures = runRules(rules, subject, {
        environment,
        newEditor: () => new YamlEditor(text, view, context.isJson),
        withFixes: context.withFixes,
        sink: (finding) => {
          const suppression = suppressions.get(finding.ruleId) ?? suppressions.get('*');
          findings.push(suppression ? { ...finding, suppression } : finding);
        },
        describeSubject: () => `${subject.resource.kind} ${subject.resource.name ?? ''}`,
      });
      failures.push(...ruleFailures);
    }
    return { findings, failures };
  };
  const crossFileRules = context.rules.filter((rule) => rule.meta.crossFile === true);
  const ownRules = context.rules.filter((rule) => rule.meta.crossFile !== true);
  const ownView = context.environment.workspace.scoped();
  const own = run(ownRules, { ...context.environment, workspace: ownView });
  const crossFile = run(crossFileRules, context.environment);
  const workspaceReads = [...context.environment.workspace.reads];
  const outcome: SectionOutcome = {
    isKubernetes: subjects.length > 0,
    findings: [...own.findings, ...crossFile.findings],
    failures: [...own.failures, ...crossFile.failures],
    workspaceReads,
    workspaceStamp: context.environment.workspace.stampOf(workspaceReads),
    today: context.environment.today,
    ...(context.withFixes ? {} : { fixesLeftOut: true as const }),
  };
  // Only when the other rules read nothing of the workspace do their findings outlive a change in it.
  if (workspaceReads.length > 0 && ownView.reads.size === 0) {
    outcome.rerunCrossFile = (workspace) => {
      const again = run(crossFileRules, { ...context.environment, workspace });
      return { findings: [...own.findings, ...again.findings], failures: [...own.failures, ...again.failures] };
    };
  }
  return outcome;
}

/** The rules that enforce each PSS level's controls: baseline's, and restricted's on top. */
const ADMISSION_RULES: Record<'baseline' | 'restricted', readonly KubernetesRule[]> = {
  baseline: KUBERNETES_RULES.filter((rule) => rule.meta.pssControl !== undefined && rule.meta.profile === 'baseline'),
  restricted: KUBERNETES_RULES.filter((rule) => rule.meta.pssControl !== undefined && (rule.meta.profile === 'baseline' || rule.meta.profile === 'restricted')),
};

/**
 * Runs the PSS rules of a level on one workload, as Pod Security Admission would judge it: under
 * that profile with no per-rule overrides, and without suppressions (PSA honours neither). Asked
 * only by cross-file rules, for workloads in a namespace with admission labels; once per level.
 */
export function admissionEvaluator(
  resource: KubeResource,
  pods: readonly PodSpecSite[],
  text: string,
  view: YamlView,
  context: SectionContext,
): KubernetesSubject['admissionViolations'] {
  const byLevel = new Map<string, AdmissionViolation[]>();
  return (level, version) => {
    const key = `${level}@${version ?? 'latest'}`;
    const known = byLevel.get(key);
    if (known) return known;
    const violations: AdmissionViolation[] = [];
    const config = { ...context.environment.config, profile: level, rules: {} };
    const environment = { ...context.environment, config, ...(version === undefined ? {} : { pssVersion: version }) };
    const subject: KubernetesSubject = { resource, pods, admissionViolations: () => [] };
    runRules(ADMISSION_RULES[level], subject, {
      environment,
      newEditor: () => new YamlEditor(text, view, context.isJson),
      withFixes: context.withFixes,
      sink: (finding) => {
        const meta = REGISTRY.get(finding.ruleId)?.meta;
        violations.push({
          ruleId: finding.ruleId,
          control: meta?.pssControl ?? finding.ruleId,
          ...(meta?.pssSince ? { since: meta.pssSince } : {}),
          fixable: finding.fix?.partOfHarden === true,
          ...(finding.containerKey !== undefined ? { containerKey: finding.containerKey } : {}),
        });
      },
    });
    byLevel.set(key, violations);
    return violations;
  };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '');
}

/** The parser's report when a document nests deeper than the call stack allows. */
const STACK_EXHAUSTED = /Maximum call stack size exceeded/;

export interface KubernetesFileInput {
  environment: RuleEnvironment & { workspace: RecordingView };
  rules: readonly KubernetesRule[];
  cache?: SectionCache | undefined;
  recover: boolean;
  /** False for files only shown, never fixed (closed files in the editor): no fix is computed. */
  withFixes: boolean;
}

/** `text` has no BOM; `lines` indexes it. */
export function analyzeKubernetesFile(text: string, lines: LineIndex, isJson: boolean, input: KubernetesFileInput): RawAnalysis {
  const prepared = prepareHelmTemplate(input.environment.path, text);
  if (prepared.skipped) return { isKubernetes: true, findings: [], failures: [], skipped: prepared.skipped, blocks: [] };
  const result = analyzeSections(lines, prepared, isJson, input);
  // Outside a chart, `{{ … }}` may be plain YAML after all (flow maps): when masking made the
  // file unreadable and the text as written parses, it is read as written.
  if (result.skipped !== undefined && prepared.isTemplate && !isChartTemplatePath(input.environment.path)) {
    const plain = analyzeSections(lines, { text, isTemplate: false }, isJson, input);
    if (plain.skipped === undefined && !plain.sections?.some((section) => section.outcome.findings.some((finding) => finding.ruleId === parseError.meta.id))) return plain;
  }
  return result;
}

/** `lines` indexes the file text, which masking leaves at the same offsets as `prepared.text`. */
function analyzeSections(lines: LineIndex, prepared: PreparedYaml, isJson: boolean, input: KubernetesFileInput): RawAnalysis {
  const sections: PlacedSection[] = [];
  const failures: string[] = [];
  const blocks: Span[] = [];
  const unparsed: Span[] = [];
  // A template's masked text says too little to guess around a broken line: it is skipped whole.
  const recover = input.recover && !prepared.isTemplate;
  let isKubernetes = false;
  let unreadable: SkipReason | undefined;
  // YAML 1.2 reads a lone CR as a line break but the parser does not; LF has the same length.
  const parseText = prepared.text.includes('\r') ? prepared.text.replace(/\r(?!\n)/g, '\n') : prepared.text;
  splitYamlSections(parseText).forEach((section, index) => {
    // A template's messages quote its actions, so its results depend on the text as written too.
    const source = prepared.isTemplate ? lines.text.slice(section.start, section.start + section.text.length) : section.text;
    const cacheKey = prepared.isTemplate ? `${section.text}\u0000${source}` : section.text;
    const cached = input.cache?.get(cacheKey);
    // A result cached on another day may be out of date: a release can have reached its end of life since.
    // An outcome without fixes serves only analyses that want none.
    let outcome = cached && isSectionOutcome(cached) && cached.today === input.environment.today && !(input.withFixes && cached.fixesLeftOut) ? cached : undefined;
    if (outcome && outcome.workspaceReads.length > 0 && input.environment.workspace.stampOf(outcome.workspaceReads) !== outcome.workspaceStamp) {
      // What the section read of the workspace changed since: its cross-file findings are stale.
      outcome = outcome.rerunCrossFile ? rerunCrossFile(outcome, outcome.rerunCrossFile, input.environment.workspace) : undefined;
      if (outcome) input.cache?.set(cacheKey, outcome);
    }
    if (outcome) {
      input.environment.workspace.note(outcome.workspaceReads);
    } else {
      const environment = { ...input.environment, workspace: input.environment.workspace.scoped() };
      outcome = analyzeKubernetesSection(section.text, { environment, rules: input.rules, isJson, recover, withFixes: input.withFixes }, source);
      input.cache?.set(cacheKey, outcome);
    }
    if (outcome.syntaxError && unreadable === undefined) {
      const line = lines.positionAt(section.start + outcome.syntaxError.offset).line + 1;
      if (STACK_EXHAUSTED.test(outcome.syntaxError.message)) {
        unreadable = { messageId: 'tooDeep', data: { line } };
      } else if (prepared.isTemplate) {
        // A masked template that does not parse says nothing about the YAML Helm renders from it.
        unreadable = unreadableTemplateReason(line, outcome.syntaxError.message);
      }
    }
    isKubernetes ||= outcome.isKubernetes;
    failures.push(...outcome.failures);
    blocks.push({ start: section.start, end: section.start + section.text.length });
    if (outcome.unparsed) unparsed.push({ start: section.start, end: section.start + section.text.length });
    sections.push({ start: section.start, index, outcome });
  });
  if (unreadable !== undefined) {
    return { isKubernetes: true, findings: [], failures, skipped: unreadable, blocks: [], unparsed: [{ start: 0, end: prepared.text.length }] };
  }
  return { isKubernetes, findings: [], sections, failures, blocks, unparsed };
}
/** A cached section outcome with its cross-file rules run again against the workspace as it is now. */
function rerunCrossFile(outcome: SectionOutcome, rerun: NonNullable<SectionOutcome['rerunCrossFile']>, fileView: RecordingView): SectionOutcome {
  const view = fileView.scoped();
  const { findings, failures } = rerun(view);
  const workspaceReads = [...view.reads];
  // A new object: the placed findings (`placed`) of the old one are stale too.
  return { ...outcome, placed: undefined, findings, failures, workspaceReads, workspaceStamp: fileView.stampOf(workspaceReads), rerunCrossFile: rerun };
}

/** Every section's findings with offsets into the file. */
export function findingsInFile(sections: readonly PlacedSection[]): SectionFinding[] {
  return sections.flatMap((section) => section.outcome.findings.map((finding) => shiftFinding(finding, section.start, section.index)));
}

/**
 * A section's findings placed in the file: `place` turns a finding (offsets into the file) into
 * a Finding; the result is kept with the cached outcome and reused while the section stays where
 * it is (most of a document at every keystroke), or moved as a whole when only its position
 * changed. `context` names whatever else `place` read; `place` must not read other sections.
 */
export function placeSection(section: PlacedSection, lines: LineIndex, context: string, place: (finding: SectionFinding) => Finding): Finding[] {
  const line = lines.positionAt(section.start).line;
  const memo = section.outcome.placed;
  if (memo && memo.index === section.index && memo.context === context) {
    if (memo.start === section.start && memo.line === line) return memo.findings;
    const findings = memo.findings.map((finding) => moveFinding(finding, section.start - memo.start, line - memo.line));
    section.outcome.placed = { start: section.start, line, index: section.index, context, findings };
    return findings;
  }
  const findings = section.outcome.findings.map((finding) => place(shiftFinding(finding, section.start, section.index))).sort(compareFindings);
  section.outcome.placed = { start: section.start, line, index: section.index, context, findings };
  return findings;
}

/**
 * A finding of a section that moved by `offset` characters and `lines` lines. Sections start at
 * the start of a line, so columns never change; a finding that kept its line keeps its range.
 * Built field by field (three times faster than a spread, and this runs for thousands of
 * findings per keystroke): a new Finding field must be carried here too, which
 * test/unit/placement.test.ts checks against a fresh analysis.
 */
function moveFinding(finding: Finding, offset: number, lines: number): Finding {
  const moved: Finding = {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    severity: finding.severity,
    message: finding.message,
    range: lines === 0 ? finding.range : moveRange(finding.range, lines),
    span: { start: finding.span.start + offset, end: finding.span.end + offset },
  };
  const { fix, related, suppression, containerKey, details, hardenAll } = finding;
  if (fix) moved.fix = offset === 0 ? fix : moveFix(fix, offset);
  // Related locations in other files stay where they are.
  if (related) moved.related = lines === 0 ? related : related.map((r) => (r.file === undefined ? { ...r, range: moveRange(r.range, lines) } : r));
  if (suppression) moved.suppression = suppression;
  if (containerKey !== undefined) moved.containerKey = containerKey;
  if (details !== undefined) moved.details = details;
  if (hardenAll !== undefined) moved.hardenAll = hardenAll;
  return moved;
}

function moveRange(range: Range, lines: number): Range {
  return { start: { line: range.start.line + lines, character: range.start.character }, end: { line: range.end.line + lines, character: range.end.character } };
}

function moveEdits(edits: readonly OffsetEdit[], offset: number): OffsetEdit[] {
  return edits.map((edit) => ({ start: edit.start + offset, end: edit.end + offset, text: edit.text }));
}

function moveFix(fix: Fix, offset: number): Fix {
  return { ...fix, edits: moveEdits(fix.edits, offset) };
}


export function shiftFinding(finding: SectionFinding, offset: number, section: number): SectionFinding {
  // Container keys are per section; in the file they carry the section's index.
  const key = (containerKey: string): string => `${section}:${containerKey}`;
  const shifted = offset === 0 ? { ...finding } : shiftSectionFinding(finding, offset);
  if (finding.containerKey !== undefined) shifted.containerKey = key(finding.containerKey);
  if (finding.hardenAll) shifted.hardenAll = { ...finding.hardenAll, containerKeys: finding.hardenAll.containerKeys.map(key) };
  return shifted;
}
