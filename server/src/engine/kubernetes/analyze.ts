import type { YAMLError } from 'yaml';
import type { Span, Suppression } from '../types';
import type { EngineConfig } from '../config';
import type { KubernetesRule } from '../rules/define';
import { createReporter, describeError, type SectionFinding } from '../rules/report';
import { mayHoldKind, parseYamlSection, sniffSection, type ParsedYaml, type SectionSniff } from '../parse/yaml';
import { lineAround, recoverYamlSection } from '../parse/yaml-recovery';
import { YamlView } from '../source/yaml-view';
import { YamlEditor } from '../fix/yaml-edits';
import { findPodSpecs, findResources } from './walker';
import { readSuppressionAnnotations } from './annotations';

export interface SectionOutcome {
  /** The section holds a Kubernetes object (or could, but failed to parse). */
  isKubernetes: boolean;
  findings: SectionFinding[];
  /** Rules that threw, with the error, so callers can log them; the other rules still ran. */
  failures: string[];
  /** The parser's first complaint, when the section does not parse (also a parse-error finding). */
  syntaxError?: { message: string; offset: number };
  /** The section did not parse and no rule read it (only its parse-error is reported). */
  unparsed?: boolean;
}

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
  config: EngineConfig;
  /** Analyse a section around the lines that do not parse (the editor, while a line is typed). */
  recover: boolean;
  rules: readonly KubernetesRule[];
  isJson: boolean;
  allowInlineIgnores: boolean;
}

export function analyzeKubernetesSection(text: string, context: SectionContext): SectionOutcome {
  // One sniff serves the skip decision and the verdict: skipped sections are often the largest (CRDs).
  const sniff = sniffSection(text);
  if (!needsAnalysis(text, sniff)) {
    return { isKubernetes: sniff.kind !== undefined && sniff.hasApiVersion, findings: [], failures: [] };
  }
  const parsed = parseYamlSection(text);
  const looksKubernetes = /(^|["'\s{,])apiVersion["']?\s*:/m.test(text) && /(^|["'\s{,])kind["']?\s*:/m.test(text);
  const error = parsed.errors[0];
  if (error && !looksKubernetes) return { isKubernetes: false, findings: [], failures: [] };
  const recovered = error && context.recover ? recoverYamlSection(text, error.pos[0]) : undefined;
  if (error && !recovered) {
    return { ...syntaxErrorOutcome(text, error, context.recover ? 'The document is not analysed again until it parses.' : 'This document is not analysed until it parses.'), unparsed: true };
  }
  const outcome = analyzeParsedSection(recovered?.doc ?? parsed, recovered?.text ?? text, context);
  if (!error || !recovered) return outcome;
  // No fix is offered in a document that does not parse: its edits could not be checked.
  const findings = outcome.findings.map(withoutFix);
  const broken = syntaxErrorOutcome(text, error, 'Until it parses, the document is analysed without this line.');
  return { ...outcome, findings: [...broken.findings, ...findings], syntaxError: broken.syntaxError, isKubernetes: true };
}

/** The section's one parse-error finding, on the line the parser named. */
function syntaxErrorOutcome(text: string, error: YAMLError, consequence: string): SectionOutcome {
  const span = syntaxErrorSpan(text, error.pos);
  const message = firstLine(error.message);
  return {
    isKubernetes: true,
    findings: [{ ruleId: 'parse-error', messageId: 'syntax', severity: 'error', message: `YAML syntax error: ${message}. ${consequence}`, span }],
    failures: [],
    syntaxError: { message, offset: span.start },
  };
}

/**
 * Where a parser error is shown: from its position to the end of that line at most, so a key
 * the parser read on into the next line marks only the line being typed. An error found at the
 * end of the section (an unclosed bracket) is shown on its last character.
 */
function syntaxErrorSpan(text: string, [from, to]: readonly [number, number]): Span {
  const contentEnd = text.trimEnd().length;
  let start = Math.min(from, Math.max(0, contentEnd - 1));
  const line = lineAround(text, start);
  const content = text.slice(line.start, line.end);
  const indent = content.length - content.trimStart().length;
  const contentStart = line.start + indent;
  const lineContentEnd = line.start + content.trimEnd().length;
  // In the indentation or past the end of a line that has text: the line's text is what is broken.
  if (lineContentEnd > contentStart && (start < contentStart || start >= lineContentEnd)) return { start: contentStart, end: lineContentEnd };
  let end = Math.max(start, Math.min(to, Math.max(contentEnd, start + 1)));
  if (line.end > start) end = Math.min(end, line.end);
  start = Math.min(start, end);
  return { start, end: end > start ? end : Math.min(start + 1, text.length) };
}

function analyzeParsedSection(doc: ParsedYaml, text: string, context: SectionContext): SectionOutcome {
  const view = new YamlView(doc, text);
  const resources = findResources(view, text, '');
  const findings: SectionFinding[] = [];
  const failures: string[] = [];
  for (const resource of resources) {
    const pods = findPodSpecs(resource);
    const suppressions = context.allowInlineIgnores
      ? readSuppressionAnnotations(view, [resource.metadata, ...pods.map((pod) => pod.podMetadata)])
      : new Map<string, Suppression>();
    for (const rule of context.rules) {
      const report = createReporter(rule.meta, context.config, () => new YamlEditor(text, view, context.isJson), (finding) => {
        const suppression = suppressions.get(rule.meta.id) ?? suppressions.get('*');
        findings.push(suppression ? { ...finding, suppression } : finding);
      });
      try {
        rule.check(resource, pods, { config: context.config, report });
      } catch (cause) {
        failures.push(`rule ${rule.meta.id} failed on ${resource.kind} ${resource.name ?? ''}: ${describeError(cause)}`);
      }
    }
  }
  return { isKubernetes: resources.length > 0, findings, failures };
}

function withoutFix(finding: SectionFinding): SectionFinding {
  const copy = { ...finding };
  delete copy.fix;
  return copy;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/, '');
}
