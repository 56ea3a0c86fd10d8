import { isScalar } from 'yaml';
import { defineContainerRule } from '../define';
import { isNullValue } from '../../source/yaml-view';
import { capabilityList, spellingOf } from '../../kubernetes/capabilities';
import { hasOpaqueLines } from '../../parse/helm-mask';

/** The one capability PSS restricted lets a container add back after dropping ALL. */
const RESTRICTED_ADDABLE = 'NET_BIND_SERVICE';

export default defineContainerRule({
  meta: {
    id: 'capabilities-not-dropped',
    title: 'Containers must drop ALL capabilities',
    description:
      'A container keeps the runtime\'s default capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, NET_RAW with older runtimes, ...) unless it drops them. Dropping ALL, and adding back at most NET_BIND_SERVICE, leaves an attacker with code execution no kernel privileges to build on.',
    severity: 'warning',
    profile: 'restricted',
    hardening: true,
    pssControl: 'Capabilities (restricted)',
    pssSince: 'v1.22',
    fix: 'Drop ALL capabilities',
    messages: {
      missing: 'Container "{name}" does not drop ALL capabilities; it keeps the container runtime\'s default set.',
      noAll: 'Container "{name}" does not drop ALL capabilities: capabilities.drop lacks ALL.',
      misspelledAll:
        'Container "{name}" drops {capability}, which Pod Security Admission does not read as ALL (it compares names exactly); write ALL.',
      added: 'Container "{name}" adds capability {capability}; the restricted profile allows adding only NET_BIND_SERVICE.',
    },
  },
  check(container, { report }) {
    // PSS restricted exempts Windows pods: Linux capabilities do not exist there.
    if (container.pod.isWindows) return;
    const capabilities = container.security.own('capabilities');
    if (capabilities?.templated) return;
    const { text } = container.pod.resource;
    const capabilitiesMap = container.pod.resource.view.asMap(capabilities?.value);
    const dropped = capabilityList(container, 'drop');
    if (!dropped) {
      // Nothing dropped; stay silent when a Helm action may supply the list.
      const mayBeTemplated = container.security.unknown || (capabilitiesMap !== undefined && hasOpaqueLines(text, capabilitiesMap));
      if (!mayBeTemplated) {
        report({
          messageId: 'missing',
          data: { name: container.name },
          at: container.nameSpan,
          fix: { apply: (edit) => edit.setIn(container, ['securityContext', 'capabilities', 'drop'], ['ALL']) },
        });
      }
    } else if (!dropped.hasTemplatedContent && !dropped.items.some((item) => item.name === 'ALL')) {
      // PSA compares exactly: `all` and `CAP_ALL` drop nothing as far as it is concerned.
      const misspelled = dropped.items.find((item) => spellingOf(item.name).canonical === 'ALL');
      report({
        messageId: misspelled ? 'misspelledAll' : 'noAll',
        data: { name: container.name, capability: misspelled?.name ?? '' },
        at: misspelled?.span ?? dropped.aliasSpan ?? dropped.field.keySpan,
        fix: {
          apply: (edit) => {
            // `drop: NET_RAW` (a name, not a list) is replaced by the list the API expects.
            if (isScalar(dropped.field.value) && !isNullValue(dropped.field.value)) edit.replaceValue(dropped.field, ['ALL']);
            else edit.appendToList(dropped.field, 'ALL', dropped.owner);
          },
        },
      });
    }
    // PSS restricted "Capabilities": only NET_BIND_SERVICE may be added back.
    const added = capabilityList(container, 'add');
    if (!added) return;
    for (const item of added.items) {
      if (item.name === RESTRICTED_ADDABLE) continue;
      report({
        messageId: 'added',
        data: { name: container.name, capability: item.name },
        at: item.span,
        fix: { title: `Remove capability ${item.name}`, apply: (edit) => edit.removeListItem(added.field, item.index, added.owner) },
      });
    }
  },
});
