import { defineDockerfileRule } from '../define';

const SSH_PORT = 22;

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-ssh-port',
    title: 'The image should not expose SSH (port 22)',
    description:
      'An SSH server in a container is an extra, long-lived way in with its own credentials to leak and patch. Use `docker exec` or `kubectl exec` / `kubectl debug` to get a shell instead.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      exposed: 'EXPOSE {port} publishes the SSH port; use `docker exec` or `kubectl exec` instead of an SSH server.',
    },
  },
  check(dockerfile, { report }) {
    for (const stage of dockerfile.finalScope) {
      for (const instruction of stage.instructions) {
        if (instruction.getKeyword() !== 'EXPOSE') continue;
        for (const argument of instruction.getArguments()) {
          const port = dockerfile.expandAt(stage, instruction, argument.getValue());
          if (port === undefined || !includesSshPort(port)) continue;
          report({ messageId: 'exposed', data: { port }, at: dockerfile.spanOf(argument.getRange()) });
        }
      }
    }
  },
});

/** `22`, `22/tcp`, or a range such as `20-30/tcp` that contains 22. */
function includesSshPort(port: string): boolean {
  const match = /^(\d+)(?:-(\d+))?(?:\/\w+)?$/.exec(port.trim());
  if (!match) return false;
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  return low <= SSH_PORT && SSH_PORT <= high;
}
