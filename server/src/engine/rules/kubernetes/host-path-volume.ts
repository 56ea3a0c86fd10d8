import { isMap } from 'yaml';
import { definePodRule } from '../define';
import { scalarString } from '../../source/yaml-view';
import { VALUE_MASK } from '../../parse/helm-mask';
import { isSensitiveHostPath, normalizeHostPath } from '../../kubernetes/host-path';

export default definePodRule({
  meta: {
    id: 'host-path-volume',
    title: 'Pods should not mount host paths',
    description:
      'A hostPath volume gives the container direct access to the node\'s file system, outside any quota or isolation. Host directories such as /etc, /var/run (with the container runtime\'s socket) or /var/lib/kubelet let a container read node credentials or take over the node.',
    severity: 'warning',
    alternateSeverity: 'error',
    profile: 'baseline',
    pssControl: 'HostPath Volumes',
    messages: {
      hostPath: 'Volume "{volume}" mounts the host path {path} from the node into the pod.',
      sensitive: 'Volume "{volume}" mounts the host path {path}, a sensitive node directory: a container that can use it can read node secrets or take over the node.',
      unknownPath: 'Volume "{volume}" mounts a directory of the node into the pod ({detail}).',
    },
  },
  check(pod, { report }) {
    // PSS baseline "HostPath Volumes": spec.volumes[*].hostPath must be unset. No fix: the
    // volume's users need another source of the data, which only the author can choose.
    const { view } = pod.resource;
    for (const [index, volume] of view.items(view.getSeq(pod.spec, 'volumes')).entries()) {
      if (!isMap(volume.node)) continue;
      const hostPath = view.field(volume.node, 'hostPath');
      if (!hostPath) continue;
      const volumeName = view.getDisplay(volume.node, 'name') ?? `volumes[${index}]`;
      const hostPathMap = view.asMap(hostPath.value);
      const pathField = view.field(hostPathMap, 'path');
      const path = scalarString(pathField?.value);
      const hasPathText = pathField !== undefined && pathField.valueSpan.end > pathField.valueSpan.start;
      const at = hasPathText ? pathField.valueSpan : hostPath.keySpan;
      if (path === undefined || path === '') {
        const detail = !hostPathMap && hostPath.templated ? 'its definition comes from a Helm template' : 'no path is given';
        report({ messageId: 'unknownPath', data: { volume: volumeName, detail }, at });
        continue;
      }
      const actionAt = path.indexOf(VALUE_MASK);
      if (actionAt >= 0) {
        // The literal text before a Helm action fixes the directory: `/var/run/{{ .Values.socket }}`
        // lies under /var/run whatever the action renders.
        const literalDirectory = path.slice(0, path.lastIndexOf('/', actionAt) + 1);
        if (literalDirectory !== '' && normalizeHostPath(literalDirectory) !== '/' && isSensitiveHostPath(literalDirectory)) {
          report({ messageId: 'sensitive', severity: 'error', data: { volume: volumeName, path: `${path.slice(0, actionAt)}…` }, at });
        } else {
          report({ messageId: 'unknownPath', data: { volume: volumeName, detail: 'its path comes from a Helm template' }, at });
        }
        continue;
      }
      if (!isSensitiveHostPath(path)) {
        report({ messageId: 'hostPath', data: { volume: volumeName, path }, at });
        continue;
      }
      // The message shows what the kubelet resolves `/opt/../etc/` to.
      const normalized = normalizeHostPath(path);
      const shown = normalized === path ? path : `${path} (${normalized})`;
      report({ messageId: 'sensitive', severity: 'error', data: { volume: volumeName, path: shown }, at });
    }
  },
});
