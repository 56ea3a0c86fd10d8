import { Arg, Env } from 'dockerfile-ast';
import type { Property } from 'dockerfile-ast';
import { defineDockerfileRule } from '../define';
import { isCredentialValue, looksLikeCredentialName } from '../../secrets/credential-names';

const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
/** A whole reference: `$NAME`, `${NAME}`, `${NAME:-default}`. */
const VARIABLE_REFERENCE = /\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)/g;

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-secret-in-env',
    title: 'Credentials must not be set with ENV or ARG',
    description:
      'ENV values are stored in the image configuration and ARG values in its build history: anyone who can pull the image can read them with `docker inspect` or `docker history`. Use `RUN --mount=type=secret` at build time and inject secrets at run time.',
    severity: 'error',
    alternateSeverity: 'warning',
    profile: 'recommended',
    messages: {
      literalEnv: 'ENV {name} holds a literal credential; it is written in the Dockerfile and stored in the image layers built with it.',
      literalArg: 'ARG {name} has a literal credential as its default; it is written in the Dockerfile and the image history.',
      copiedArg: 'ENV {name} copies the build argument {arg} into the image configuration, where anyone who can pull the image reads it.',
      buildArg: 'ARG {name} passes a credential as a build argument, which stays in the image history; use `RUN --mount=type=secret` instead.',
    },
  },
  check(dockerfile, { report }) {
    // Global ARGs only feed FROM lines, but a literal credential there is still written in the Dockerfile.
    for (const instruction of dockerfile.preamble) {
      if (!(instruction instanceof Arg)) continue;
      for (const property of instruction.getProperties()) {
        const value = property.getValue();
        if (value !== null && isLiteralCredential('ARG', property.getName(), value)) {
          report({ messageId: 'literalArg', data: { name: property.getName() }, at: nameSpan(property) });
        }
      }
    }
    // A literal is written in the committed Dockerfile and the builder's layers whatever the stage;
    // a value copied from a build argument, or a build argument alone, matters only where it
    // reaches the final image: the final stage and the stages it is built FROM (RULES.md).
    for (const stage of dockerfile.stages) {
      const reachesImage = dockerfile.finalScope.includes(stage);
      const args = new Set<string>();
      for (const instruction of stage.instructions) {
        if (instruction instanceof Arg) {
          for (const property of instruction.getProperties()) {
            const name = property.getName();
            args.add(name);
            const value = property.getValue();
            if (value === null) {
              if (reachesImage && looksLikeCredentialName(name)) report({ messageId: 'buildArg', severity: 'warning', data: { name }, at: nameSpan(property) });
            } else if (isLiteralCredential('ARG', name, value)) {
              report({ messageId: 'literalArg', data: { name }, at: nameSpan(property) });
            }
          }
        }
        if (!(instruction instanceof Env)) continue;
        for (const property of instruction.getProperties()) {
          const name = property.getName();
          const value = property.getValue() ?? '';
          if (!looksLikeCredentialName(name)) continue;
          const referenced = [...value.matchAll(VARIABLE)].map((match) => match[1] ?? '');
          const copied = referenced.find((variable) => args.has(variable));
          if (copied) {
            if (reachesImage) report({ messageId: 'copiedArg', data: { name, arg: copied }, at: nameSpan(property) });
            continue;
          }
          if (isLiteralCredential('ENV', name, value)) report({ messageId: 'literalEnv', data: { name }, at: nameSpan(property) });
        }
      }
    }

    function nameSpan(property: Property): { start: number; end: number } {
      return dockerfile.spanOf(property.getNameRange());
    }
  },
});

/**
 * An ENV or ARG that this rule reports for a literal credential (dockerfile-hardcoded-credential
 * leaves those to it). An ARG default that names a variable is decided at build time; for an ENV,
 * what is left once variable references are taken out is what the Dockerfile writes.
 */
export function isLiteralCredential(keyword: 'ENV' | 'ARG', name: string, value: string): boolean {
  if (keyword === 'ARG') return !value.includes('$') && isCredentialValue(name, value);
  const literal = value.replace(VARIABLE_REFERENCE, '');
  return looksLikeCredentialName(name) && /[A-Za-z0-9]/.test(literal) && isCredentialValue(name, literal);
}
