/**
 * The Kubernetes `patchMergeKey` of a list, by the field that holds it: strategic merge merges
 * such lists item by item (other lists are replaced), and a fix written as a patch names items
 * by it.
 */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  ports: 'containerPort',
  resourceClaims: 'name',
};
