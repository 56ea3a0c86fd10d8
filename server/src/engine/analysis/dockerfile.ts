/**
 * Dockerfiles: parsed once into a stage model (re-parsing only the chunk of instructions an edit
 * touched), syntax errors reported, then the rules run through the one rule runner; what rules
 * find in one RUN alone is kept by the RUN's text, so a keystroke re-checks only the RUN it touched.
 */
import type { Run } from 'dockerfile-ast';
import type { DockerfileRule, RuleEnvironment } from '../rules/define';
import { runRules, shiftSectionFinding, type RunOptions, type SectionFinding } from '../run';
import { allRuns, parseDockerfile, type DockerfileModel } from '../parse/dockerfile';
import { dockerfileCacheKey, type DockerfileCache, type DockerfileCacheEntry } from '../parse/dockerfile-chunks';
import { DockerfileEditor } from '../fix/dockerfile-edits';
import { findDockerfileSyntaxErrors } from './dockerfile-syntax';
import type { RawAnalysis } from './raw-analysis';
import { dockerfileTemplateReason } from '../dockerfile/template';

export function analyzeDockerfile(
  text: string,
  context: { environment: RuleEnvironment; rules: readonly DockerfileRule[]; cache?: DockerfileAnalysisCache | undefined; withFixes: boolean },
): RawAnalysis {
  const model = parseDockerfile(text, context.cache);
  const template = dockerfileTemplateReason(model);
  if (template !== undefined) return { isKubernetes: false, findings: [], failures: [], skipped: template, blocks: [] };
  const findings: SectionFinding[] = findDockerfileSyntaxErrors(model);
  const options: RunOptions<DockerfileEditor> = {
    environment: context.environment,
    newEditor: () => new DockerfileEditor(model),
    withFixes: context.withFixes,
    sink: (finding) => findings.push(finding),
  };
  const failures = runRules(context.rules, model, options);
  const runChecks = context.rules.flatMap((rule) => (rule.checkRun ? [{ meta: rule.meta, checkRun: rule.checkRun }] : []));
  if (runChecks.length > 0) {
    for (const run of allRuns(model)) failures.push(...checkRun(run, model, runChecks, options, context.cache));
  }
  // An ignore comment above an instruction covers all of it.
  const blocks = model.instructions.map((instruction) => model.spanOf(instruction.getRange()));
  return { isKubernetes: false, findings, failures, blocks };
}

type RunCheck = Pick<DockerfileRule, 'meta'> & Required<Pick<DockerfileRule, 'checkRun'>>;

/** What the rules found in one RUN alone, with offsets from where it started then. */
export interface CachedRunFindings {
  kind: 'run-findings';
  start: number;
  findings: SectionFinding[];
  /** Rules that failed on it: reported again each time, like the findings. */
  failures: string[];
}

/** The per-document cache, which keeps RUN findings beside the parser's entries. */
export interface DockerfileAnalysisCache extends DockerfileCache {
  set(key: string, entry: DockerfileCacheEntry | CachedRunFindings): unknown;
}

function isCachedRunFindings(value: unknown): value is CachedRunFindings {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'run-findings';
}

/**
 * The rules' findings about one RUN: from the cache when an instruction with the same text was
 * checked before (moved to where this one starts), else checked now and kept. The cache is made
 * anew whenever the configuration changes, and a RUN's findings depend on nothing else but
 * whether fixes are computed, which is part of the key: findings with fixes also serve an
 * analysis that wants none (a keystroke's, whose fixes are worked out after it is published).
 */
function checkRun(run: Run, model: DockerfileModel, checks: readonly RunCheck[], options: RunOptions<DockerfileEditor>, cache: DockerfileAnalysisCache | undefined): string[] {
  const span = model.spanOf(run.getRange());
  const runText = model.text.slice(span.start, span.end);
  let key = cache && dockerfileCacheKey('RUN-FINDINGS+FIXES', model.escapeChar, runText);
  let cached = key === undefined ? undefined : cache?.get(key);
  if (options.withFixes === false && !isCachedRunFindings(cached)) {
    key = cache && dockerfileCacheKey('RUN-FINDINGS', model.escapeChar, runText);
    cached = key === undefined ? undefined : cache?.get(key);
  }
  if (key !== undefined && isCachedRunFindings(cached)) {
    const offset = span.start - cached.start;
    const findings = offset === 0 ? cached.findings : cached.findings.map((finding) => shiftSectionFinding(finding, offset));
    if (offset !== 0) cache?.set(key, { ...cached, start: span.start, findings });
    findings.forEach(options.sink);
    return cached.failures;
  }
  const scripts = model.runScripts(run);
  const findings: SectionFinding[] = [];
  const rules = checks.map(({ meta, checkRun: check }) => ({ meta, check: (subject: Run, context: Parameters<typeof check>[2]) => check(subject, scripts, context) }));
  const failures = runRules(rules, run, { ...options, sink: (finding) => findings.push(finding), describeSubject: () => `the RUN on line ${run.getRange().start.line + 1}` });
  if (key !== undefined) cache?.set(key, { kind: 'run-findings', start: span.start, findings, failures });
  findings.forEach(options.sink);
  return failures;
}
