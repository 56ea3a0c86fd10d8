/**
 * What one file tells the rules about the rest of the workspace: the facts the workspace model
 * is built from. Each fact is plain data (it crosses to worker threads and into caches) and says
 * where it is written, so a finding in another file can point at it.
 */
import type { Range } from '../types';

export interface FactLocation {
  /** The file's path as the host gave it (absolute on disk). */
  path: string;
  range: Range;
}

/** Pod Security Admission modes a Namespace label sets (`pod-security.kubernetes.io/<mode>`). */
export type AdmissionMode = 'enforce' | 'warn' | 'audit';

export interface AdmissionLabel {
  /** `privileged`, `baseline` or `restricted`, as written. */
  level: string;
  /** `pod-security.kubernetes.io/<mode>-version`: `latest` or `v1.N`; undefined when not set. */
  version?: string;
  at: FactLocation;
}

export interface NamespaceFact {
  kind: 'namespace';
  name: string;
  at: FactLocation;
  admission: Partial<Record<AdmissionMode, AdmissionLabel>>;
}

export interface ServiceAccountFact {
  kind: 'service-account';
  name: string;
  /** `metadata.namespace`; undefined when the manifest leaves it to the apply. */
  namespace?: string;
  /** `automountServiceAccountToken`, when written as a boolean. */
  automount?: boolean;
  at: FactLocation;
}

/** A RoleBinding or ClusterRoleBinding, with the service accounts it names as subjects. */
export interface BindingFact {
  kind: 'binding';
  bindingKind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  namespace?: string;
  /** `Kind/name` of the role it grants, e.g. `ClusterRole/view`. */
  roleRef: string;
  serviceAccounts: Array<{ name: string; namespace?: string }>;
  at: FactLocation;
}

/** An image built from a Dockerfile in this workspace: mapped in `.shipshape.yaml` (`images:`), or built by skaffold or compose. */
export interface ImageBuildFact {
  kind: 'image-build';
  /** The image's name without tag or digest, normalised (`docker.io/library/web`, `registry.example.com/shop/cart`). */
  image: string;
  /** Path of the Dockerfile, resolved against the declaring file's folder. */
  dockerfile: string;
  /** The build stage (`--target`), when one is named. */
  target?: string;
  source: 'config' | 'skaffold' | 'compose';
  at: FactLocation;
}

/**
 * A container that requires `runAsNonRoot: true` with no `runAsUser` in force: the kubelet must
 * then verify the image's own USER, which only works for a numeric one.
 */
export interface NonRootRequirementFact {
  kind: 'non-root-requirement';
  /** The container's image, normalised (no tag or digest). */
  image: string;
  /** `<Kind>/<name>` of the workload, for messages. */
  workload: string;
  at: FactLocation;
}

/** A USER instruction as it decides who a stage runs as. */
export interface StageUser {
  /** The user as written after variable expansion (`app`, `10001:10001`); undefined when an ARG without default decides it. */
  value?: string;
  at: FactLocation;
}

/** One build stage of a Dockerfile, with who it runs as. */
export interface DockerfileStageFact {
  index: number;
  /** The stage's `AS` name, lower-cased. */
  name?: string;
  /** The last USER of the stage or of the stages it is built FROM; undefined when none sets one. */
  user?: StageUser;
  /** The image the stage chain starts from (`FROM <image>` of its first non-stage ancestor), resolved; undefined for `scratch` or an unresolved ARG. */
  baseImage?: string;
  /**
   * On a Windows base, who the stage runs as without a USER (ContainerUser for Nano Server,
   * ContainerAdministrator otherwise); undefined for a Linux stage. Windows users are names, never UIDs.
   */
  windowsDefaultUser?: string;
  /** The stage's last line: where a finding about a missing USER points. */
  lastLine: FactLocation;
}

export interface DockerfileFact {
  kind: 'dockerfile';
  path: string;
  /** In order; the last one is what `docker build` produces without `--target`. */
  stages: DockerfileStageFact[];
}

/** A kustomization file and what it includes (RULES.md, "Kustomize"), resolved against its folder. */
export interface KustomizationFact {
  kind: 'kustomization';
  path: string;
  /** `kind: Component`: applied by the kustomizations that list it under `components`. */
  isComponent: boolean;
  /** Each local path it names: a resource or component (a file, or a folder with a kustomization), or a patch file. */
  includes: Array<{ path: string; as: 'resource' | 'component' | 'patch' }>;
}

export type WorkspaceFact = NamespaceFact | ServiceAccountFact | BindingFact | ImageBuildFact | DockerfileFact | NonRootRequirementFact | KustomizationFact;
