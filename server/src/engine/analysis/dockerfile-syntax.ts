import { Copy, Keyword, Run } from 'dockerfile-ast';
import type { Heredoc, Instruction } from 'dockerfile-ast';
import { readOncePerInstruction, type DockerfileModel } from '../parse/dockerfile';
import type { SectionFinding } from '../run';

const KEYWORDS = new Set<string>(Object.values(Keyword));

const heredocsOf = readOncePerInstruction((instruction: Instruction): Heredoc[] => (instruction instanceof Run || instruction instanceof Copy ? instruction.getHeredocs() : []));

/**
 * Dockerfile syntax errors that `docker build` stops on and that change what the rules read:
 * an unknown instruction, a heredoc that never ends (it swallows every later line), and an
 * `# escape=` directive BuildKit rejects. Reported as parse-error; the rules still run on the rest.
 */
export function findDockerfileSyntaxErrors(model: DockerfileModel): SectionFinding[] {
  const errors: SectionFinding[] = [];
  const report = (message: string, span: { start: number; end: number }): void => {
    errors.push({ ruleId: 'parse-error', messageId: 'syntax', severity: 'error', message, span });
  };
  for (const directive of model.directives) {
    if (directive.getName().toLowerCase() !== 'escape') continue;
    const value = directive.getValue();
    if (value !== '\\' && value !== '`') {
      report(`Dockerfile syntax error: the escape directive must be \\ or \` (got "${value}"); Docker refuses to build this file.`, model.spanOf(directive.getValueRange()));
    }
  }
  const unknown = model.instructions.filter((instruction) => !KEYWORDS.has(instruction.getKeyword().toUpperCase()));
  const [first] = unknown;
  if (first) {
    // One finding per file: a template (`{{ … }}` lines) would otherwise flood the file with them.
    const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more lines that are not instructions)` : '';
    report(`Dockerfile syntax error: unknown instruction "${first.getKeyword()}"${more}; Docker refuses to build this file.`, model.spanOf(first.getInstructionRange()));
  }
  for (const instruction of model.instructions) {
    for (const heredoc of heredocsOf(instruction)) {
      if (heredoc.getDelimiterRange() !== null) continue;
      report(
        `Dockerfile syntax error: the heredoc <<${heredoc.getName()} is never closed, so every later line is read as its content.`,
        model.spanOf(heredoc.getNameRange()),
      );
    }
  }
  return errors;
}
