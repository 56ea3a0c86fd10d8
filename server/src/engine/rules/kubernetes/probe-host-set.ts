import type { YAMLMap } from 'yaml';
import type { Span } from '../../types';
import { defineContainerRule } from '../define';
import { scalarString } from '../../source/yaml-view';
import type { ContainerSite } from '../../kubernetes/walker';

/** Where a container names handlers the kubelet runs: its probes and lifecycle hooks. */
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const LIFECYCLE_HOOKS = ['postStart', 'preStop'] as const;
/** Handler types that can aim at another host (exec, grpc and sleep cannot). */
const NETWORK_HANDLERS = ['httpGet', 'tcpSocket'] as const;

export default defineContainerRule({
  meta: {
    id: 'probe-host-set',
    title: 'Probes and lifecycle hooks must not set a host',
    description:
      'The kubelet runs httpGet and tcpSocket probes and lifecycle hooks from the node. With a host set, whoever writes the pod spec makes the kubelet connect to any address the node can reach, such as node-local services or a cloud metadata endpoint, bypassing NetworkPolicies.',
    severity: 'warning',
    profile: 'baseline',
    pssControl: 'Host Probes / Lifecycle Hooks',
    pssSince: 'v1.34',
    fix: 'Remove host',
    messages: {
      hostSet: 'Container "{name}" has a {handler} that the kubelet sends to host "{host}" instead of the pod.',
    },
  },
  check(container, { report }) {
    // The API forbids probes and lifecycle hooks on ephemeral containers (RULES.md, "Container kinds").
    if (container.kind === 'ephemeralContainer') return;
    const root: MapSite = { map: container.map, editable: container.editable, ...(container.editable ? {} : { aliasSpan: container.nameSpan }) };
    for (const site of handlerSites(container, root)) {
      for (const handlerType of NETWORK_HANDLERS) {
        const handler = mapField(container, site, handlerType);
        if (!handler) continue;
        // PSS baseline "Host Probes / Lifecycle Hooks": host must be unset or "".
        const host = container.pod.resource.view.field(handler.map, 'host');
        const hostName = scalarString(host?.value);
        if (!host || host.templated || hostName === undefined || hostName === '') continue;
        const target = { map: handler.map, editable: handler.editable };
        report({
          messageId: 'hostSet',
          data: { name: container.name, handler: `${site.label} ${handlerType}`, host: hostName },
          at: handler.aliasSpan ?? host.valueSpan,
          fix: { apply: (edit) => edit.removeField(host, target) },
        });
      }
    }
  },
});

/** A map on the way from the container to a handler. */
interface MapSite {
  map: YAMLMap;
  editable: boolean;
  /** Where the first alias on the way is written: findings land there, as for container names. */
  aliasSpan?: Span;
}

interface HandlerSite extends MapSite {
  /** `livenessProbe`, `lifecycle.preStop`, ... */
  label: string;
}

function handlerSites(container: ContainerSite, root: MapSite): HandlerSite[] {
  const sites: HandlerSite[] = [];
  for (const probe of PROBES) {
    const found = mapField(container, root, probe);
    if (found) sites.push({ label: probe, ...found });
  }
  const lifecycle = mapField(container, root, 'lifecycle');
  for (const hook of LIFECYCLE_HOOKS) {
    const found = lifecycle && mapField(container, lifecycle, hook);
    if (found) sites.push({ label: `lifecycle.${hook}`, ...found });
  }
  return sites;
}

/** A key's map value, editable only when its owner and the key itself are. */
function mapField(container: ContainerSite, owner: MapSite, key: string): MapSite | undefined {
  const { view } = container.pod.resource;
  const field = view.field(owner.map, key);
  const map = view.asMap(field?.value);
  if (!field || !map) return undefined;
  const aliasSpan = owner.aliasSpan ?? (field.editable ? undefined : field.valueSpan);
  return { map, editable: owner.editable && field.editable, ...(aliasSpan ? { aliasSpan } : {}) };
}
