import { DockerfileParser } from 'dockerfile-ast';
import type { Dockerfile, From, Instruction } from 'dockerfile-ast';
import type { Range as LspRange } from 'vscode-languageserver-types';
import type { Span } from '../types';
import { LineIndex } from '../source/text';

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface DockerStage {
  index: number;
  /** `AS name`, lower-cased as BuildKit compares stage names. */
  name?: string;
  from: From;
  instructions: Instruction[];
}

/** A parsed Dockerfile with its stages resolved once for every rule. */
export interface DockerfileModel {
  text: string;
  ast: Dockerfile;
  lines: LineIndex;
  /** Instructions before the first FROM (global ARGs). */
  preamble: Instruction[];
  stages: DockerStage[];
  /** The last stage: what `docker build` produces without `--target`. */
  finalStage?: DockerStage;
  /** Offsets of a dockerfile-ast range. */
  spanOf(range: LspRange): Span;
}

export function parseDockerfile(text: string): DockerfileModel {
  const ast = DockerfileParser.parse(text);
  const lines = new LineIndex(text);
  const preamble: Instruction[] = [];
  const stages: DockerStage[] = [];
  for (const instruction of ast.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      const name = from.getBuildStage()?.toLowerCase();
      stages.push({ index: stages.length, ...(name ? { name } : {}), from, instructions: [] });
      continue;
    }
    const current = stages[stages.length - 1];
    if (current) current.instructions.push(instruction);
    else preamble.push(instruction);
  }
  const finalStage = stages[stages.length - 1];
  return {
    text,
    ast,
    lines,
    preamble,
    stages,
    ...(finalStage ? { finalStage } : {}),
    spanOf: (range) => ({ start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) }),
  };
}
