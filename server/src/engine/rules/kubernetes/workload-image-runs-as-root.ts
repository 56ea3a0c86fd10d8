import { defineContainerRule } from '../define';
import { isImageReferenceError } from '../../images/reference';
import { containerImage } from '../../kubernetes/container-image';
import { effectiveSetting } from '../../kubernetes/security-profiles';
import { booleanOf, integerOf } from '../../source/yaml-view';
import { builtImageUser, pathFrom } from '../../workspace/image-users';

export default defineContainerRule({
  meta: {
    id: 'workload-image-runs-as-root',
    title: 'Images built here must not run as root unless the pod forbids it',
    description:
      'The image is built in this workspace from a Dockerfile whose final stage runs as root, and nothing in the pod stops it: the container starts as root. Set runAsNonRoot: true with a non-root runAsUser in the manifest, or add a non-root USER to the Dockerfile.',
    severity: 'error',
    profile: 'recommended',
    fix: 'Run as a non-root user',
    crossFile: true,
    messages: {
      root: 'Container "{name}" runs {image}, built here from {dockerfile}, whose final stage runs as root ({why}); neither the pod nor the container sets runAsNonRoot: true or a non-root runAsUser.',
    },
  },
  check(container, { report, workspace, config, path }) {
    // Ephemeral containers get their image at run time; Windows pods have no UIDs (RULES.md).
    if (container.kind === 'ephemeralContainer' || container.pod.isWindows || container.security.effectiveUnknown) return;
    const image = containerImage(container);
    if (!image || isImageReferenceError(image.parsed)) return;
    if (booleanOf(effectiveSetting(container, 'runAsNonRoot')?.value) === true) return;
    const runAsUser = effectiveSetting(container, 'runAsUser');
    if (runAsUser?.templated) return;
    const uid = integerOf(runAsUser?.value);
    if (uid !== undefined && uid > 0) return;
    const user = builtImageUser(image.parsed.name, workspace);
    if (user?.kind !== 'root') return;
    const why = user.user === undefined ? 'it sets no USER' : `USER ${user.user}`;
    report({
      messageId: 'root',
      data: { name: container.name, image: image.text, dockerfile: pathFrom(path, user.dockerfile), why },
      at: container.nameSpan,
      related: [{ in: user.at, message: user.user === undefined ? 'The final stage sets no USER, so it runs as root.' : `The final stage runs as ${user.user}.` }],
      // A container-level runAsUser overrides a pod-level 0; a numeric id lets the kubelet verify runAsNonRoot.
      fix: { apply: (edit) => edit.setIn(container, ['securityContext'], { runAsNonRoot: true, runAsUser: config.nonRootId }) },
    });
  },
});

