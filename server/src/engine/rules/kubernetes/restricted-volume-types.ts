import { isMap } from 'yaml';
import { definePodRule } from '../define';
import { containsValueMask } from '../../parse/helm-mask';

/** PSS restricted "Volume Types": the sources a pod may use. */
const ALLOWED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export default definePodRule({
  meta: {
    id: 'restricted-volume-types',
    title: 'Volumes must use the types the restricted profile allows',
    description:
      'Volume types such as nfs, iscsi, rbd, cephfs or gitRepo mount storage straight from the pod spec, with credentials and kernel drivers of the node, bypassing the storage classes and PersistentVolumes a cluster administrator controls. The restricted profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret.',
    severity: 'warning',
    profile: 'restricted',
    pssControl: 'Volume Types',
    messages: {
      restricted: 'Volume "{volume}" uses the {type} volume type, which the restricted profile does not allow; reach such storage through a persistentVolumeClaim or a csi volume.',
    },
  },
  check(pod, { report }) {
    const { view } = pod.resource;
    for (const item of view.items(view.getSeq(pod.spec, 'volumes'))) {
      if (!isMap(item.node)) continue;
      const volume = view.getDisplay(item.node, 'name') ?? '(unnamed)';
      for (const field of view.fields(item.node)) {
        // hostPath is host-path-volume's finding (a baseline control with its own severities).
        if (field.key === 'name' || field.key === 'hostPath' || ALLOWED_VOLUME_TYPES.has(field.key)) continue;
        // A key produced by a Helm action could be any type.
        if (containsValueMask(field.key)) continue;
        report({ messageId: 'restricted', data: { volume, type: field.key }, at: field.keySpan });
      }
    }
  },
});
