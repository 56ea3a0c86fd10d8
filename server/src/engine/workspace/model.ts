/**
 * The workspace model: the facts every file contributes (facts.ts), indexed by what rules ask
 * for, and which files' findings depend on which facts. The host feeds it (file texts or their
 * extracted facts), rules query it through a `WorkspaceView`, and the reads a view records tell
 * the host which files to re-analyse when another file's facts change.
 */
import type {
  BindingFact,
  DockerfileFact,
  ImageBuildFact,
  KustomizationFact,
  NamespaceFact,
  NonRootRequirementFact,
  ServiceAccountFact,
  RepositoryFact,
  SignaturePolicyFact,
  UpdaterFact,
  VulnerabilityReportFact,
  WorkspaceFact,
} from './facts';
import { KUSTOMIZATION_FILE_NAMES, pathApi } from '../kustomize/kustomization';

/** What rules may ask of the workspace; every answer is recorded as a dependency of the file asking. */
export interface WorkspaceView {
  /** Namespace manifests named `name` (a workspace can hold the same one twice: overlays, environments). */
  namespaces(name: string): readonly NamespaceFact[];
  /**
   * ServiceAccount manifests named `name` in `namespace`. A side that names no namespace (left to
   * `kubectl apply -n`, a Helm release or a Kustomize overlay) matches any namespace.
   */
  serviceAccounts(namespace: string | undefined, name: string): readonly ServiceAccountFact[];
  /** RoleBindings and ClusterRoleBindings naming that service account as a subject (namespaces matched as above). */
  bindingsOf(namespace: string | undefined, name: string): readonly BindingFact[];
  /** Skaffold and compose builds of an image (its normalised name, without tag or digest). */
  imageBuilds(image: string): readonly ImageBuildFact[];
  /** The stages of the Dockerfile at `path`, if it is in the workspace. */
  dockerfile(path: string): DockerfileFact | undefined;
  /** The builds (config, skaffold, compose) whose Dockerfile is at `path`. */
  buildsFrom(dockerfile: string): readonly ImageBuildFact[];
  /** Containers that require runAsNonRoot: true for this image (normalised name) with no runAsUser in force. */
  nonRootRequirements(image: string): readonly NonRootRequirementFact[];
  /** Vulnerability reports that scanned an image of this name (normalised, mirrors under their Docker Hub name), any tag or digest. */
  vulnerabilityReports(image: string): readonly VulnerabilityReportFact[];
  /** Every signature-verifying admission policy of the workspace (Kyverno, Sigstore policy-controller). */
  signaturePolicies(): readonly SignaturePolicyFact[];
  /** The repository roots the host looked for updater configurations in. */
  repositories(): readonly RepositoryFact[];
  /** Every dependency updater configuration (Dependabot, Renovate) found at those roots. */
  updaters(): readonly UpdaterFact[];
}

/** A view that records the keys it was asked for: the file's dependencies. */
export interface RecordingView extends WorkspaceView {
  readonly reads: ReadonlySet<string>;
  /**
   * A view whose reads are recorded here too: one per YAML section, so a section whose findings
   * are reused from a cache can `note` what it read when it was analysed.
   */
  scoped(): RecordingView;
  note(keys: Iterable<string>): void;
  /**
   * A stamp of the facts under these keys, without recording a read: a cached result stamped
   * when it was computed still holds while the stamp is the same.
   */
  stampOf(keys: readonly string[]): string;
}

