/**
 * Reads the workspace facts a file contributes (facts.ts): cheap enough to run on every file of
 * a workspace. YAML sections are parsed only when a quick look says they can hold a fact.
 */
import { dirname, join } from 'node:path';
import type { YAMLMap, YAMLSeq } from 'yaml';
import type { Span } from '../types';
import { detectFileKind, isComposeFile } from '../file-kind';
import { LineIndex, stripBom } from '../source/text';
import { booleanOf, scalarString, YamlView } from '../source/yaml-view';
import { parseYamlSection, splitYamlSections } from '../parse/yaml';
import { prepareHelmTemplate } from '../parse/helm';
import { containsAnyMask } from '../parse/helm-mask';
import { effectiveUser, parseDockerfile, type DockerStage } from '../parse/dockerfile';
import type { DockerfileCacheEntry } from '../parse/dockerfile-chunks';
import { windowsDefaultUser } from '../dockerfile/windows';
import { isImageReferenceError, parseImageReference } from '../images/reference';
import { findPodSpecs, findResources } from '../kubernetes/walker';
import { containerImage } from '../kubernetes/container-image';
import { effectiveSetting } from '../kubernetes/security-profiles';
import { isKustomizationPath, isRemote, pathApi, readKustomization } from '../kustomize/kustomization';
import { SourceSet } from '../kustomize/sources';
import type {
  AdmissionLabel,
  AdmissionMode,
  BindingFact,
  NamespaceFact,
  DockerfileStageFact,
  FactLocation,
  ImageBuildFact,
  KustomizationFact,
  NonRootRequirementFact,
  SignaturePolicyFact,
  WorkspaceFact,
} from './facts';

