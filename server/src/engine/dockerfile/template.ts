import type { DockerfileModel } from '../parse/dockerfile';
import type { SkipReason } from '../skip';

/**
 * Why a Dockerfile is a template rather than a Dockerfile, when it is one (RULES.md, Dockerfile
 * "Files"): an instruction that starts with a `{{` action (docker-library's jq templates, Go
 * templates) or a FROM whose image is an action. Such a file is what generates Dockerfiles;
 * judged as written it gives a parse error and findings about `{{` that no real build has. An
 * action inside a RUN (`docker inspect --format '{{ .State }}'`) is shell text, not a template.
 */
export function dockerfileTemplateReason(model: DockerfileModel): SkipReason | undefined {
  // Most files have no action at all: reading every instruction's arguments is a keystroke's cost.
  if (!model.text.includes('{{')) return undefined;
  for (const instruction of model.instructions) {
    const keyword = instruction.getKeyword();
    const isAction = keyword.startsWith('{{');
    if (!isAction && !(keyword === 'FROM' && /\{\{.*\}\}/.test(instruction.getArgumentsContent() ?? ''))) continue;
    const line = instruction.getRange().start.line + 1;
    return { messageId: 'dockerfileTemplate', data: { line } };
  }
  return undefined;
}
