import { defineContainerRule } from '../define';
import { isImageReferenceError } from '../../images/reference';
import { containerImage } from '../../kubernetes/container-image';
import { effectiveSetting } from '../../kubernetes/security-profiles';
import { booleanOf } from '../../source/yaml-view';
import { builtImageUser, pathFrom } from '../../workspace/image-users';

export default defineContainerRule({
  meta: {
    id: 'run-as-non-root-unverifiable',
    title: 'runAsNonRoot needs a numeric user when the image names its user',
    description:
      'With runAsNonRoot: true the kubelet must check that the container does not run as UID 0. When the image built here sets USER to a name (app, node) and the pod sets no runAsUser, the kubelet cannot resolve the name and refuses to start the container (CreateContainerConfigError).',
    severity: 'error',
    profile: 'recommended',
    fix: 'Add runAsUser',
    crossFile: true,
    messages: {
      named:
        'Container "{name}" requires runAsNonRoot: true, but {image} is built here from {dockerfile} with USER {user}, a name the kubelet cannot verify: it will refuse to start the container. Set a numeric runAsUser.',
    },
  },
  check(container, { report, workspace, config, path }) {
    if (container.kind === 'ephemeralContainer' || container.pod.isWindows || container.security.effectiveUnknown) return;
    if (booleanOf(effectiveSetting(container, 'runAsNonRoot')?.value) !== true) return;
    // Any runAsUser in force, at either level, gives the kubelet a UID to check.
    if (effectiveSetting(container, 'runAsUser') !== undefined) return;
    const image = containerImage(container);
    if (!image || isImageReferenceError(image.parsed)) return;
    const user = builtImageUser(image.parsed.name, workspace);
    if (user?.kind !== 'named' || user.user === undefined) return;
    report({
      messageId: 'named',
      data: { name: container.name, image: image.text, dockerfile: pathFrom(path, user.dockerfile), user: user.user },
      at: container.nameSpan,
      related: [{ in: user.at, message: `The image runs as the user name ${user.user}.` }],
      fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'runAsUser'], config.nonRootId) },
    });
  },
});
