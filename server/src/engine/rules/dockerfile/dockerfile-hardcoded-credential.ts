import { Arg, Env, Label } from 'dockerfile-ast';
import type { Instruction, Property } from 'dockerfile-ast';
import { defineDockerfileRule } from '../define';
import { isRuleOn } from '../../config';
import { findCredentials } from '../../secrets/credential-formats';
import type { Span } from '../../types';
import dockerfileSecretInEnv, { isLiteralCredential } from './dockerfile-secret-in-env';

/** Instructions whose arguments are written into the image or its history (RULES.md). */
const SCANNED = new Set(['ENV', 'ARG', 'LABEL', 'RUN']);

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-hardcoded-credential',
    title: 'Dockerfiles must not hold literal credentials',
    description:
      'A value shaped like a well-known credential (an AWS access key ID, a GitHub, GitLab, Slack or Stripe token, a Google API key, a PEM private key, a signed JWT) is written in the Dockerfile: in the repository for everyone who can read it, and in the image layers, configuration or history of every stage that uses it. Pass credentials at build time with `RUN --mount=type=secret` and at run time from the environment.',
    severity: 'error',
    profile: 'recommended',
    messages: {
      setting: '{keyword} {name} holds what looks like {format}; it is written in the Dockerfile and kept with the image.',
      run: 'RUN writes what looks like {format} in the Dockerfile; pass it with `RUN --mount=type=secret` instead.',
    },
  },
  check(dockerfile, { config, report }) {
    // RULES.md: an ENV or ARG that dockerfile-secret-in-env already reports is not reported again.
    const secretInEnvReports = isRuleOn(dockerfileSecretInEnv.meta, config);
    // Every stage and the preamble: a literal is in the committed file whatever the stage.
    for (const instruction of dockerfile.instructions) {
      const keyword = instruction.getKeyword();
      if (!SCANNED.has(keyword)) continue;
      const start = dockerfile.spanOf(instruction.getInstructionRange()).end;
      const end = dockerfile.spanOf(instruction.getRange()).end;
      // The message names the format and where it is written, never the value.
      for (const match of findCredentials(dockerfile.text.slice(start, end))) {
        const at = { start: start + match.index, end: start + match.index + match.length };
        if (keyword === 'RUN') {
          report({ messageId: 'run', data: { format: match.description }, at });
          continue;
        }
        const property = propertyAt(instruction, at, (range) => dockerfile.spanOf(range));
        const name = property?.getName() ?? '';
        const value = property?.getValue();
        const alreadyReported =
          secretInEnvReports && property && value !== null && value !== undefined && (keyword === 'ENV' || keyword === 'ARG') && isLiteralCredential(keyword, name, value);
        if (alreadyReported) continue;
        report({ messageId: 'setting', data: { keyword, name, format: match.description }, at });
      }
    }
  },
});

/** The ENV, ARG or LABEL property whose value holds the span. */
function propertyAt(instruction: Instruction, at: Span, spanOf: (range: NonNullable<ReturnType<Property['getValueRange']>>) => Span): Property | undefined {
  if (!(instruction instanceof Env || instruction instanceof Arg || instruction instanceof Label)) return undefined;
  return instruction.getProperties().find((property) => {
    const range = property.getValueRange();
    if (!range) return false;
    const value = spanOf(range);
    return value.start <= at.start && at.end <= value.end;
  });
}
