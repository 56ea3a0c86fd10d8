/**
 * What one file tells the rules about the rest of the workspace: the facts the workspace model
 * is built from. Each fact is plain data (it crosses to worker threads and into caches) and says
 * where it is written, so a finding in another file can point at it.
 */
import type { Range } from '../types';
import type { VulnerabilitySeverity } from '../settings/definition';

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

/** An image a vulnerability report names: its normalised name and one tag or digest it was scanned under. */
export interface ScannedImage {
  /** `docker.io/library/nginx`, `ghcr.io/acme/app` (mirrors of official images under their Docker Hub name). */
  name: string;
  tag?: string;
  digest?: string;
}

/** One finding of a report, with only the fields Shipshape shows (cleaned: one line, bounded length). */
export interface ReportedVulnerability {
  id: string;
  severity: VulnerabilitySeverity;
  package: string;
  installed?: string;
  /** The fixed version(s) as the scanner words them; undefined when no fix is known. */
  fixed?: string;
  title?: string;
  /** An https link to the advisory. */
  url?: string;
}

/** What a Trivy or Grype report (JSON or SARIF) says about one image; the host reads the files the config lists. */
export interface VulnerabilityReportFact {
  kind: 'vulnerability-report';
  scanner: 'Trivy' | 'Grype';
  format: 'JSON' | 'SARIF';
  images: ScannedImage[];
  /** When the scan ran (ISO 8601, UTC): from the report, else the file's modification time; undefined when neither is known. */
  scannedAt?: string;
  scannedAtSource: 'report' | 'file';
  vulnerabilities: ReportedVulnerability[];
  /** The report file (its first line: the report is not text a person edits). */
  at: FactLocation;
}

/** The image patterns of one signature-verifying admission policy rule. */
export interface SignaturePolicyFact {
  kind: 'signature-policy';
  /** Kyverno (`ClusterPolicy`/`Policy` rules with `verifyImages`) or Sigstore policy-controller (`ClusterImagePolicy`). */
  tool: 'kyverno' | 'sigstore';
  policyKind: 'ClusterPolicy' | 'Policy' | 'ClusterImagePolicy';
  name: string;
  /** A Kyverno `Policy` applies in its own namespace only. */
  namespace?: string;
  /**
   * One set per Kyverno `verifyImages` entry (`imageReferences`, wildcards `*` and `?`, minus its
   * `skipImageReferences`), or the ClusterImagePolicy's `spec.images[].glob`s (`*` within a path
   * component, `**` across) as one set without skips.
   */
  imageSets: Array<{ patterns: string[]; skipPatterns: string[] }>;
  at: FactLocation;
}

/** A `package-ecosystem: docker` entry of `.github/dependabot.yml`. */
export interface DependabotDockerEntry {
  /** Folders relative to the repository root, without leading or trailing `/` (`''` is the root). */
  directories: string[];
  /** `directories` may hold globs; `directory` is taken literally. */
  globs: boolean;
  /** `exclude-paths`, relative to the repository root. */
  excludePaths: string[];
  at: FactLocation;
}

/**
 * A repository root where the host looked for updater configurations, whether it found any: a
 * Dockerfile under no such root was analysed without its workspace, and nothing is said of it.
 */
export interface RepositoryFact {
  kind: 'repository';
  root: string;
  /**
   * Whether a `.git` marks `root` as a repository root. A workspace folder that is none (an
   * unpacked archive, a folder of files from many repositories) says nothing of where an updater
   * configuration would go, so only what a configuration found there says is reported.
   */
  versionControlled: boolean;
  at: FactLocation;
}

/** A dependency updater's configuration, as far as it decides which Dockerfiles it watches. */
export type UpdaterFact = DependabotFact | RenovateFact;

export interface DependabotFact {
  kind: 'updater';
  tool: 'dependabot';
  /** The repository root the paths are relative to (the folder holding `.github`). */
  root: string;
  docker: DependabotDockerEntry[];
  at: FactLocation;
}

export interface RenovateFact {
  kind: 'updater';
  tool: 'renovate';
  root: string;
  /** Renovate reads the first config it finds in its documented order; lower is read first. */
  precedence: number;
  /** Why the dockerfile manager extracts nothing (`"enabled": false`, `enabledManagers` without it, ...) and what turns it on; undefined when it is on. */
  dockerfileOff?: { reason: string; fix: string };
  /** `ignorePaths` after presets (Renovate's default, or `config:recommended`'s). */
  ignorePaths: string[];
  /** Where `ignorePaths` comes from: the config itself, a preset (`config:recommended`), or Renovate's default. */
  ignorePathsFrom: string;
  includePaths: string[];
  /** `dockerfile.managerFilePatterns` / `fileMatch` added to the manager's defaults. */
  extraFilePatterns: string[];
  at: FactLocation;
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

export type WorkspaceFact =
  | NamespaceFact
  | ServiceAccountFact
  | BindingFact
  | ImageBuildFact
  | DockerfileFact
  | NonRootRequirementFact
  | KustomizationFact
  | VulnerabilityReportFact
  | SignaturePolicyFact
  | RepositoryFact
  | UpdaterFact;
