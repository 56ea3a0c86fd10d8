/**
 * Kustomize builds: each top-level kustomization is built in memory (kustomize/), every built
 * object is walked and handed to the rules through the one runner, and each finding is mapped
 * back to the file and span that provide the offending value. Findings are grouped by where they
 * land, with the builds in which each occurs; a problem with a build is a `kustomize-error` on
 * the kustomization line that causes it.
 */
import { Document } from 'yaml';
import type { Range, Span, Suppression } from '../types';
import { LineIndex, stripBom } from '../source/text';
import type { EngineConfig } from '../config';
import type { KubernetesRule, KubernetesSubject } from '../rules/define';
import { describeError, runRules, type SectionFinding } from '../run';
import { YamlView } from '../source/yaml-view';
import { findPodSpecs, findResources } from '../kubernetes/walker';
import { readSuppressionAnnotations } from '../suppression/annotations';
import type { RecordingView } from '../workspace/model';
import { buildKustomization, type BuildOutput } from '../kustomize/build';
import { admissionEvaluator } from './kubernetes';
import { kustomizeError } from '../rules/engine-findings';
import { KUSTOMIZE_INFO_MESSAGES } from '../kustomize/messages';
import { SourceSet, type KustomizeCache } from '../kustomize/sources';

/** A finding at one place of one file, with the builds it occurs in. */
export interface PlacedFinding {
  finding: SectionFinding;
  /** Top-level kustomization files of the builds where it occurs, in build order. */
  builds: string[];
}

export interface KustomizeRawAnalysis {
  /** Findings by the file they land in; spans are that file's offsets (without BOM). */
  byFile: Map<string, PlacedFinding[]>;
  /** Every file each build read, by build. */
  membersOf: Map<string, Set<string>>;
  /** The builds that read each file. */
  buildsOf: Map<string, string[]>;
  /** The resources each build produced, for fixes that patch an overlay. */
  outputs: Map<string, BuildOutput>;
  failures: string[];
}

export interface KustomizeBuildsContext {
  builds: readonly string[];
  files: ReadonlyMap<string, string>;
  /** The configuration a build's rules run under (that of its top-level kustomization). */
  configFor: (build: string) => EngineConfig;
  rulesFor: (config: EngineConfig) => readonly KubernetesRule[];
  today: string;
  workspace: RecordingView;
  cache?: KustomizeCache | undefined;
}

export function analyzeBuilds(context: KustomizeBuildsContext): KustomizeRawAnalysis {
  const sources = new SourceSet(context.files, context.cache);
  context.cache?.sweep();
  const outputs = new Map<string, BuildOutput>();
  const failures: string[] = [];
  for (const build of context.builds) {
    try {
      outputs.set(build, buildKustomization(build, sources));
    } catch (cause) {
      // One build never takes the others (or the scan) down: it is reported, and skipped.
      failures.push(`the Kustomize build of ${build} failed: ${describeError(cause)}`);
      const at = sources.place(build)?.start ?? 0;
      const problem = { span: { start: at, end: at }, messageId: 'internalFailure' as const };
      outputs.set(build, { path: build, resources: [], problems: [problem], files: new Set([build]) });
    }
  }
  // Every file is placed now: the virtual text is final and shared by all builds.
  const text = sources.text;
  const byFile = new Map<string, PlacedFinding[]>();
  const membersOf = new Map<string, Set<string>>();
  const buildsOf = new Map<string, string[]>();
  /** `path rule message-id start end` → the placed finding, to merge its occurrences. */
  const placed = new Map<string, PlacedFinding>();
  const lineIndexes = new Map<string, LineIndex>();

  const place = (build: string, finding: SectionFinding): void => {
    const at = sources.locate(finding.span);
    if (!at) return;
    const key = `${at.path}\u0000${finding.ruleId}\u0000${finding.messageId}\u0000${at.span.start}\u0000${at.span.end}`;
    const known = placed.get(key);
    if (known) {
      if (!known.builds.includes(build)) known.builds.push(build);
      return;
    }
    const local: SectionFinding = { ...finding, span: at.span };
    delete local.fix;
    const related: NonNullable<SectionFinding['related']> = [];
    for (const item of finding.related ?? []) {
      if (!('span' in item)) {
        related.push(item);
        continue;
      }
      const where = sources.locate(item.span);
      if (!where) continue;
      if (where.path === at.path) related.push({ span: where.span, message: item.message });
      else related.push({ file: where.path, range: rangeInFile(context.files, lineIndexes, where.path, where.span), message: item.message });
    }
    if (related.length > 0) local.related = related;
    else delete local.related;
    const entry: PlacedFinding = { finding: local, builds: [build] };
    placed.set(key, entry);
    const list = byFile.get(at.path);
    if (list) list.push(entry);
    else byFile.set(at.path, [entry]);
  };

  for (const [build, output] of outputs) {
    membersOf.set(build, output.files);
    for (const file of output.files) buildsOf.set(file, [...(buildsOf.get(file) ?? []), build]);
    for (const problem of output.problems) {
      const finding = kustomizeError.at(problem.span, problem.messageId, problem.data);
      place(build, KUSTOMIZE_INFO_MESSAGES.has(problem.messageId) ? { ...finding, severity: 'info' } : finding);
    }
    const config = context.configFor(build);
    const rules = context.rulesFor(config);
    const environment = { config, today: context.today, workspace: context.workspace, path: build };
    output.resources.forEach((built, index) => {
      const doc = new Document();
      doc.contents = built.root;
      const view = new YamlView(doc, text);
      for (const resource of findResources(view, text, `${index}`)) {
        const pods = findPodSpecs(resource);
        const suppressions = config.allowInlineIgnores
          ? readSuppressionAnnotations(view, [resource.metadata, ...pods.map((pod) => pod.podMetadata)])
          : new Map<string, Suppression>();
        // Pod Security Admission judges the built object too (a cross-file rule asks); its fixes are not wanted.
        const admission = { environment: { ...environment, workspace: context.workspace }, rules, isJson: true, recover: false, withFixes: false };
        const subject: KubernetesSubject = { resource, pods, admissionViolations: admissionEvaluator(resource, pods, text, view, admission) };
        failures.push(
          ...runRules(rules, subject, {
            environment,
            // No editor: fixes are computed on the file that holds the value (a built object is no text to edit).
            sink: (finding) => {
              const suppression = suppressions.get(finding.ruleId) ?? suppressions.get('*');
              place(build, suppression ? { ...finding, suppression } : finding);
            },
            describeSubject: () => `${resource.kind} ${resource.name ?? ''} in the build of ${build}`,
          }),
        );
      }
    });
  }
  return { byFile, membersOf, buildsOf, outputs, failures };
}

function rangeInFile(files: ReadonlyMap<string, string>, indexes: Map<string, LineIndex>, path: string, span: Span): Range {
  let lines = indexes.get(path);
  if (!lines) {
    lines = new LineIndex(stripBom(files.get(path) ?? '').text);
    indexes.set(path, lines);
  }
  return lines.rangeOf(span);
}
