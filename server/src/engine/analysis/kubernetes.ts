/**
 * Kubernetes YAML (and JSON) files: split into `---` sections, each sniffed, parsed and walked
 * on its own (an edit re-parses only the section it touched), then the rules run on every
 * resource through the one rule runner.
 */
import type { Span, Suppression } from '../types';
import type { EngineConfig } from '../config';
import type { KubernetesRule, KubernetesSubject } from '../rules/define';
import { runRules, type SectionFinding } from '../run';
import { mayHoldKind, parseYamlSection, sniffSection, splitYamlSections, type SectionSniff } from '../parse/yaml';
import { prepareHelmTemplate, unreadableTemplateReason, type PreparedYaml } from '../parse/helm';
import { isChartTemplatePath } from '../file-kind';
import type { LineIndex } from '../source/text';
import { YamlView } from '../source/yaml-view';
import { YamlEditor } from '../fix/yaml-edits';
import { findPodSpecs, findResources } from '../kubernetes/walker';
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
  /** The file's path (the section cache lives per document, so it is the same for every cached outcome). */
  path: string;
  config: EngineConfig;
  /** `YYYY-MM-DD`, UTC. */
  today: string;
  rules: readonly KubernetesRule[];
  isJson: boolean;
  allowInlineIgnores: boolean;
  /** Records what this section's rules read of the workspace. */
  workspace: RecordingView;
}

export function analyzeKubernetesSection(text: string, context: SectionContext): SectionOutcome {
  // One sniff serves the skip decision and the verdict: skipped sections are often the largest (CRDs).
  const sniff = sniffSection(text);
  if (!needsAnalysis(text, sniff)) {
    return { isKubernetes: sniff.kind !== undefined && sniff.hasApiVersion, findings: [], failures: [], workspaceReads: [], today: context.today };
  }
  const doc = parseYamlSection(text);
  const looksKubernetes = /(^|["'\s{,])apiVersion["']?\s*:/m.test(text) && /(^|["'\s{,])kind["']?\s*:/m.test(text);
  const error = doc.errors[0];
  if (error) {
    if (!looksKubernetes) return { isKubernetes: false, findings: [], failures: [], workspaceReads: [], today: context.today };
    const syntax = yamlSyntaxError(text, error);
    return {
      isKubernetes: true,
      findings: [syntax.finding],
      failures: [],
      syntaxError: { message: syntax.message, offset: syntax.offset },
      workspaceReads: [],
      today: context.today,
    };
  }
  const view = new YamlView(doc, text);
  const resources = findResources(view, text, '');
  const findings: SectionFinding[] = [];
  const failures: string[] = [];
  for (const resource of resources) {
    const pods = findPodSpecs(resource);
    const suppressions = context.allowInlineIgnores
      ? readSuppressionAnnotations(view, [resource.metadata, ...pods.map((pod) => pod.podMetadata)])
      : new Map<string, Suppression>();
    const subject: KubernetesSubject = { resource, pods };
    const ruleFailures = runRules(context.rules, subject, {
      path: context.path,
      config: context.config,
      today: context.today,
      workspace: context.workspace,
      newEditor: () => new YamlEditor(text, view, context.isJson),
      sink: (finding) => {
        const suppression = suppressions.get(finding.ruleId) ?? suppressions.get('*');
        findings.push(suppression ? { ...finding, suppression } : finding);
      },
      describeSubject: () => `${resource.kind} ${resource.name ?? ''}`,
    });
    failures.push(...ruleFailures);
  }
  return { isKubernetes: resources.length > 0, findings, failures, workspaceReads: [...context.workspace.reads], today: context.today };
}

/** The parser's report when a document nests deeper than the call stack allows. */
const STACK_EXHAUSTED = /Maximum call stack size exceeded/;

export interface KubernetesFileInput {
  path: string;
  config: EngineConfig;
  /** `YYYY-MM-DD`, UTC. */
  today: string;
  rules: readonly KubernetesRule[];
  workspace: RecordingView;
  cache?: SectionCache | undefined;
}

/** `text` has no BOM; `lines` indexes it. */
export function analyzeKubernetesFile(text: string, lines: LineIndex, isJson: boolean, input: KubernetesFileInput): RawAnalysis {
  const prepared = prepareHelmTemplate(input.path, text);
  if (prepared.skipped) return { isKubernetes: true, findings: [], failures: [], skipped: prepared.skipped, blocks: [] };
  const result = analyzeSections(lines, prepared, isJson, input);
  // Outside a chart, `{{ … }}` may be plain YAML after all (flow maps): when masking made the
  // file unreadable and the text as written parses, it is read as written.
  if (result.skipped !== undefined && prepared.isTemplate && !isChartTemplatePath(input.path)) {
    const plain = analyzeSections(lines, { text, isTemplate: false }, isJson, input);
    if (plain.skipped === undefined && !plain.findings.some((finding) => finding.ruleId === 'parse-error')) return plain;
  }
  return result;
}

/** `lines` indexes the file text, which masking leaves at the same offsets as `prepared.text`. */
function analyzeSections(lines: LineIndex, prepared: PreparedYaml, isJson: boolean, input: KubernetesFileInput): RawAnalysis {
  const context = { path: input.path, config: input.config, today: input.today, rules: input.rules, isJson, allowInlineIgnores: input.config.allowInlineIgnores };
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
    let outcome = cached && !isDockerfileCacheEntry(cached) && cached.today === input.today ? cached : undefined;
    if (outcome) {
      input.workspace.note(outcome.workspaceReads);
    } else {
      outcome = analyzeKubernetesSection(section.text, { ...context, workspace: input.workspace.scoped() });
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
