import { defineDockerfileRule } from '../define';
import { effectiveUser, unquote } from '../../parse/dockerfile';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-user-not-numeric',
    title: 'The final USER should be a numeric UID',
    description:
      'Kubernetes runAsNonRoot can only verify a numeric user: with a user name in the image the kubelet cannot tell whether it is root and refuses to start the container, unless the pod also sets runAsUser.',
    severity: 'info',
    profile: 'strict',
    messages: {
      named: 'The final stage runs as the user name "{user}"; use its numeric UID so Kubernetes runAsNonRoot can verify it.',
    },
  },
  check(dockerfile, { report }) {
    const found = effectiveUser(dockerfile);
    const argument = found?.instruction.getArguments()[0];
    if (!found || !argument) return;
    const expanded = dockerfile.expandAt(found.stage, found.instruction, argument.getValue());
    if (expanded === undefined) return;
    const user = unquote(expanded);
    const name = user.split(':')[0] ?? '';
    // Root is dockerfile-root-user's finding; a name for it would only repeat it.
    if (/^\d+$/.test(name) || name === 'root' || name === '') return;
    report({ messageId: 'named', data: { user: name }, at: dockerfile.spanOf(argument.getRange()) });
  },
});