/** The keys a fact answers to; a query reads exactly one key. */
function keysOf(fact: WorkspaceFact): string[] {
  switch (fact.kind) {
    case 'namespace':
      return [namespaceKey(fact.name)];
    case 'service-account':
      return [serviceAccountKey(fact.name)];
    case 'binding':
      return [...new Set(fact.serviceAccounts.map((account) => bindingsKey(account.name)))];
    case 'image-build':
      return [imageKey(fact.image), buildsFromKey(fact.dockerfile)];
    case 'non-root-requirement':
      return [nonRootKey(fact.image)];
    case 'dockerfile':
      return [dockerfileKey(fact.path)];
    case 'vulnerability-report':
      return [...new Set(fact.images.map((image) => reportKey(image.name)))];
    case 'signature-policy':
      return [SIGNATURE_POLICIES_KEY];
    case 'repository':
      return [REPOSITORIES_KEY];
    case 'updater':
      return [UPDATERS_KEY];
    case 'kustomization':
      return [kustomizationKey(fact.path), ...fact.includes.map((include) => includesKey(include.path))];
  }
}

/** The file a fact is written in. */
function fileOf(fact: WorkspaceFact): string {
  return fact.kind === 'dockerfile' || fact.kind === 'kustomization' ? fact.path : fact.at.path;
}

const namespaceKey = (name: string): string => `namespace:${name}`;
// Service accounts are keyed by name alone: which namespace matches is decided when asked.
const serviceAccountKey = (name: string): string => `service-account:${name}`;
const bindingsKey = (name: string): string => `bindings-of:${name}`;

/**
 * Namespaces match when they are equal, or when either side leaves the namespace to the apply
 * (kubectl -n, Helm, Kustomize) and the account is a named one. Every namespace has its own
 * `default` account: a binding to one namespace's says nothing about a manifest with no namespace.
 */
function sameNamespace(a: string | undefined, b: string | undefined, account: string): boolean {
  if (a === b) return true;
  return account !== 'default' && (a === undefined || b === undefined);
}
const imageKey = (image: string): string => `image:${image}`;
const dockerfileKey = (path: string): string => `dockerfile:${path}`;
const buildsFromKey = (path: string): string => `builds-from:${path}`;
const nonRootKey = (image: string): string => `non-root-requirement:${image}`;
const reportKey = (image: string): string => `vulnerability-report:${image}`;
const SIGNATURE_POLICIES_KEY = 'signature-policies';
const UPDATERS_KEY = 'updaters';
const REPOSITORIES_KEY = 'repositories';
const kustomizationKey = (path: string): string => `kustomization:${path}`;
/** Answers "who includes this path" (a file, or a folder holding a kustomization). */
const includesKey = (path: string): string => `kustomize-includes:${path}`;

/** The Kustomize builds of the workspace, worked out from its kustomization facts. */
interface KustomizeIndex {
  /** Top-level kustomization files, in path order. */
  builds: string[];
  /** Build → the kustomization files and the other files it reads. */
  closure: Map<string, { kustomizations: Set<string>; files: Set<string> }>;
  /** File → the builds that read it. */
  buildsOf: Map<string, string[]>;
  /** Files some kustomization lists as a patch. */
  patches: Set<string>;
}

export class WorkspaceModel {
  private readonly factsByFile = new Map<string, readonly WorkspaceFact[]>();
  /** Key → the facts under it, from every file. */
  private readonly byKey = new Map<string, WorkspaceFact[]>();
  /** File → the keys its last analysis read; key → the files that read it. */
  private readonly readsByFile = new Map<string, ReadonlySet<string>>();
  private readonly readersByKey = new Map<string, Set<string>>();
  /** Key → `factsSignature(key)`, until the facts under the key change. */
  private readonly keySignatures = new Map<string, string>();
  /** Key → how many times its facts changed: what `stampOf` reads. */
  private readonly keyVersions = new Map<string, number>();

  /** A model holding these facts (a snapshot sent to a worker thread). */
  static fromFacts(facts: readonly WorkspaceFact[]): WorkspaceModel {
    const model = new WorkspaceModel();
    const byFile = new Map<string, WorkspaceFact[]>();
    for (const fact of facts) {
      const path = fileOf(fact);
      byFile.set(path, [...(byFile.get(path) ?? []), fact]);
    }
    for (const [path, fileFacts] of byFile) model.setFacts(path, fileFacts);
    return model;
  }

