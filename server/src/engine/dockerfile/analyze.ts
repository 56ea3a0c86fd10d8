import type { Span } from '../types';
import type { EngineConfig } from '../config';
import type { DockerfileRule } from '../rules/define';
import { createReporter, describeError, type SectionFinding } from '../rules/report';
import { isInputLimit } from '../limits';
import { parseDockerfile } from '../parse/dockerfile';
import type { DockerfileCache } from '../parse/dockerfile-chunks';
import { DockerfileEditor } from '../fix/dockerfile-edits';
import { findDockerfileSyntaxErrors } from './syntax';
import { dockerfileTemplateReason } from './template';

export interface DockerfileOutcome {
  findings: SectionFinding[];
  failures: string[];
  /** Each instruction's span: an ignore comment above an instruction covers all of it. */
  instructionSpans: Span[];
  /** Why the file was not analysed (a Dockerfile template), when it was not. */
  skipped?: string;
}

export function analyzeDockerfile(
  text: string,
  context: { config: EngineConfig; rules: readonly DockerfileRule[]; cache?: DockerfileCache | undefined },
): DockerfileOutcome {
  const model = parseDockerfile(text, context.cache);
  const template = dockerfileTemplateReason(model);
  if (template !== undefined) return { findings: [], failures: [], instructionSpans: [], skipped: template };
  const findings: SectionFinding[] = findDockerfileSyntaxErrors(model);
  const failures: string[] = [];
  for (const rule of context.rules) {
    const report = createReporter(rule.meta, context.config, () => new DockerfileEditor(model), (finding) => findings.push(finding));
    try {
      rule.check(model, { config: context.config, report });
    } catch (cause) {
      if (isInputLimit(cause)) throw cause; // the whole file is skipped, with the reason
      failures.push(`rule ${rule.meta.id} failed: ${describeError(cause)}`);
    }
  }
  const instructionSpans = model.instructions.map((instruction) => model.spanOf(instruction.getRange()));
  return { findings, failures, instructionSpans };
}
