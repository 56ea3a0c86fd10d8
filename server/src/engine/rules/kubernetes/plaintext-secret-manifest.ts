import { defineResourceRule } from '../define';
import { displayName } from '../../kubernetes/resource-name';
import { scalarString } from '../../source/yaml-view';

const DATA_KEYS = ['data', 'stringData'];

export default defineResourceRule({
  meta: {
    id: 'plaintext-secret-manifest',
    title: 'Secret values should not be committed in manifests',
    description:
      'A Secret manifest with data or stringData puts the secret values in the source repository, where everyone with read access and every clone and backup keeps them forever; base64 in `data` is an encoding, not encryption. Keep the values out of the repository with Sealed Secrets, SOPS, External Secrets or a secret store CSI driver.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      plaintext: 'Secret "{name}" carries values in {key}; anyone who can read this file can read them (base64 is not encryption).',
    },
  },
  check(resource, { report }) {
    if (resource.kind !== 'Secret' || resource.apiVersion !== 'v1') return;
    const { view } = resource;
    for (const key of DATA_KEYS) {
      const field = view.field(resource.root, key);
      if (!field) continue;
      // RULES.md: at least one literal, non-empty value; a value produced by a Helm action does not count.
      const hasLiteral = view.fields(view.asMap(field.value)).some((entry) => !entry.templated && (scalarString(entry.value) ?? '') !== '');
      if (!hasLiteral) continue;
      report({ messageId: 'plaintext', data: { name: displayName(resource), key }, at: field.keySpan });
    }
  },
});