  /** Every fact, for a snapshot. */
  allFacts(): WorkspaceFact[] {
    return [...this.factsByFile.values()].flat();
  }

  /**
   * Replaces what `path` contributes. Returns the other files whose findings may change: those
   * whose last analysis read a key whose facts are now different.
   */
  setFacts(path: string, facts: readonly WorkspaceFact[]): Set<string> {
    const before = this.signaturesOf(path);
    if (facts.some((fact) => fact.kind === 'kustomization') || (this.factsByFile.get(path) ?? []).some((fact) => fact.kind === 'kustomization')) {
      this.kustomize = undefined;
    }
    this.removeFromKeys(path);
    if (facts.length > 0) this.factsByFile.set(path, facts);
    else this.factsByFile.delete(path);
    for (const fact of facts) {
      for (const key of keysOf(fact)) {
        this.keySignatures.delete(key);
        const list = this.byKey.get(key);
        if (list) list.push(fact);
        else this.byKey.set(key, [fact]);
      }
    }
    const after = this.signaturesOf(path);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key));
    for (const key of changed) this.keyVersions.set(key, (this.keyVersions.get(key) ?? 0) + 1);
    return this.readersOf(changed, path);
  }

  /** The file is gone: forget its facts and its reads; returns the files that read its facts. */
  removeFile(path: string): Set<string> {
    const dependents = this.setFacts(path, []);
    this.recordReads(path, []);
    return dependents;
  }

  /** What `path`'s latest analysis asked the workspace (the keys its view recorded). */
  recordReads(path: string, keys: Iterable<string>): void {
    const reads = new Set(keys);
    const before = this.readsByFile.get(path);
    // Re-published files mostly read what they read before.
    if (before && before.size === reads.size && [...reads].every((key) => before.has(key))) return;
    for (const key of before ?? []) this.readersByKey.get(key)?.delete(path);
    if (reads.size === 0) {
      this.readsByFile.delete(path);
      return;
    }
    this.readsByFile.set(path, reads);
    for (const key of reads) {
      const readers = this.readersByKey.get(key);
      if (readers) readers.add(path);
      else this.readersByKey.set(key, new Set([path]));
    }
  }

  /** The files whose facts `path`'s latest analysis read. */
  dependenciesOf(path: string): Set<string> {
    const files = new Set<string>();
    for (const key of this.readsByFile.get(path) ?? []) {
      for (const fact of this.byKey.get(key) ?? []) files.add(fileOf(fact));
    }
    files.delete(path);
    return files;
  }

  /**
   * Everything a query of `key` can answer, in order, as one string: equal strings mean equal
   * answers. A host that keeps findings between runs compares the signatures of the keys a file
   * read (its `reads`) to know whether the rest of the workspace still tells it the same.
   */
  factsSignature(key: string): string {
    let signature = this.keySignatures.get(key);
    if (signature === undefined) {
      signature = JSON.stringify(this.byKey.get(key) ?? []);
      this.keySignatures.set(key, signature);
    }
    return signature;
  }

  /** Top-level kustomizations (RULES.md, "Kustomize"): the builds whose output the rules judge. */
  kustomizeBuilds(): string[] {
    return this.kustomizeIndex().builds;
  }

  /** Every file `build` may read: its kustomization files, resources and patches (paths, not all of them exist). */
  kustomizeFiles(build: string): string[] {
    const closure = this.kustomizeIndex().closure.get(build);
    return closure ? [...closure.kustomizations, ...closure.files] : [];
  }

  /** The builds that read `path`; none for a file no build includes (analysed alone). */
  kustomizeBuildsOf(path: string): string[] {
    return this.kustomizeIndex().buildsOf.get(path) ?? [];
  }

  /** True for a file some kustomization lists as a patch: never a workload of its own. */
  isKustomizePatch(path: string): boolean {
    return this.kustomizeIndex().patches.has(path);
  }

  /**
   * The files whose findings change when the text of `path` changes without its facts changing
   * (a keystroke in a base or a patch): every other file of the builds that read it.
   */
  kustomizeDependents(path: string): Set<string> {
    const index = this.kustomizeIndex();
    const dependents = new Set<string>();
    for (const build of index.buildsOf.get(path) ?? []) {
      const closure = index.closure.get(build);
      for (const file of [...(closure?.kustomizations ?? []), ...(closure?.files ?? [])]) dependents.add(file);
    }
    dependents.delete(path);
    return dependents;
  }

  /**
   * What the findings of `path` depend on in the kustomization facts, for `recordReads`: the
   * kustomizations of its builds, whether each build is still top-level, and whether some
   * kustomization (now) includes the file itself.
   */
  kustomizeReads(path: string): string[] {
    const index = this.kustomizeIndex();
    const keys = new Set([includesKey(path)]);
    for (const build of index.buildsOf.get(path) ?? []) {
      keys.add(includesKey(pathApi(build).dirname(build)));
      for (const kustomization of index.closure.get(build)?.kustomizations ?? []) keys.add(kustomizationKey(kustomization));
    }
    return [...keys];
  }

  private kustomize: KustomizeIndex | undefined;

  private kustomizeIndex(): KustomizeIndex {
    this.kustomize ??= indexKustomizations([...this.factsByFile.values()].flat().filter((fact): fact is KustomizationFact => fact.kind === 'kustomization'));
    return this.kustomize;
  }

  /** A fresh view for one analysis; its `reads` go to `recordReads` afterwards. */
  view(): RecordingView {
    return new ModelView(this.byKey, this.keyVersions);
  }

  /** Each key `path` contributes to, with a signature of its facts there (for change detection). */
  private signaturesOf(path: string): Map<string, string> {
    const signatures = new Map<string, string>();
    for (const fact of this.factsByFile.get(path) ?? []) {
      for (const key of keysOf(fact)) signatures.set(key, `${signatures.get(key) ?? ''}${JSON.stringify(fact)}\n`);
    }
    return signatures;
  }

  private removeFromKeys(path: string): void {
    for (const fact of this.factsByFile.get(path) ?? []) {
      for (const key of keysOf(fact)) {
        this.keySignatures.delete(key);
        const remaining = (this.byKey.get(key) ?? []).filter((candidate) => candidate !== fact);
        if (remaining.length > 0) this.byKey.set(key, remaining);
        else this.byKey.delete(key);
      }
    }
  }

  private readersOf(keys: readonly string[], except: string): Set<string> {
    const readers = new Set<string>();
    for (const key of keys) for (const reader of this.readersByKey.get(key) ?? []) readers.add(reader);
    readers.delete(except);
    return readers;
  }
}

