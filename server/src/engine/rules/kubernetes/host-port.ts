import { isMap } from 'yaml';
import { defineContainerRule } from '../define';
import { integerOf, isNullValue, scalarString } from '../../source/yaml-view';

export default defineContainerRule({
  meta: {
    id: 'host-port',
    title: 'Containers should not bind host ports',
    description:
      'A hostPort opens the port on the node\'s own address and forwards it to the container, bypassing Services and most NetworkPolicy setups, and it ties the pod to nodes where the port is free. Expose the container through a Service instead.',
    severity: 'warning',
    profile: 'baseline',
    pssControl: 'Host Ports',
    fix: 'Remove hostPort',
    messages: {
      hostPort: 'Container "{name}" binds host port {port} on the node; expose it through a Service instead.',
    },
  },
  check(container, { report }) {
    // The API forbids ports on ephemeral containers (RULES.md, "Container kinds").
    if (container.kind === 'ephemeralContainer') return;
    const { view } = container.pod.resource;
    const ports = view.field(container.map, 'ports');
    const portsEditable = container.editable && (ports?.editable ?? false);
    for (const port of view.items(view.asSeq(ports?.value), portsEditable)) {
      if (!isMap(port.node)) continue;
      const hostPort = view.field(port.node, 'hostPort');
      // PSS baseline "Host Ports": hostPort must be unset or 0. A quoted number fails API
      // validation, but it still says which port the author means to open on the node.
      if (!hostPort || hostPort.templated || isNullValue(hostPort.value)) continue;
      const number = integerOf(hostPort.value) ?? Number(scalarString(hostPort.value));
      if (number === 0) continue;
      const portMap = { map: port.node, editable: port.editable };
      // Behind an alias the finding lands where the alias is written, as the walker does for names.
      let at = hostPort.valueSpan;
      if (!container.editable) at = container.nameSpan;
      else if (ports && !ports.editable) at = ports.valueSpan;
      else if (!port.editable) at = port.span;
      report({
        messageId: 'hostPort',
        data: { name: container.name, port: scalarString(hostPort.value) ?? '' },
        at,
        fix: { apply: (edit) => edit.removeField(hostPort, portMap) },
      });
    }
  },
});
