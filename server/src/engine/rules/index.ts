import type { ComposeRule, DockerfileRule, KubernetesRule, RuleDefinition } from './define';
import dockerfileAddInsteadOfCopy from './dockerfile/dockerfile-add-instead-of-copy';
import dockerfileAddRemoteUrl from './dockerfile/dockerfile-add-remote-url';
import dockerfileAptUpdateAlone from './dockerfile/dockerfile-apt-update-alone';
import dockerfileCopySecrets from './dockerfile/dockerfile-copy-secrets';
import dockerfileCurlPipeShell from './dockerfile/dockerfile-curl-pipe-shell';
import dockerfileEolBaseImage from './dockerfile/dockerfile-eol-base-image';
import dockerfileHealthcheckMissing from './dockerfile/dockerfile-healthcheck-missing';
import dockerfileImageNotPinned from './dockerfile/dockerfile-image-not-pinned';
import dockerfileImageTagMutable from './dockerfile/dockerfile-image-tag-mutable';
import dockerfileInsecureTransport from './dockerfile/dockerfile-insecure-transport';
import dockerfileRootUser from './dockerfile/dockerfile-root-user';
import dockerfileSecretInEnv from './dockerfile/dockerfile-secret-in-env';
import dockerfileSshPort from './dockerfile/dockerfile-ssh-port';
import dockerfileSudo from './dockerfile/dockerfile-sudo';
import dockerfileUntrustedRegistry from './dockerfile/dockerfile-untrusted-registry';
import dockerfileUserNotNumeric from './dockerfile/dockerfile-user-not-numeric';
import dockerfileWorldWritable from './dockerfile/dockerfile-world-writable';
import { configError, fileSkipped, kustomizeError, parseError } from './engine-findings';
import baseImageUpdatesUntracked from './dockerfile/base-image-updates-untracked';
import imageEol from './kubernetes/image-eol';
import imageSignatureUnverified from './kubernetes/image-signature-unverified';
import imageVulnerable from './image-vulnerable';
import imageNotPinned from './kubernetes/image-not-pinned';
import imageTagMutable from './kubernetes/image-tag-mutable';
import invalidImageReference from './invalid-image-reference';
import untrustedRegistry from './kubernetes/untrusted-registry';
import automountServiceAccountToken from './kubernetes/automount-service-account-token';
import readOnlyRootFilesystem from './kubernetes/read-only-root-filesystem';
import resourceLimitsMissing from './kubernetes/resource-limits-missing';
import resourceRequestsMissing from './kubernetes/resource-requests-missing';
import runAsGroupRoot from './kubernetes/run-as-group-root';
import sshPortExposed from './kubernetes/ssh-port-exposed';
import privilegeEscalationAllowed from './kubernetes/privilege-escalation-allowed';
import capabilitiesNotDropped from './kubernetes/capabilities-not-dropped';
import dangerousCapabilities from './kubernetes/dangerous-capabilities';
import hostIpc from './kubernetes/host-ipc';
import hostNetwork from './kubernetes/host-network';
import hostPathVolume from './kubernetes/host-path-volume';
import hostPid from './kubernetes/host-pid';
import hostPort from './kubernetes/host-port';
import privilegedContainer from './kubernetes/privileged-container';
import probeHostSet from './kubernetes/probe-host-set';
import procMountUnmasked from './kubernetes/proc-mount-unmasked';
import windowsHostProcess from './kubernetes/windows-host-process';
import apparmorProfileMissing from './kubernetes/apparmor-profile-missing';
import apparmorUnconfined from './kubernetes/apparmor-unconfined';
import restrictedVolumeTypes from './kubernetes/restricted-volume-types';
import runAsNonRootUnset from './kubernetes/run-as-non-root-unset';
import runAsUserRoot from './kubernetes/run-as-user-root';
import seccompProfileMissing from './kubernetes/seccomp-profile-missing';
import seccompUnconfined from './kubernetes/seccomp-unconfined';
import selinuxCustomOptions from './kubernetes/selinux-custom-options';
import unsafeSysctls from './kubernetes/unsafe-sysctls';
import clusterAdminBinding from './kubernetes/cluster-admin-binding';
import livenessProbeMissing from './kubernetes/liveness-probe-missing';
import plaintextSecretManifest from './kubernetes/plaintext-secret-manifest';
import rbacEscalationVerbs from './kubernetes/rbac-escalation-verbs';
import rbacSecretsAccess from './kubernetes/rbac-secrets-access';
import rbacWildcard from './kubernetes/rbac-wildcard';
import readinessProbeMissing from './kubernetes/readiness-probe-missing';
import secretEnvReference from './kubernetes/secret-env-reference';
import secretInEnv from './kubernetes/secret-in-env';
import hardcodedCredential from './kubernetes/hardcoded-credential';
import dockerfileHardcodedCredential from './dockerfile/dockerfile-hardcoded-credential';
import namespacePssViolation from './kubernetes/namespace-pss-violation';
import runAsNonRootUnverifiable from './kubernetes/run-as-non-root-unverifiable';
import workloadImageRunsAsRoot from './kubernetes/workload-image-runs-as-root';

