import type { HardenAll, Profile, ReportData, Severity, Span } from '../types';
import type { ContainerSite, KubeResource, PodSpecSite } from '../kubernetes/walker';
import type { YamlEditor } from '../fix/yaml-edits';
import type { EngineConfig } from '../settings/definition';
import type { Run } from 'dockerfile-ast';
import type { DockerfileModel } from '../parse/dockerfile';
import type { ShellScript } from '../shell/parse';
import type { DockerfileEditor } from '../fix/dockerfile-edits';
import type { WorkspaceView } from '../workspace/model';
import type { FactLocation } from '../workspace/facts';
import type { ComposeFile } from '../compose/services';

export type RuleKind = 'kubernetes' | 'dockerfile' | 'compose' | 'kubernetes+dockerfile' | 'kubernetes+dockerfile+compose' | 'engine';

/** Everything the docs, the CLI, SARIF and the editor say about a rule, kept beside its check. */
export interface RuleMeta {
  /** Public API: diagnostics `code`, SARIF `ruleId`, config keys and suppression comments. */
  id: string;
  kind: RuleKind;
  /** One line, sentence case, no trailing period: SARIF shortDescription and hover title. */
  title: string;
  /** Why it matters, in two or three sentences: SARIF fullDescription and hover body. */
  description: string;
  severity: Severity;
  /** A second severity some findings of the rule use (e.g. unset: warning, explicit true: error). */
  alternateSeverity?: Severity;
  /** Smallest profile that enables the rule; `always` for findings no profile turns off. */
  profile: Profile | 'always';
  /** Title of the quick fix, when the rule offers one. */
  fix?: string;
  /**
   * The fix never changes what a working app can do at run time, so `source.fixAll.shipshape`
   * may apply it on save (RULES.md, "Fix-all"); every other fix waits for a person to choose it.
   */
  safeFix?: boolean;
  /**
   * With `safeFix`: when fix-all applies the fix, if not always (the finding's fix request says
   * `safe: false` otherwise); docs and the README list it.
   */
  safeFixOnlyWhen?: string;
  /**
   * The fix is part of "Harden container", which applies every such fix of one container at once
   * and must give a spec that passes PSS restricted and that the API accepts (RULES.md).
   */
  hardening?: boolean;
  /** Message templates by id; `{name}` placeholders are filled from the report's data. */
  messages: Record<string, string>;
  /** The Pod Security Standards control the rule enforces, when it enforces one. */
  pssControl?: string;
  /**
   * The first PSS version (`v1.N`) whose Pod Security Admission enforces the control, when it is
   * younger than v1.0: a namespace pinned to an older version (`enforce-version`) does not check it.
   */
  pssSince?: string;
  /**
   * The rule reads other files through the workspace model (images built here, namespaces,
   * service accounts): hosts build the model only when such a rule is on.
   */
  crossFile?: boolean;
}

export interface FixRequest<E> {
  /** Defaults to the rule's `meta.fix`. */
  title?: string;
  /** Applies the edit; an editor refuses targets behind aliases, Helm actions or in JSON. */
  apply: (edit: E) => void;
  /**
   * False when this finding's fix needs a person's decision although the rule's fixes are
   * usually safe (`meta.safeFix`): it stays a quick fix, out of fix-all and `--fix`.
   */
  safe?: boolean;
}

export interface Report<E> {
  messageId: string;
  data?: ReportData;
  /** Offsets into the analysed section's text. */
  at: Span;
  /** Only for the rule's `alternateSeverity`; otherwise the rule's own severity applies. */
  severity?: Severity;
  /**
   * The smallest profile this finding belongs to, when it is larger than the rule's own profile
   * (RULES.md proc-mount-unmasked: in a user namespace only restricted forbids it).
   */
  fromProfile?: Profile;
  fix?: FixRequest<E>;
  /** Other places the finding concerns: in this text (`at`), or in another file of the workspace (`in`). */
  related?: Array<{ at: Span; message: string } | { in: FactLocation; message: string }>;
  /** Groups the finding with its container's others ("Harden container"). */
  containerKey?: string;
  /** More than the message holds, as Markdown, for the editor's hover (e.g. the supported releases). */
  details?: string;
  /** "Harden all containers" for a finding about a whole workload (see Finding.hardenAll). */
  hardenAll?: HardenAll;
}