class ModelView implements RecordingView {
  readonly reads = new Set<string>();

  constructor(
    private readonly byKey: ReadonlyMap<string, readonly WorkspaceFact[]>,
    private readonly keyVersions: ReadonlyMap<string, number>,
    private readonly parent?: ModelView,
  ) {}

  namespaces(name: string): NamespaceFact[] {
    return this.lookup<NamespaceFact>(namespaceKey(name), 'namespace');
  }

  serviceAccounts(namespace: string | undefined, name: string): ServiceAccountFact[] {
    return this.lookup<ServiceAccountFact>(serviceAccountKey(name), 'service-account').filter((account) => sameNamespace(account.namespace, namespace, name));
  }

  bindingsOf(namespace: string | undefined, name: string): BindingFact[] {
    return this.lookup<BindingFact>(bindingsKey(name), 'binding').filter((binding) =>
      binding.serviceAccounts.some((account) => account.name === name && sameNamespace(account.namespace ?? binding.namespace, namespace, name)),
    );
  }

  imageBuilds(image: string): ImageBuildFact[] {
    return this.lookup<ImageBuildFact>(imageKey(image), 'image-build');
  }

  dockerfile(path: string): DockerfileFact | undefined {
    return this.lookup<DockerfileFact>(dockerfileKey(path), 'dockerfile')[0];
  }