/**
 * The one registry: every rule and engine finding, sorted by id. Adding a rule means one import
 * and one entry here; a duplicate id fails at load.
 */
const DEFINITIONS: RuleDefinition[] = [
  dockerfileAddInsteadOfCopy,
  dockerfileAddRemoteUrl,
  dockerfileAptUpdateAlone,
  dockerfileCopySecrets,
  dockerfileCurlPipeShell,
  dockerfileEolBaseImage,
  dockerfileHealthcheckMissing,
  dockerfileImageNotPinned,
  dockerfileImageTagMutable,
  dockerfileInsecureTransport,
  dockerfileRootUser,
  dockerfileSecretInEnv,
  dockerfileSshPort,
  dockerfileSudo,
  dockerfileUntrustedRegistry,
  dockerfileUserNotNumeric,
  dockerfileWorldWritable,
  baseImageUpdatesUntracked,
  clusterAdminBinding,
  livenessProbeMissing,
  plaintextSecretManifest,
  rbacEscalationVerbs,
  rbacSecretsAccess,
  rbacWildcard,
  readinessProbeMissing,
  secretEnvReference,
  secretInEnv,
  hardcodedCredential,
  dockerfileHardcodedCredential,
  namespacePssViolation,
  runAsNonRootUnverifiable,
  workloadImageRunsAsRoot,
  configError,
  fileSkipped,
  imageEol,
  imageNotPinned,
  imageSignatureUnverified,
  imageTagMutable,
  imageVulnerable,
  invalidImageReference,
  kustomizeError,
  untrustedRegistry,
  automountServiceAccountToken,
  readOnlyRootFilesystem,
  resourceLimitsMissing,
  resourceRequestsMissing,
  runAsGroupRoot,
  sshPortExposed,
  parseError,
  privilegeEscalationAllowed,
  capabilitiesNotDropped,
  dangerousCapabilities,
  hostIpc,
  hostNetwork,
  hostPathVolume,
  hostPid,
  hostPort,
  privilegedContainer,
  probeHostSet,
  procMountUnmasked,
  windowsHostProcess,
  apparmorProfileMissing,
  apparmorUnconfined,
  restrictedVolumeTypes,
  runAsNonRootUnset,
  runAsUserRoot,
  seccompProfileMissing,
  seccompUnconfined,
  selinuxCustomOptions,
  unsafeSysctls,
];

function buildRegistry(definitions: RuleDefinition[]): ReadonlyMap<string, RuleDefinition> {
  const registry = new Map<string, RuleDefinition>();
  for (const definition of [...definitions].sort((a, b) => a.meta.id.localeCompare(b.meta.id))) {
    if (registry.has(definition.meta.id)) throw new Error(`Duplicate rule id in the registry: ${definition.meta.id}`);
    registry.set(definition.meta.id, definition);
  }
  return registry;
}

export const REGISTRY = buildRegistry(DEFINITIONS);

export const ALL_RULES: readonly RuleDefinition[] = [...REGISTRY.values()];

export const KUBERNETES_RULES: readonly KubernetesRule[] = ALL_RULES.flatMap((r) =>
  'kubernetes' in r ? [r.kubernetes] : isKubernetesRule(r) ? [r] : [],
);

export const DOCKERFILE_RULES: readonly DockerfileRule[] = ALL_RULES.flatMap((r) =>
  'dockerfile' in r ? [r.dockerfile] : isDockerfileRule(r) ? [r] : [],
);

export const COMPOSE_RULES: readonly ComposeRule[] = ALL_RULES.flatMap((r) => ('compose' in r && r.compose ? [r.compose] : isComposeRule(r) ? [r] : []));

function isComposeRule(rule: RuleDefinition): rule is ComposeRule {
  return rule.meta.kind === 'compose';
}

function isKubernetesRule(rule: RuleDefinition): rule is KubernetesRule {
  return rule.meta.kind === 'kubernetes';
}

function isDockerfileRule(rule: RuleDefinition): rule is DockerfileRule {
  return rule.meta.kind === 'dockerfile';
}

export const RULE_IDS: ReadonlySet<string> = new Set(REGISTRY.keys());
