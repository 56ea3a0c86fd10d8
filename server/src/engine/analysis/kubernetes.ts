/**
 * Kubernetes YAML (and JSON) files: split into `---` sections, each sniffed, parsed and walked
 * on its own (an edit re-parses only the section it touched), then the rules run on every
 * resource through the one rule runner.
 */
import type { Span, Suppression } from '../types';
import type { AdmissionViolation, KubernetesRule, KubernetesSubject, RuleEnvironment } from '../rules/define';
import { KUBERNETES_RULES, REGISTRY } from '../rules';
import { runRules, type SectionFinding } from '../run';
import { mayHoldKind, parseYamlSection, sniffSection, splitYamlSections, type SectionSniff } from '../parse/yaml';
import { prepareHelmTemplate, unreadableTemplateReason, type PreparedYaml } from '../parse/helm';
import { isChartTemplatePath } from '../file-kind';
import type { LineIndex } from '../source/text';
import { YamlView } from '../source/yaml-view';
import { YamlEditor } from '../fix/yaml-edits';
import { findPodSpecs, findResources, type KubeResource, type PodSpecSite } from '../kubernetes/walker';
import { readSuppressionAnnotations } from '../suppression/annotations';
import { isDockerfileCacheEntry } from '../parse/dockerfile-chunks';
import type { RawAnalysis, SectionOutcome } from './raw-analysis';
import type { SectionCache } from './cache';
import type { RecordingView } from '../workspace/model';
import { yamlSyntaxError } from './yaml-syntax';


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

const POD_TEMPLATE_HINT = /containers["']?[ \t]*:/;

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
  if (BUILT_IN_KINDS_WITHOUT_PODS.has(sniff.kind) && isBuiltInApiVersion(sniff.apiVersion)) return false;
  return POD_TEMPLATE_HINT.test(text);
}

export interface SectionContext {
  /** Its workspace records what this section's rules read. */
  environment: RuleEnvironment & { workspace: RecordingView };
  rules: readonly KubernetesRule[];
  isJson: boolean;
}

export function analyzeKubernetesSection(text: string, context: SectionContext): SectionOutcome {
  // One sniff serves the skip decision and the verdict: skipped sections are often the largest (CRDs).
  const sniff = sniffSection(text);
  if (!needsAnalysis(text, sniff)) {
    return { isKubernetes: sniff.kind !== undefined && sniff.hasApiVersion, findings: [], failures: [], workspaceReads: [], today: context.environment.today };
  }
  const doc = parseYamlSection(text);
  const looksKubernetes = /(^|["'\s{,])apiVersion["']?\s*:/m.test(text) && /(^|["'\s{,])kind["']?\s*:/m.test(text);
  const error = doc.errors[0];
  if (error) {
    if (!looksKubernetes) return { isKubernetes: false, findings: [], failures: [], workspaceReads: [], today: context.environment.today };
    const syntax = yamlSyntaxError(text, error);
    return {
      isKubernetes: true,
      findings: [syntax.finding],
      failures: [],
      syntaxError: { message: syntax.message, offset: syntax.offset },
      workspaceReads: [],
      today: context.environment.today,
    };
  }
  const view = new YamlView(doc, text);
  const resources = findResources(view, text, '');
  const findings: SectionFinding[] = [];
  const failures: string[] = [];
  for (const resource of resources) {
    const pods = findPodSpecs(resource);
    const suppressions = context.environment.config.allowInlineIgnores
      ? readSuppressionAnnotations(view, [resource.metadata, ...pods.map((pod) => pod.podMetadata)])
      : new Map<string, Suppression>();
    const subject: KubernetesSubject = { resource, pods, admissionViolations: admissionEvaluator(resource, pods, text, view, context) };
    const ruleFailures = runRules(context.rules, subject, {
      environment: context.environment,
      newEditor: () => new YamlEditor(text, view, context.isJson),
      sink: (finding) => {
        const suppression = suppressions.get(finding.ruleId) ?? suppressions.get('*');
        findings.push(suppression ? { ...finding, suppression } : finding);
      },
      describeSubject: () => `${resource.kind} ${resource.name ?? ''}`,
    });
    failures.push(...ruleFailures);
  }
  return { isKubernetes: resources.length > 0, findings, failures, workspaceReads: [...context.environment.workspace.reads], today: context.environment.today };
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
function admissionEvaluator(
  resource: KubeResource,
  pods: readonly PodSpecSite[],
  text: string,
  view: YamlView,
  context: SectionContext,
): KubernetesSubject['admissionViolations'] {
  const byLevel = new Map<'baseline' | 'restricted', AdmissionViolation[]>();
  return (level) => {
    const known = byLevel.get(level);
    if (known) return known;
    const violations: AdmissionViolation[] = [];
    const environment = { ...context.environment, config: { ...context.environment.config, profile: level, rules: {} } };
    const subject: KubernetesSubject = { resource, pods, admissionViolations: () => [] };
    runRules(ADMISSION_RULES[level], subject, {
      environment,
      newEditor: () => new YamlEditor(text, view, context.isJson),
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
    byLevel.set(level, violations);
    return violations;
  };
}

/** The parser's report when a document nests deeper than the call stack allows. */
const STACK_EXHAUSTED = /Maximum call stack size exceeded/;

export interface KubernetesFileInput {
  environment: RuleEnvironment & { workspace: RecordingView };
  rules: readonly KubernetesRule[];
  cache?: SectionCache | undefined;
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
    if (plain.skipped === undefined && !plain.findings.some((finding) => finding.ruleId === 'parse-error')) return plain;
  }
  return result;
}

/** `lines` indexes the file text, which masking leaves at the same offsets as `prepared.text`. */
function analyzeSections(lines: LineIndex, prepared: PreparedYaml, isJson: boolean, input: KubernetesFileInput): RawAnalysis {
  const findings: SectionFinding[] = [];
  const failures: string[] = [];
  const blocks: Span[] = [];
  let isKubernetes = false;
  let unreadable: string | undefined;
  // YAML 1.2 reads a lone CR as a line break but the parser does not; LF has the same length.
  const parseText = prepared.text.includes('\r') ? prepared.text.replace(/\r(?!\n)/g, '\n') : prepared.text;
  splitYamlSections(parseText).forEach((section, index) => {
    const cached = input.cache?.get(section.text);
    // A result cached on another day may be out of date: a release can have reached its end of life since.
    let outcome = cached && !isDockerfileCacheEntry(cached) && cached.today === input.environment.today ? cached : undefined;
    if (outcome) {
      input.environment.workspace.note(outcome.workspaceReads);
    } else {
      const environment = { ...input.environment, workspace: input.environment.workspace.scoped() };
      outcome = analyzeKubernetesSection(section.text, { environment, rules: input.rules, isJson });
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
    for (const finding of outcome.findings) findings.push(shiftFinding(finding, section.start, index));
  });
  if (unreadable !== undefined) return { isKubernetes: true, findings: [], failures, skipped: unreadable, blocks: [] };
  return { isKubernetes, findings, failures, blocks };
}

/** A finding of section number `section`, which starts at `offset` in the file, with file offsets. */
export function shiftFinding(finding: SectionFinding, offset: number, section: number): SectionFinding {
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
    ...(finding.related ? { related: finding.related.map((r) => ('span' in r ? { span: shift(r.span), message: r.message } : r)) } : {}),
    ...(finding.containerKey !== undefined ? { containerKey: `${section}:${finding.containerKey}` } : {}),
  };
}