const ADMISSION_MODES: readonly AdmissionMode[] = ['enforce', 'warn', 'audit'];
const ADMISSION_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/** Kinds whose documents hold facts; other documents are not parsed. */
const FACT_KINDS = /^kind:[ \t]*["']?(Namespace|ServiceAccount|RoleBinding|ClusterRoleBinding|Config|ClusterPolicy|Policy|ClusterImagePolicy)\b/m;
/** Workloads that ask the kubelet to verify a non-root user (the only ones whose images' USER matters to it). */
const RUN_AS_NON_ROOT = /runAsNonRoot["']?[ \t]*:[ \t]*["']?true/;
const CONFIG_FILE = /^\.shipshape\.ya?ml$/;

/**
 * Facts of YAML sections by their text, with ranges counted from the section's first line: kept
 * per open document, so a keystroke re-reads only the section it touched.
 */
export type FactsCache = Map<string, readonly WorkspaceFact[] | DockerfileCacheEntry>;

/** The facts `path` contributes; none for files that hold none, or cannot be read. */
export function extractFacts(path: string, text: string, cache?: FactsCache): WorkspaceFact[] {
  const kind = detectFileKind(path);
  const { text: body } = stripBom(text);
  if (isKustomizationPath(path)) return kustomizationFacts(path, body);
  if (!kind) return [];
  try {
    return kind.kind === 'dockerfile' ? dockerfileFacts(path, body, cache) : yamlFacts(path, body, cache);
  } catch {
    // A file that cannot be read as a whole contributes nothing; its own analysis says why.
    return [];
  }
}

function yamlFacts(path: string, text: string, cache: FactsCache | undefined): WorkspaceFact[] {
  if (CONFIG_FILE.test(baseName(path))) return configImageFacts(path, text);
  const isCompose = isComposeFile(path);
  const holdsFacts = (candidate: string): boolean => isCompose || FACT_KINDS.test(candidate) || RUN_AS_NON_ROOT.test(candidate);
  if (!holdsFacts(text)) return [];
  const prepared = prepareHelmTemplate(path, text);
  if (prepared.skipped) return [];
  const lines = new LineIndex(text);
  const facts: WorkspaceFact[] = [];
  for (const section of splitYamlSections(prepared.text)) {
    if (!holdsFacts(section.text)) continue;
    const cached = cache?.get(section.text);
    let sectionFacts = Array.isArray(cached) ? cached : undefined;
    if (!sectionFacts) {
      sectionFacts = readSection(path, section.text, isCompose);
      cache?.set(section.text, sectionFacts);
    }
    // Sections start at column 0 (at a `---` line), so moving a range is adding lines.
    const firstLine = lines.positionAt(section.start).line;
    for (const fact of sectionFacts) facts.push(firstLine === 0 ? fact : shiftFact(fact, firstLine));
  }
  return facts;
}

/** One section's facts, with ranges counted from its first line. */
function readSection(path: string, text: string, isCompose: boolean): WorkspaceFact[] {
  const doc = parseYamlSection(text);
  if (doc.errors.length > 0) return [];
  const view = new YamlView(doc, text);
  const root = view.asMap(view.root);
  if (!root) return [];
  const reader = new SectionReader(path, view, 0, new LineIndex(text));
  if (isCompose) return reader.composeBuilds(root);
  return [
    ...(FACT_KINDS.test(text) ? reader.resourceFacts(root) : []),
    ...(RUN_AS_NON_ROOT.test(text) ? reader.nonRootRequirements(view, text) : []),
  ];
}

function shiftFact<F extends WorkspaceFact>(fact: F, lines: number): F {
  const move = (location: FactLocation): FactLocation => ({
    path: location.path,
    range: { start: { line: location.range.start.line + lines, character: location.range.start.character }, end: { line: location.range.end.line + lines, character: location.range.end.character } },
  });
  switch (fact.kind) {
    case 'namespace': {
      const admission: NamespaceFact['admission'] = {};
      for (const mode of ADMISSION_MODES) {
        const label = fact.admission[mode];
        if (label) admission[mode] = { ...label, at: move(label.at) };
      }
      return { ...fact, at: move(fact.at), admission };
    }
    case 'dockerfile':
    case 'kustomization':
      return fact;
    default:
      return { ...fact, at: move(fact.at) };
  }
}

/** Reads one parsed section; spans are section offsets, locations are file ranges. */
class SectionReader {
  constructor(
    private readonly path: string,
    private readonly view: YamlView,
    private readonly offset: number,
    private readonly lines: LineIndex,
  ) {}

  resourceFacts(root: YAMLMap): WorkspaceFact[] {
    const kind = this.literal(root, 'kind');
    const apiVersion = this.literal(root, 'apiVersion') ?? '';
    if (kind === 'Config' && apiVersion.startsWith('skaffold/')) return this.skaffoldBuilds(root);
    const metadata = this.view.getMap(root, 'metadata');
    const nameField = this.view.field(metadata, 'name');
    const name = this.literal(metadata, 'name');
    if (!nameField || name === undefined) return [];
    const at = this.location(nameField.valueSpan);
    const namespace = this.literal(metadata, 'namespace');
    const inNamespace = namespace === undefined ? {} : { namespace };
    switch (kind) {
      case 'Namespace':
        return [{ kind: 'namespace', name, at, admission: this.admissionLabels(this.view.getMap(metadata, 'labels')) }];
      case 'ServiceAccount': {
        const automount = booleanOf(this.view.get(root, 'automountServiceAccountToken'));
        return [{ kind: 'service-account', name, ...inNamespace, ...(automount === undefined ? {} : { automount }), at }];
      }
      case 'RoleBinding':
      case 'ClusterRoleBinding': {
        const roleRef = this.view.getMap(root, 'roleRef');
        const serviceAccounts: BindingFact['serviceAccounts'] = [];
        for (const item of this.view.items(this.view.getSeq(root, 'subjects'))) {
          const subject = this.view.asMap(item.node);
          const subjectName = this.literal(subject, 'name');
          if (this.literal(subject, 'kind') !== 'ServiceAccount' || subjectName === undefined) continue;
          const subjectNamespace = this.literal(subject, 'namespace');
          serviceAccounts.push({ name: subjectName, ...(subjectNamespace === undefined ? {} : { namespace: subjectNamespace }) });
        }
        if (serviceAccounts.length === 0) return [];
        const role = `${this.literal(roleRef, 'kind') ?? 'Role'}/${this.literal(roleRef, 'name') ?? ''}`;
        return [{ kind: 'binding', bindingKind: kind, name, ...inNamespace, roleRef: role, serviceAccounts, at }];
      }
      case 'ClusterPolicy':
      case 'Policy':
        return apiVersion.startsWith('kyverno.io/') ? this.kyvernoPolicy(root, kind, name, namespace, at) : [];
      case 'ClusterImagePolicy':
        return apiVersion.startsWith('policy.sigstore.dev/') ? this.sigstorePolicy(root, name, at) : [];
      default:
        return [];
    }
  }

  /** Kyverno rules with `verifyImages`: one image set per entry (`imageReferences`, or the older single `image`). */
  kyvernoPolicy(root: YAMLMap, kind: 'ClusterPolicy' | 'Policy', name: string, namespace: string | undefined, at: FactLocation): SignaturePolicyFact[] {
    const imageSets: SignaturePolicyFact['imageSets'] = [];
    for (const rule of this.view.items(this.view.getSeq(this.view.getMap(root, 'spec'), 'rules'))) {
      for (const entry of this.view.items(this.view.getSeq(this.view.asMap(rule.node), 'verifyImages'))) {
        const verify = this.view.asMap(entry.node);
        const single = this.literal(verify, 'image');
        const patterns = [...this.literals(this.view.getSeq(verify, 'imageReferences')), ...(single === undefined ? [] : [single])];
        if (patterns.length > 0) imageSets.push({ patterns, skipPatterns: this.literals(this.view.getSeq(verify, 'skipImageReferences')) });
      }
    }
    if (imageSets.length === 0) return [];
    const scope = kind === 'Policy' && namespace !== undefined ? { namespace } : {};
    return [{ kind: 'signature-policy', tool: 'kyverno', policyKind: kind, name, ...scope, imageSets, at }];
  }

  /** A policy-controller ClusterImagePolicy: its `spec.images[].glob`s. */
  sigstorePolicy(root: YAMLMap, name: string, at: FactLocation): SignaturePolicyFact[] {
    const globs = this.view.items(this.view.getSeq(this.view.getMap(root, 'spec'), 'images')).flatMap((item) => {
      const glob = this.literal(this.view.asMap(item.node), 'glob');
      return glob === undefined ? [] : [glob];
    });
    return globs.length === 0 ? [] : [{ kind: 'signature-policy', tool: 'sigstore', policyKind: 'ClusterImagePolicy', name, imageSets: [{ patterns: globs, skipPatterns: [] }], at }];
  }

  /** Containers requiring runAsNonRoot: true with no runAsUser in force, by image. */
  nonRootRequirements(view: YamlView, text: string): NonRootRequirementFact[] {
    const facts: NonRootRequirementFact[] = [];
    for (const resource of findResources(view, text, '')) {
      for (const pod of findPodSpecs(resource)) {
        for (const container of pod.containers) {
          if (container.kind === 'ephemeralContainer' || booleanOf(effectiveSetting(container, 'runAsNonRoot')?.value) !== true) continue;
          if (effectiveSetting(container, 'runAsUser') !== undefined) continue;
          const image = containerImage(container);
          if (!image || isImageReferenceError(image.parsed)) continue;
          facts.push({ kind: 'non-root-requirement', image: image.parsed.name, workload: `${resource.kind}/${resource.name ?? ''}`, at: this.location(image.span) });
        }
      }
    }
    return facts;
  }

  /** `build.artifacts` and every profile's, as skaffold v2, v3 and v4 schemas write them. */
  skaffoldBuilds(root: YAMLMap): ImageBuildFact[] {
    const builds = [this.view.getMap(root, 'build')];
    for (const item of this.view.items(this.view.getSeq(root, 'profiles'))) builds.push(this.view.getMap(this.view.asMap(item.node), 'build'));
    const facts: ImageBuildFact[] = [];
    for (const build of builds) {
      for (const item of this.view.items(this.view.getSeq(build, 'artifacts'))) {
        const artifact = this.view.asMap(item.node);
        const imageField = this.view.field(artifact, 'image');
        const image = normalisedImage(this.literal(artifact, 'image'));
        // Only the docker builder (the default) builds from a Dockerfile.
        if (!imageField || image === undefined || OTHER_SKAFFOLD_BUILDERS.some((builder) => this.view.field(artifact, builder))) continue;
        // kaniko artifacts build from a Dockerfile too, with the same keys.
        const docker = this.view.getMap(artifact, 'docker') ?? this.view.getMap(artifact, 'kaniko');
        const context = this.literal(artifact, 'context') ?? '.';
        if (isRemoteContext(context)) continue;
        const target = this.literal(docker, 'target');
        facts.push({
          kind: 'image-build',
          image,
          dockerfile: join(dirname(this.path), context, this.literal(docker, 'dockerfile') ?? 'Dockerfile'),
          ...(target === undefined ? {} : { target }),
          source: 'skaffold',
          at: this.location(imageField.valueSpan),
        });
      }
    }
    return facts;
  }

  /** `services.*` that build an image they name: `build: ./dir`, or `build: {context, dockerfile, target}`. */
  composeBuilds(root: YAMLMap): ImageBuildFact[] {
    const facts: ImageBuildFact[] = [];
    for (const service of this.view.fields(this.view.getMap(root, 'services'))) {
      const definition = this.view.asMap(service.value);
      const imageField = this.view.field(definition, 'image');
      const image = normalisedImage(this.literal(definition, 'image'));
      const build = this.view.get(definition, 'build');
      if (!imageField || image === undefined || build === undefined || build === null) continue;
      const buildMap = this.view.asMap(build);
      const context = buildMap ? (this.literal(buildMap, 'context') ?? '.') : scalarString(build);
      if (context === undefined || isRemoteContext(context) || this.view.field(buildMap, 'dockerfile_inline')) continue;
      const target = this.literal(buildMap, 'target');
      facts.push({
        kind: 'image-build',
        image,
        dockerfile: join(dirname(this.path), context, this.literal(buildMap, 'dockerfile') ?? 'Dockerfile'),
        ...(target === undefined ? {} : { target }),
        source: 'compose',
        at: this.location(imageField.valueSpan),
      });
    }
    return facts;
  }

  configImages(images: YAMLMap | undefined): ImageBuildFact[] {
    const facts: ImageBuildFact[] = [];
    for (const field of this.view.fields(images)) {
      const image = normalisedImage(field.key);
      const dockerfile = scalarString(field.value);
      if (image === undefined || dockerfile === undefined) continue;
      facts.push({ kind: 'image-build', image, dockerfile: join(dirname(this.path), dockerfile), source: 'config', at: this.location(field.keySpan) });
    }
    return facts;
  }

  private admissionLabels(labels: YAMLMap | undefined): Partial<Record<AdmissionMode, AdmissionLabel>> {
    const admission: Partial<Record<AdmissionMode, AdmissionLabel>> = {};
    for (const mode of ADMISSION_MODES) {
      const field = this.view.field(labels, `${ADMISSION_LABEL_PREFIX}${mode}`);
      const level = this.literal(labels, `${ADMISSION_LABEL_PREFIX}${mode}`);
      if (!field || level === undefined) continue;
      const version = this.literal(labels, `${ADMISSION_LABEL_PREFIX}${mode}-version`);
      admission[mode] = { level, ...(version === undefined ? {} : { version }), at: this.location({ start: field.keySpan.start, end: field.valueSpan.end }) };
    }
    return admission;
  }

  /** The string items of a sequence that no Helm action writes. */
  private literals(seq: YAMLSeq | undefined): string[] {
    return this.view.items(seq).flatMap((item) => {
      const value = scalarString(item.node);
      return value === undefined || containsAnyMask(value) ? [] : [value];
    });
  }

  /** A string value, unless a Helm action writes it (then nothing can be said of it). */
  private literal(map: YAMLMap | undefined, key: string): string | undefined {
    const value = this.view.getString(map, key);
    return value === undefined || containsAnyMask(value) ? undefined : value;
  }

  private location(span: Span): FactLocation {
    return { path: this.path, range: this.lines.rangeOf({ start: span.start + this.offset, end: span.end + this.offset }) };
  }
}

/** Skaffold artifact builders that use no Dockerfile. */
/** `images: {"registry/app": "services/app/Dockerfile"}` in a config file, paths relative to it. */
function configImageFacts(path: string, text: string): WorkspaceFact[] {
  const doc = parseYamlSection(text);
  const view = new YamlView(doc, text);
  const reader = new SectionReader(path, view, 0, new LineIndex(text));
  return reader.configImages(view.getMap(view.asMap(view.root), 'images'));
}

const OTHER_SKAFFOLD_BUILDERS = ['jib', 'bazel', 'buildpacks', 'ko', 'custom'];

/** A build context that is a Git URL or an archive URL, not a folder of this workspace. */
function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@');
}

/** The image's name as matching compares it: registry and repository, no tag or digest. */
export function normalisedImage(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const parsed = parseImageReference(text);
  return isImageReferenceError(parsed) ? undefined : parsed.name;
}

/** With a cache (an open document's), a keystroke re-parses only the instructions it touched. */
function dockerfileFacts(path: string, text: string, cache: FactsCache | undefined): WorkspaceFact[] {
  const model = parseDockerfile(text, cache);
  if (model.stages.length === 0) return [];
  const location = (span: Span): FactLocation => ({ path, range: model.lines.rangeOf(span) });
  const stages: DockerfileStageFact[] = model.stages.map((stage) => {
    const found = effectiveUser(model, stage);
    const windowsUser = windowsDefaultUser(stage);
    const root = rootOf(stage);
    const baseImage = root.image?.resolved;
    const lastInstruction = stage.instructions[stage.instructions.length - 1] ?? stage.from;
    const lastSpan = model.spanOf(lastInstruction.getRange());
    const lastLine = model.lines.positionAt(lastSpan.end).line;
    const lineStart = model.lines.offsetAt({ line: lastLine, character: 0 });
    const user = found
      ? {
          ...(found.argument?.user === undefined ? {} : { value: found.argument.user }),
          at: location(found.argument?.span ?? model.spanOf(found.instruction.getRange())),
        }
      : undefined;
    return {
      index: stage.index,
      ...(stage.name ? { name: stage.name } : {}),
      ...(user ? { user } : {}),
      ...(baseImage && baseImage !== 'scratch' ? { baseImage } : {}),
      ...(windowsUser === undefined ? {} : { windowsDefaultUser: windowsUser }),
      lastLine: location({ start: lineStart, end: lineStart + model.lines.lineText(lastLine).length }),
    };
  });
  return [{ kind: 'dockerfile', path, stages }];
}

/** The first stage of the chain a stage is built FROM: the one whose FROM names an image. */
function rootOf(stage: DockerStage): DockerStage {
  const seen = new Set<DockerStage>();
  let current = stage;
  while (current.parent && !seen.has(current.parent)) {
    seen.add(current);
    current = current.parent;
  }
  return current;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** What a kustomization includes; one that does not parse includes nothing (its build says why). */
function kustomizationFacts(path: string, text: string): WorkspaceFact[] {
  const { nodes, problem } = new SourceSet(new Map([[path, text]])).documents(path);
  const kustomization = readKustomization(path, problem ? undefined : nodes[0]);
  const paths = pathApi(path);
  const includes: KustomizationFact['includes'] = [];
  const add = (value: string, as: KustomizationFact['includes'][number]['as']): void => {
    if (!isRemote(value)) includes.push({ path: paths.join(kustomization.dir, value), as });
  };
  for (const entry of kustomization.resources) add(entry.value, 'resource');
  for (const entry of kustomization.components) add(entry.value, 'component');
  for (const patch of kustomization.patches) if (patch.path) add(patch.path.value, 'patch');
  return [{ kind: 'kustomization', path, isComponent: kustomization.isComponent, includes }];
}
