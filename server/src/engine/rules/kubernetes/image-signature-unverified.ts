import { defineContainerRule } from '../define';
import { isImageReferenceError } from '../../images/reference';
import { policyVerifies } from '../../images/signature-patterns';
import { containerImage } from '../../kubernetes/container-image';
import type { SignaturePolicyFact } from '../../workspace/facts';

/** How many policies a message names; related information lists them all. */
const NAMED = 3;

function policyName(policy: SignaturePolicyFact): string {
  return `${policy.policyKind} ${policy.namespace === undefined ? '' : `${policy.namespace}/`}${policy.name}`;
}

function patternsOf(policy: SignaturePolicyFact): string {
  const patterns = policy.imageSets.flatMap((set) => set.patterns);
  const shown = patterns.slice(0, 4).map((pattern) => `"${pattern}"`).join(', ');
  return patterns.length > 4 ? `${shown} and ${patterns.length - 4} more` : shown;
}

export default defineContainerRule({
  meta: {
    id: 'image-signature-unverified',
    title: 'Workload images must be covered by the workspace\'s image-signature policies',
    description:
      'This workspace defines admission policies that verify image signatures (Kyverno verifyImages, Sigstore policy-controller ClusterImagePolicy), but none of their image patterns matches this image, so the cluster admits it whether it is signed or not. Only deploying signed images protects against a tampered or substituted image.',
    severity: 'warning',
    profile: 'recommended',
    crossFile: true,
    messages: {
      unverified: 'Image "{image}" matches no image pattern of the signature policies in this workspace ({policies}), so the cluster admits it unsigned: add a pattern that matches it, or use an image the policies verify.',
    },
  },
  check(container, { report, workspace }) {
    // A debugging session's image is chosen at run time (RULES.md, "Images").
    if (container.kind === 'ephemeralContainer') return;
    const policies = workspace.signaturePolicies();
    if (policies.length === 0) return;
    const image = containerImage(container);
    // A tag written by a Helm action could be what a pattern matches on.
    if (!image?.hasKnownTagAndDigest || isImageReferenceError(image.parsed)) return;
    const reference = image.parsed;
    const resource = container.pod.resource;
    const namespace = resource.view.getString(resource.metadata, 'namespace');
    // A Kyverno Policy verifies in its own namespace; a manifest without one is placed at apply time, so it may be that one.
    const applying = policies.filter((policy) => policy.policyKind !== 'Policy' || namespace === undefined || policy.namespace === undefined || policy.namespace === namespace);
    if (applying.some((policy) => policyVerifies(policy, reference))) return;
    const named = policies.slice(0, NAMED).map(policyName).join(', ');
    report({
      messageId: 'unverified',
      data: { image: image.text, policies: policies.length > NAMED ? `${named} and ${policies.length - NAMED} more` : named },
      at: image.span,
      related: policies.map((policy) => ({
        in: policy.at,
        message: `${policyName(policy)} verifies ${patternsOf(policy)}${policy.policyKind === 'Policy' && policy.namespace !== undefined && policy.namespace !== namespace && namespace !== undefined ? ` (in namespace ${policy.namespace} only)` : ''}`,
      })),
    });
  },
});