/** What every rule of one analysis runs with, besides its subject. */
export interface RuleEnvironment {
  config: EngineConfig;
  /** The scan's date, `YYYY-MM-DD` in UTC: what date-bound rules (end of life) compare with. */
  today: string;
  /** What other files of the workspace say; empty when the host gave no workspace. */
  workspace: WorkspaceView;
  /** The analysed file's path as the host gave it (cross-file rules compare it with other files' facts). */
  path: string;
  /**
   * Set when a workload is judged as Pod Security Admission of that version would judge it (the
   * minor of `v1.N`, from a namespace's `enforce-version`); undefined: the newest version.
   */
  pssVersion?: number;
}

export interface RuleContext<E> extends RuleEnvironment {
  report(report: Report<E>): void;
}

export type KubeRuleContext = RuleContext<YamlEditor>;
export type DockerfileRuleContext = RuleContext<DockerfileEditor>;
export type ComposeRuleContext = RuleContext<YamlEditor>;

/** What a Kubernetes rule is called with: one resource, its pod specs and containers already found and resolved. */
export interface KubernetesSubject {
  resource: KubeResource;
  pods: readonly PodSpecSite[];
  /**
   * What Pod Security Admission at `level` would object to in this workload: the findings of the
   * rules that enforce that level's PSS controls (`pssControl`), whatever the configuration says.
   */
  admissionViolations(level: 'baseline' | 'restricted', version?: number): readonly AdmissionViolation[];
}

/** A PSS control a workload breaks, as one of the rules enforcing it found it. */
export interface AdmissionViolation {
  ruleId: string;
  control: string;
  /** `v1.N` from which PSA checks it (see `pssSince`). */
  since?: string;
  /** The rule offers a hardening fix for it. */
  fixable: boolean;
  containerKey?: string;
}

export interface KubernetesRule {
  meta: RuleMeta & { kind: 'kubernetes' };
  /** Called once per resource. */
  check(subject: KubernetesSubject, context: KubeRuleContext): void;
}

export interface DockerfileRule {
  meta: RuleMeta & { kind: 'dockerfile' };
  check(dockerfile: DockerfileModel, context: DockerfileRuleContext): void;
  /**
   * Findings about one RUN that read nothing but its scripts. The engine keeps them between
   * analyses of a document by the instruction's text, so a keystroke re-checks only the RUN it
   * touched (reading RUN scripts is most of a Dockerfile's rule work).
   */
  checkRun?(run: Run, scripts: readonly ShellScript[], context: DockerfileRuleContext): void;
}

/** A rule about a Compose file: its services, read once. */
export interface ComposeRule {
  meta: RuleMeta & { kind: 'compose' };
  check(compose: ComposeFile, context: ComposeRuleContext): void;
}

/** What an engine finding says before it is placed in a file's lines: offsets only. */
export interface EngineReport {
  ruleId: string;
  messageId: string;
  severity: Severity;
  message: string;
  span: Span;
}

/** A finding the engine itself reports (parse-error, config-error, ...): its metadata and its one constructor. */
export interface EngineFinding<MessageId extends string = string> {
  meta: RuleMeta & { kind: 'engine'; messages: Record<MessageId, string> };
  /** The finding with its declared message `messageId`, filled from `data`, at `span`. */
  at(span: Span, messageId: MessageId, data?: ReportData): EngineReport;
}

/**
 * One rule id that means the same in several file kinds (invalid-image-reference: an image named
 * by a container or by a FROM; image-vulnerable: by a compose service too), with a check for each;
 * the registry gives each analyser its own.
 */
export interface KubernetesAndDockerfileRule {
  meta: RuleMeta & { kind: 'kubernetes+dockerfile' | 'kubernetes+dockerfile+compose' };
  kubernetes: KubernetesRule;
  dockerfile: DockerfileRule;
  compose?: ComposeRule;
}

export type RuleDefinition = KubernetesRule | DockerfileRule | ComposeRule | KubernetesAndDockerfileRule | EngineFinding;

type KubeMeta = Omit<RuleMeta, 'kind'>;

