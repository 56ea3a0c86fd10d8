/**
 * The messages of `kustomize-error`, declared once: the build reports a problem by message id
 * and data, and the kustomize-error finding (rules/engine-findings.ts) words it from this table.
 */
export const KUSTOMIZE_ERROR_MESSAGES = {
  missingResource: 'Resource {entry} is not in the workspace (no such file, or a folder without a kustomization); the build is analysed without it.',
  missingComponent: 'Component {entry} is not in the workspace (no kustomization in that folder); the build is analysed without it.',
  missingPatch: 'Patch {entry} is not in the workspace; the build is analysed without it.',
  cycle: 'Kustomizations include each other in a cycle ({chain}); the cycle is not built.',
  noMatch: '{patch} matches no resource of the build; it changes nothing.',
  kustomizationSyntax: 'This kustomization does not parse ({reason}); it is not built.',
  resourceSyntax: 'Resource {entry} does not parse ({reason}); the build is analysed without the rest of it.',
  patchSyntax: 'Patch {entry} does not parse ({reason}); it is not applied.',
  inlinePatchSyntax: 'This inline patch does not parse ({reason}); it is not applied.',
  patchWithoutSource: 'This patch has neither `path` nor `patch`; it is not applied.',
  patchShape: 'This patch is neither an object to merge nor a list of JSON patch operations; it is not applied.',
  jsonPatchInvalid: 'This JSON patch cannot be applied: {reason}.',
  jsonPatchWithoutTarget: 'A JSON patch needs a `target`; it is not applied.',
  jsonPatchFailed: 'This JSON patch fails on {object}: {reason}.',
  internalFailure: 'Shipshape failed to build this kustomization (an internal error, logged); it is not analysed.',
  remote: 'Remote {what} {entry} is not fetched; the build is analysed without it.',
  outOfScope: 'Shipshape does not build {what}; what it generates is not analysed.',
} as const;

export type KustomizeErrorMessageId = keyof typeof KUSTOMIZE_ERROR_MESSAGES;

/** Message ids reported at info severity: something skipped on purpose, not a broken build. */
export const KUSTOMIZE_INFO_MESSAGES: ReadonlySet<KustomizeErrorMessageId> = new Set(['remote', 'outOfScope']);
