/**
 * Check names of other tools mapped to Shipshape rule ids, for their suppression annotations.
 * Each entry was checked against the tool's own check list (the sources below); a check maps
 * only to rules that report the same problem, so an annotation never hides more than its author
 * meant to. docs/suppression.md renders the same tables, and a test keeps the two in step.
 */

/**
 * kube-linter built-in checks (`ignore-check.kube-linter.io/<check>`), from kube-linter's
 * docs/generated/checks.md.
 */
export const KUBE_LINTER_CHECKS: Readonly<Record<string, readonly string[]>> = {
  'access-to-secrets': ['rbac-secrets-access'],
  'cluster-admin-role-binding': ['cluster-admin-binding'],
  'docker-sock': ['host-path-volume'],
  // Fires while NET_RAW is not dropped; an added NET_RAW stays a dangerous-capabilities finding.
  'drop-net-raw-capability': ['capabilities-not-dropped'],
  'env-var-secret': ['secret-in-env'],
  'host-ipc': ['host-ipc'],
  'host-network': ['host-network'],
  'host-pid': ['host-pid'],
  'latest-tag': ['image-tag-mutable'],
  'no-liveness-probe': ['liveness-probe-missing'],
  'no-read-only-root-fs': ['read-only-root-filesystem'],
  'no-readiness-probe': ['readiness-probe-missing'],
  'privilege-escalation-container': ['privilege-escalation-allowed'],
  'privileged-container': ['privileged-container'],
  'read-secret-from-env-var': ['secret-env-reference'],
  // kube-linter asks for runAsNonRoot: true and a non-zero runAsUser.
  'run-as-non-root': ['run-as-non-root-unset', 'run-as-user-root'],
  'sensitive-host-mounts': ['host-path-volume'],
  'ssh-port': ['ssh-port-exposed'],
  'unsafe-proc-mount': ['proc-mount-unmasked'],
  'unsafe-sysctls': ['unsafe-sysctls'],
  // Described as "requests and limits"; which of the two each checks is a parameter.
  'unset-cpu-requirements': ['resource-limits-missing', 'resource-requests-missing'],
  'unset-memory-requirements': ['resource-limits-missing', 'resource-requests-missing'],
  'wildcard-in-rules': ['rbac-wildcard'],
  'writable-host-mount': ['host-path-volume'],
};

/**
 * Polaris checks (`polaris.fairwinds.com/<check>-exempt: "true"`), from Polaris's
 * docs/checks/security.md, efficiency.md and reliability.md. Only checks that look at the
 * annotated object itself are listed: Polaris's RoleBinding checks judge the Role they point
 * at, where the annotation would not be.
 */
export const POLARIS_CHECKS: Readonly<Record<string, readonly string[]>> = {
  automountServiceAccountToken: ['automount-service-account-token'],
  clusterrolePodExecAttach: ['rbac-escalation-verbs'],
  clusterrolebindingClusterAdmin: ['cluster-admin-binding'],
  cpuLimitsMissing: ['resource-limits-missing'],
  cpuRequestsMissing: ['resource-requests-missing'],
  dangerousCapabilities: ['dangerous-capabilities'],
  hostIPCSet: ['host-ipc'],
  hostNetworkSet: ['host-network'],
  hostPIDSet: ['host-pid'],
  hostPortSet: ['host-port'],
  // Polaris fails until its list of insecure capabilities is dropped (or ALL is).
  insecureCapabilities: ['capabilities-not-dropped'],
  livenessProbeMissing: ['liveness-probe-missing'],
  memoryLimitsMissing: ['resource-limits-missing'],
  memoryRequestsMissing: ['resource-requests-missing'],
  notReadOnlyRootFilesystem: ['read-only-root-filesystem'],
  privilegeEscalationAllowed: ['privilege-escalation-allowed'],
  readinessProbeMissing: ['readiness-probe-missing'],
  rolePodExecAttach: ['rbac-escalation-verbs'],
  rolebindingClusterAdminClusterRole: ['cluster-admin-binding'],
  runAsPrivileged: ['privileged-container'],
  runAsRootAllowed: ['run-as-non-root-unset', 'run-as-user-root'],
  sensitiveContainerEnvVar: ['secret-in-env'],
  tagNotSpecified: ['image-tag-mutable'],
};

/**
 * Checkov Kubernetes checks (`checkov.io/skipN: CKV_K8S_N=reason`), from Checkov's policy index
 * (docs/5.Policy Index/kubernetes.md).
 */
export const CHECKOV_CHECKS: Readonly<Record<string, readonly string[]>> = {
  CKV_K8S_8: ['liveness-probe-missing'],
  CKV_K8S_9: ['readiness-probe-missing'],
  CKV_K8S_10: ['resource-requests-missing'],
  CKV_K8S_11: ['resource-limits-missing'],
  CKV_K8S_12: ['resource-requests-missing'],
  CKV_K8S_13: ['resource-limits-missing'],
  CKV_K8S_14: ['image-tag-mutable'],
  CKV_K8S_16: ['privileged-container'],
  CKV_K8S_17: ['host-pid'],
  CKV_K8S_18: ['host-ipc'],
  CKV_K8S_19: ['host-network'],
  CKV_K8S_20: ['privilege-escalation-allowed'],
  CKV_K8S_22: ['read-only-root-filesystem'],
  CKV_K8S_23: ['run-as-non-root-unset', 'run-as-user-root'],
  CKV_K8S_25: ['dangerous-capabilities'],
  CKV_K8S_26: ['host-port'],
  CKV_K8S_27: ['host-path-volume'],
  // "Minimize the admission of containers with the NET_RAW capability": passes once NET_RAW or ALL is dropped.
  CKV_K8S_28: ['capabilities-not-dropped'],
  CKV_K8S_31: ['seccomp-profile-missing', 'seccomp-unconfined'],
  CKV_K8S_35: ['secret-env-reference'],
  CKV_K8S_37: ['capabilities-not-dropped'],
  CKV_K8S_38: ['automount-service-account-token'],
  CKV_K8S_39: ['dangerous-capabilities'],
  CKV_K8S_43: ['image-not-pinned'],
  CKV_K8S_49: ['rbac-wildcard'],
  CKV_K8S_157: ['rbac-escalation-verbs'],
  CKV_K8S_158: ['rbac-escalation-verbs'],
};