/** A rule that looks at each container of each pod spec. */
export function defineContainerRule(rule: {
  meta: KubeMeta;
  check(container: ContainerSite, context: KubeRuleContext): void;
}): KubernetesRule {
  return {
    meta: { ...rule.meta, kind: 'kubernetes' },
    check({ pods }, context) {
      for (const pod of pods) {
        for (const container of pod.containers) {
          rule.check(container, withContainerKey(context, container.key));
        }
      }
    },
  };
}

/** A rule that looks at each pod spec once (pod-level fields). */
export function definePodRule(rule: { meta: KubeMeta; check(pod: PodSpecSite, context: KubeRuleContext): void }): KubernetesRule {
  return {
    meta: { ...rule.meta, kind: 'kubernetes' },
    check({ pods }, context) {
      for (const pod of pods) rule.check(pod, context);
    },
  };
}

/** A rule about a workload as a whole: the resource with its pod specs and containers. */
export function defineWorkloadRule(rule: { meta: KubeMeta; check(workload: KubernetesSubject, context: KubeRuleContext): void }): KubernetesRule {
  return { meta: { ...rule.meta, kind: 'kubernetes' }, check: rule.check };
}

/** A rule about a whole resource (Secrets, RBAC objects, ...). */
export function defineResourceRule(rule: {
  meta: KubeMeta;
  check(resource: KubeResource, context: KubeRuleContext): void;
}): KubernetesRule {
  return {
    meta: { ...rule.meta, kind: 'kubernetes' },
    check({ resource }, context) {
      rule.check(resource, context);
    },
  };
}

/** A rule needs `check`, `checkRun` or both. */
export function defineDockerfileRule(rule: {
  meta: Omit<RuleMeta, 'kind'>;
  check?(dockerfile: DockerfileModel, context: DockerfileRuleContext): void;
  checkRun?(run: Run, scripts: readonly ShellScript[], context: DockerfileRuleContext): void;
}): DockerfileRule {
  const { check, checkRun } = rule;
  if (!check && !checkRun) throw new Error(`rule ${rule.meta.id} checks nothing`);
  return { meta: { ...rule.meta, kind: 'dockerfile' }, check: check ?? (() => undefined), ...(checkRun ? { checkRun } : {}) };
}

export function defineComposeRule(rule: { meta: Omit<RuleMeta, 'kind'>; check(compose: ComposeFile, context: ComposeRuleContext): void }): ComposeRule {
  return { meta: { ...rule.meta, kind: 'compose' }, check: rule.check };
}

/** Joins a Kubernetes, a Dockerfile and optionally a Compose rule built from the same meta under one registry entry. */
export function defineKubernetesAndDockerfileRule(rules: { kubernetes: KubernetesRule; dockerfile: DockerfileRule; compose?: ComposeRule }): KubernetesAndDockerfileRule {
  const ids = [rules.kubernetes.meta.id, rules.dockerfile.meta.id, ...(rules.compose ? [rules.compose.meta.id] : [])];
  if (new Set(ids).size !== 1) throw new Error(`A rule's checks for each file kind must share one id: ${ids.join(' / ')}`);
  return { meta: { ...rules.kubernetes.meta, kind: rules.compose ? 'kubernetes+dockerfile+compose' : 'kubernetes+dockerfile' }, ...rules };
}

export function defineEngineFinding<MessageId extends string>(
  meta: Omit<RuleMeta, 'kind' | 'profile' | 'messages'> & { messages: Record<MessageId, string> },
): EngineFinding<MessageId> {
  return {
    meta: { ...meta, kind: 'engine', profile: 'always' },
    at: (span, messageId, data) => ({ ruleId: meta.id, messageId, severity: meta.severity, message: formatMessage(meta.messages[messageId], data), span }),
  };
}

function withContainerKey(context: KubeRuleContext, containerKey: string): KubeRuleContext {
  return { ...context, report: (report) => context.report({ containerKey, ...report }) };
}

/** Fills `{name}` placeholders; unknown placeholders stay visible so a typo shows in tests. */
export function formatMessage(template: string, data: ReportData | undefined): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = data?.[key];
    return value === undefined ? whole : String(value);
  });
}
