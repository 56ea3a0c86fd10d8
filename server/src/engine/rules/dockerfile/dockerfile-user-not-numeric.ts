import { defineDockerfileRule } from '../define';
import { effectiveUser } from '../../parse/dockerfile';
import { isWindowsStage } from '../../dockerfile/windows';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-user-not-numeric',
    title: 'The final USER should be a numeric UID',
    description:
      'Kubernetes runAsNonRoot can only verify a numeric user: with a user name in the image the kubelet cannot tell whether it is root and refuses to start the container, unless the pod also sets runAsUser. Windows images, which have no numeric users, are exempt.',
    severity: 'info',
    profile: 'strict',
    crossFile: true,
    messages: {
      named: 'The final stage runs as the user name "{user}"; use its numeric UID so Kubernetes runAsNonRoot can verify it.',
      refused:
        'The final stage runs as the user name "{user}", and {workload} runs this image with runAsNonRoot: true and no runAsUser: the kubelet cannot verify a name and will refuse to start it. Use the numeric UID.',
    },
  },
  check(dockerfile, { report, workspace, path }) {
    // Windows images have no numeric users (ContainerUser, ContainerAdministrator): nothing to verify.
    if (dockerfile.finalStage && isWindowsStage(dockerfile.finalStage)) return;
    const argument = effectiveUser(dockerfile)?.argument;
    const name = argument?.name;
    // Root is dockerfile-root-user's finding; a name for it would only repeat it.
    if (argument === undefined || name === undefined || /^\d+$/.test(name) || name === 'root' || name === '') return;
    // A manifest that runs the image with runAsNonRoot: true turns the style point into a failure.
    const finalName = dockerfile.finalStage?.name;
    const requirement = workspace
      .buildsFrom(path)
      .filter((build) => build.target === undefined || build.target.toLowerCase() === finalName)
      .flatMap((build) => workspace.nonRootRequirements(build.image))[0];
    if (requirement) {
      report({
        messageId: 'refused',
        data: { user: name, workload: requirement.workload },
        at: argument.span,
        related: [{ in: requirement.at, message: `${requirement.workload} requires runAsNonRoot: true for this image, with no runAsUser.` }],
      });
      return;
    }
    report({ messageId: 'named', data: { user: name }, at: argument.span });
  },
});
