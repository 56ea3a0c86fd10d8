/**
 * Host directories whose exposure to a container amounts to control of the node: its
 * configuration and credentials, kernel interfaces, devices, runtime sockets, the kubelet's and
 * the container runtimes' state, logs and users' homes (RULES.md, host-path-volume; NSA/CISA
 * Kubernetes Hardening Guide). A path is sensitive when it is one of these or lies under one.
 */
const SENSITIVE_HOST_DIRECTORIES: readonly string[] = [
  '/etc', '/proc', '/sys', '/root', '/boot', '/dev', '/var/run', '/run', '/var/lib/kubelet',
  '/var/lib/docker', '/var/lib/containerd', '/var/log', '/home',
];

/**
 * A host path in the form the sensitive list uses: absolute, `//` collapsed, `.` dropped, `..`
 * resolved (never above `/`), no trailing `/`. The kubelet resolves the path on the node the same
 * way, so `/etc/../etc/`, `//var/run/` and `/var/./log` name the directories they look like.
 * A relative path is read from `/`, the only directory the kubelet could resolve it against.
 */
export function normalizeHostPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

/** True for `/` itself and for the sensitive directories and anything under them. */
export function isSensitiveHostPath(path: string): boolean {
  const normalized = normalizeHostPath(path);
  if (normalized === '/') return true;
  return SENSITIVE_HOST_DIRECTORIES.some((directory) => normalized === directory || normalized.startsWith(`${directory}/`));
}
