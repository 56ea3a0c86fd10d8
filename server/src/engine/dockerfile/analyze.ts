import type { Span } from '../types';
import type { EngineConfig } from '../config';
import type { DockerfileRule } from '../rules/define';
import { createReporter, describeError, type SectionFinding } from '../rules/report';
import { parseDockerfile } from '../parse/dockerfile';
import type { DockerfileCache } from '../parse/dockerfile-chunks';
import { DockerfileEditor } from '../fix/dockerfile-edits';
import { findDockerfileSyntaxErrors } from './syntax';

export interface DockerfileOutcome {
  findings: SectionFinding[];
  failures: string[];
  /** Each instruction's span: an ignore comment above an instruction covers all of it. */
  instructionSpans: Span[];
}

export function analyzeDockerfile(
  text: string,
  context: { config: EngineConfig; today: string; rules: readonly DockerfileRule[]; cache?: DockerfileCache | undefined },
): DockerfileOutcome {
  const model = parseDockerfile(text, context.cache);
  const findings: SectionFinding[] = findDockerfileSyntaxErrors(model);
  const failures: string[] = [];
  for (const rule of context.rules) {
    const report = createReporter(rule.meta, context.config, () => new DockerfileEditor(model), (finding) => findings.push(finding));
    try {
      rule.check(model, { config: context.config, today: context.today, report });
    } catch (cause) {
      failures.push(`rule ${rule.meta.id} failed: ${describeError(cause)}`);
    }
  }
  const instructionSpans = model.instructions.map((instruction) => model.spanOf(instruction.getRange()));
  return { findings, failures, instructionSpans };
}
