/**
 * Dockerfiles: parsed once into a stage model (re-parsing only the chunk of instructions an edit
 * touched), syntax errors reported, then the rules run through the one rule runner.
 */
import type { DockerfileRule, RuleEnvironment } from '../rules/define';
import { runRules, type SectionFinding } from '../run';
import { parseDockerfile } from '../parse/dockerfile';
import type { DockerfileCache } from '../parse/dockerfile-chunks';
import { DockerfileEditor } from '../fix/dockerfile-edits';
import { findDockerfileSyntaxErrors } from './dockerfile-syntax';
import type { RawAnalysis } from './raw-analysis';
import { dockerfileTemplateReason } from '../dockerfile/template';

export function analyzeDockerfile(
  text: string,
  context: { environment: RuleEnvironment; rules: readonly DockerfileRule[]; cache?: DockerfileCache | undefined; withFixes: boolean },
): RawAnalysis {
  const model = parseDockerfile(text, context.cache);
  const template = dockerfileTemplateReason(model);
  if (template !== undefined) return { isKubernetes: false, findings: [], failures: [], skipped: template, blocks: [] };
  const findings: SectionFinding[] = findDockerfileSyntaxErrors(model);
  const failures = runRules(context.rules, model, {
    environment: context.environment,
    newEditor: () => new DockerfileEditor(model),
    withFixes: context.withFixes,
    sink: (finding) => findings.push(finding),
  });
  // An ignore comment above an instruction covers all of it.
  const blocks = model.instructions.map((instruction) => model.spanOf(instruction.getRange()));
  return { isKubernetes: false, findings, failures, blocks };
}
