import { Copy, Keyword, Run } from 'dockerfile-ast';
import type { Heredoc, Instruction } from 'dockerfile-ast';
import { readOncePerInstruction, type DockerfileModel } from '../parse/dockerfile';
import type { SectionFinding } from '../run';
import { parseError } from '../rules/engine-findings';

const KEYWORDS = new Set<string>(Object.values(Keyword));

const heredocsOf = readOncePerInstruction((instruction: Instruction): Heredoc[] => (instruction instanceof Run || instruction instanceof Copy ? instruction.getHeredocs() : []));

/**
 * Dockerfile syntax errors that `docker build` stops on and that change what the rules read:
 * an unknown instruction, a heredoc that never ends (it swallows every later line), and an
 * `# escape=` directive BuildKit rejects. Reported as parse-error; the rules still run on the rest.
 */
export function findDockerfileSyntaxErrors(model: DockerfileModel): SectionFinding[] {
  const errors: SectionFinding[] = [];
  for (const directive of model.directives) {
    if (directive.getName().toLowerCase() !== 'escape') continue;
    const value = directive.getValue();
    if (value !== '\\' && value !== '`') errors.push(parseError.at(model.spanOf(directive.getValueRange()), 'dockerfileEscape', { value }));
  }
  const unknown = model.instructions.filter((instruction) => !KEYWORDS.has(instruction.getKeyword().toUpperCase()));
  const [first] = unknown;
  if (first) {
    // One finding per file: a template (`{{ … }}` lines) would otherwise flood the file with them.
    const span = model.spanOf(first.getInstructionRange());
    const keyword = first.getKeyword();
    errors.push(
      unknown.length > 1
        ? parseError.at(span, 'dockerfileUnknownInstructions', { keyword, more: unknown.length - 1 })
        : parseError.at(span, 'dockerfileUnknownInstruction', { keyword }),
    );
  }
  // Without `<<` there is no heredoc to read (asking every instruction costs a keystroke time).
  for (const instruction of model.text.includes('<<') ? model.instructions : []) {
    for (const heredoc of heredocsOf(instruction)) {
      if (heredoc.getDelimiterRange() === null) errors.push(parseError.at(model.spanOf(heredoc.getNameRange()), 'dockerfileUnclosedHeredoc', { name: heredoc.getName() }));
    }
  }
  return errors;
}