  buildsFrom(dockerfile: string): ImageBuildFact[] {
    return this.lookup<ImageBuildFact>(buildsFromKey(dockerfile), 'image-build');
  }

  nonRootRequirements(image: string): NonRootRequirementFact[] {
    return this.lookup<NonRootRequirementFact>(nonRootKey(image), 'non-root-requirement');
  }

  vulnerabilityReports(image: string): VulnerabilityReportFact[] {
    return this.lookup<VulnerabilityReportFact>(reportKey(image), 'vulnerability-report');
  }

  signaturePolicies(): SignaturePolicyFact[] {
    return this.lookup<SignaturePolicyFact>(SIGNATURE_POLICIES_KEY, 'signature-policy');
  }

  repositories(): RepositoryFact[] {
    return this.lookup<RepositoryFact>(REPOSITORIES_KEY, 'repository');
  }

  updaters(): UpdaterFact[] {
    return this.lookup<UpdaterFact>(UPDATERS_KEY, 'updater');
  }

  scoped(): RecordingView {
    return new ModelView(this.byKey, this.keyVersions, this);
  }

  note(keys: Iterable<string>): void {
    const list = [...keys];
    for (const key of list) this.reads.add(key);
    this.parent?.note(list);
  }

  stampOf(keys: readonly string[]): string {
    return keys.map((key) => this.keyVersions.get(key) ?? 0).join(',');
  }

  private lookup<F extends WorkspaceFact>(key: string, kind: F['kind']): F[] {
    this.note([key]);
    return (this.byKey.get(key) ?? []).filter((fact): fact is F => fact.kind === kind);
  }
}

/**
 * Builds are the kustomizations (not components) that no other lists under `resources` or
 * `components`; kustomizations only a cycle reaches are built too, so the cycle is reported.
 */
function indexKustomizations(facts: readonly KustomizationFact[]): KustomizeIndex {
  const byPath = new Map(facts.map((fact) => [fact.path, fact]));
  const byDir = new Map<string, string>();
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    for (const fact of facts) {
      const api = pathApi(fact.path);
      if (api.basename(fact.path) === name && !byDir.has(api.dirname(fact.path))) byDir.set(api.dirname(fact.path), fact.path);
    }
  }
  const included = new Set<string>();
  const patches = new Set<string>();
  for (const fact of facts) {
    for (const include of fact.includes) {
      if (include.as === 'patch') patches.add(include.path);
      const kustomization = byDir.get(include.path);
      if (kustomization !== undefined) included.add(kustomization);
    }
  }
  const closure = new Map<string, { kustomizations: Set<string>; files: Set<string> }>();
  const reached = new Set<string>();
  const collect = (build: string): void => {
    const result = { kustomizations: new Set<string>(), files: new Set<string>() };
    const pending = [build];
    while (pending.length > 0) {
      const path = pending.pop() ?? '';
      if (result.kustomizations.has(path)) continue;
      result.kustomizations.add(path);
      reached.add(path);
      for (const include of byPath.get(path)?.includes ?? []) {
        const kustomization = include.as === 'patch' ? undefined : byDir.get(include.path);
        if (kustomization !== undefined) pending.push(kustomization);
        else result.files.add(include.path);
      }
    }
    closure.set(build, result);
  };
  const sorted = [...facts].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const builds = sorted.filter((fact) => !fact.isComponent && !included.has(fact.path)).map((fact) => fact.path);
  for (const build of builds) collect(build);
  for (const fact of sorted) {
    if (fact.isComponent || reached.has(fact.path)) continue;
    builds.push(fact.path);
    collect(fact.path);
  }
  const buildsOf = new Map<string, string[]>();
  for (const [build, files] of closure) {
    for (const file of [...files.kustomizations, ...files.files]) buildsOf.set(file, [...(buildsOf.get(file) ?? []), build]);
  }
  return { builds, closure, buildsOf, patches };
}
