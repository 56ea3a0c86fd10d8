import { isMap } from 'yaml';
import { definePodRule } from '../define';
import { scalarString } from '../../source/yaml-view';

/**
 * PSS baseline "Sysctls": the safe set Pod Security Admission allows in Kubernetes v1.37, the
 * newest release. PSA compares names exactly, so `net/ipv4/...` spellings are not safe either.
 */
const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', // v1.27
  'net.ipv4.tcp_keepalive_time', // v1.29
  'net.ipv4.tcp_fin_timeout', // v1.29
  'net.ipv4.tcp_keepalive_intvl', // v1.29
  'net.ipv4.tcp_keepalive_probes', // v1.29
  'net.ipv4.tcp_rmem', // v1.32
  'net.ipv4.tcp_wmem', // v1.32
  'net.ipv4.tcp_slow_start_after_idle', // v1.37
  'net.ipv4.tcp_notsent_lowat', // v1.37
]);

export default definePodRule({
  meta: {
    id: 'unsafe-sysctls',
    title: 'Pods must set only safe sysctls',
    description:
      'A sysctl outside the safe set is either not isolated per pod, so it changes the kernel for every pod on the node, or can exhaust node resources. Pod Security Admission rejects such pods at baseline, and the kubelet refuses them unless the node allows that sysctl.',
    severity: 'error',
    profile: 'baseline',
    pssControl: 'Sysctls',
    messages: {
      unsafe: 'The pod sets the sysctl {sysctl}, which is not in the Pod Security Standards safe set; it can affect other pods or the node.',
    },
  },
  check(pod, { report }) {
    const { view } = pod.resource;
    for (const item of view.items(pod.security.map ? view.getSeq(pod.security.map, 'sysctls') : undefined)) {
      if (!isMap(item.node)) continue;
      const name = view.field(item.node, 'name');
      const sysctl = scalarString(name?.value);
      if (!name || name.templated || sysctl === undefined || SAFE_SYSCTLS.has(sysctl)) continue;
      report({ messageId: 'unsafe', data: { sysctl }, at: name.valueSpan });
    }
  },
});
