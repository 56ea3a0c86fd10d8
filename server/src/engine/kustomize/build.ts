/**
 * `kustomize build`, in memory, for what the rules read (RULES.md, "Kustomize"): resources
 * (files, folders, nested bases), components, generated Secrets, strategic merge and JSON
 * patches, namespace, name prefix and suffix, images. The host hands over the texts of every file
 * a build may read; nothing is fetched or read here. A problem becomes a `KustomizeProblem` on
 * the kustomization line that causes it, and the build goes on without the offending part.
 */
import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, Pair, YAMLMap } from 'yaml';
import type { Scalar } from 'yaml';
import type { Span } from '../types';
import { scalarString, spanOf } from '../source/yaml-view';
import { cloneNode, deleteKey, mapAt, pairOf, seqAt, setValue, stringAt, toPlain, valueOf } from './nodes';
import { inlineText, keyOf, parseText, plainScalar, SourceSet, type BuiltNode } from './sources';
import { CLUSTER_SCOPED_KINDS, isRemote, KUSTOMIZATION_FILE_NAMES, pathApi, readKustomization, type Entry, type ImageEntry, type Kustomization, type PatchEntry, type Selector } from './kustomization';
import { DELETED, mergePatch } from './strategic-merge';
import type { KustomizeErrorMessageId } from './messages';
import { applyOperations, readOperations } from './json-patch';

/** A problem with a build, by its `kustomize-error` message (messages.ts). */
export interface KustomizeProblem {
  /** Virtual span: SourceSet.locate gives the file. */
  span: Span;
  messageId: KustomizeErrorMessageId;
  data?: Record<string, string>;
}

/** One object of a build's output. */
export interface BuiltResource {
  root: YAMLMap;
  /** The name and namespace before this build renamed it: patches may name either. */
  originalName: string | undefined;
  originalNamespace: string | undefined;
  /** A generated Secret whose name gets kustomize's content hash at the end of the build. */
  hashSuffix?: boolean;
}

export interface BuildOutput {
  /** The top-level kustomization file. */
  path: string;
  resources: BuiltResource[];
  problems: KustomizeProblem[];
  /** Every file the build read (kustomizations, resources, patches). */
  files: Set<string>;
}

/** The kustomization file of a folder, when the given texts hold one. */
export function kustomizationIn(dir: string, has: (path: string) => boolean): string | undefined {
  const paths = pathApi(dir);
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const candidate = paths.join(dir, name);
    if (has(candidate)) return candidate;
  }
  return undefined;
}

/** Builds the kustomization at `path` over `sources`. */
export function buildKustomization(path: string, sources: SourceSet): BuildOutput {
  const builder = new Builder(sources);
  const resources = builder.run(path);
  return { path, resources, problems: builder.problems, files: builder.files };
}

class Builder {
  readonly problems: KustomizeProblem[] = [];
  readonly files = new Set<string>();
  private readonly stack: string[] = [];

  constructor(private readonly sources: SourceSet) {}

  run(path: string): BuiltResource[] {
    const resources = this.load(path, [], undefined) ?? [];
    for (const resource of resources) if (resource.hashSuffix) this.appendHash(resource, resources);
    followServiceAccounts(resources);
    return resources;
  }

  private problem(span: Span, messageId: KustomizeErrorMessageId, data?: Record<string, string>): void {
    this.problems.push({ span, messageId, ...(data ? { data } : {}) });
  }

  private read(path: string): Kustomization | undefined {
    this.files.add(path);
    const read = this.sources.memo(`kustomization:${path}`, () => {
      const { nodes, problem } = this.sources.documents(path);
      const at = (this.sources.place(path)?.start ?? 0) + (problem?.offset ?? 0);
      return problem ? { problem: { span: { start: at, end: at + 1 }, message: problem.message } } : { kustomization: readKustomization(path, nodes[0]) };
    });
    if (read.problem) this.problem(read.problem.span, 'kustomizationSyntax', { reason: read.problem.message });
    return read.kustomization;
  }

  /**
   * Loads a kustomization (or applies a component to `accumulated`). `via` is the entry that
   * named it, where a cycle is reported. Undefined when it could not be loaded at all.
   */
  private load(path: string, accumulated: BuiltResource[], via: Entry | undefined): BuiltResource[] | undefined {
    if (this.stack.includes(path)) {
      const chain = [...this.stack.slice(this.stack.indexOf(path)), path].map((p) => pathApi(p).basename(pathApi(p).dirname(p))).join(' → ');
      this.problem(via?.span ?? { start: 0, end: 0 }, 'cycle', { chain });
      return undefined;
    }
    const kustomization = this.read(path);
    if (!kustomization) return undefined;
    this.stack.push(path);
    try {
      return this.apply(kustomization, accumulated);
    } finally {
      this.stack.pop();
    }
  }

  private apply(k: Kustomization, accumulated: BuiltResource[]): BuiltResource[] {
    const resources = [...accumulated];
    for (const unsupported of k.unsupported) {
      this.problem(unsupported.span, 'outOfScope', { what: unsupported.what });
    }
    for (const entry of k.resources) resources.push(...this.resource(k, entry));
    let current = resources;
    for (const entry of k.components) current = this.component(k, entry, current);
    current.push(...this.secrets(k));
    for (const patch of k.patches.filter((p) => p.format === 'strategic-merge')) current = this.patch(k, patch, current);
    for (const patch of k.patches.filter((p) => p.format === 'detect')) current = this.patch(k, patch, current);
    if (k.namespace) this.setNamespace(k.namespace, current);
    if (k.namePrefix || k.nameSuffix) this.rename(k.namePrefix, k.nameSuffix, current);
    for (const patch of k.patches.filter((p) => p.format === 'json6902')) current = this.patch(k, patch, current);
    for (const image of k.images) this.setImages(image, current);
    return current;
  }

  private resource(k: Kustomization, entry: Entry): BuiltResource[] {
    if (isRemote(entry.value)) {
      this.problem(entry.span, 'remote', { what: 'resource', entry: entry.value });
      return [];
    }
    const target = pathApi(k.path).join(k.dir, entry.value);
    const nested = kustomizationIn(target, (p) => this.sources.has(p));
    if (nested) {
      const loaded = this.load(nested, [], entry);
      return loaded ?? [];
    }
    if (!this.sources.has(target)) {
      this.problem(entry.span, 'missingResource', { entry: entry.value });
      return [];
    }
    this.files.add(target);
    const { nodes, problem } = this.sources.documents(target);
    if (problem) this.problem(entry.span, 'resourceSyntax', { entry: entry.value, reason: problem.message });
    const out: BuiltResource[] = [];
    for (const node of nodes) {
      if (!isMap(node)) continue;
      const kind = stringAt(node, 'kind');
      // A `List` is unpacked into its items, as kustomize does.
      const items = kind !== undefined && kind.endsWith('List') && seqAt(node, 'items') ? (seqAt(node, 'items')?.items ?? []).filter((i): i is YAMLMap => isMap(i)) : [node];
      for (const item of items) out.push(fresh(item));
    }
    return out;
  }

  private component(k: Kustomization, entry: Entry, accumulated: BuiltResource[]): BuiltResource[] {
    if (isRemote(entry.value)) {
      this.problem(entry.span, 'remote', { what: 'component', entry: entry.value });
      return accumulated;
    }
    const dir = pathApi(k.path).join(k.dir, entry.value);
    const path = kustomizationIn(dir, (p) => this.sources.has(p));
    if (!path) {
      this.problem(entry.span, 'missingComponent', { entry: entry.value });
      return accumulated;
    }
    return this.load(path, accumulated, entry) ?? accumulated;
  }

  /** secretGenerator `literals` (RULES.md: reported by plaintext-secret-manifest at the entry). */
  private secrets(k: Kustomization): BuiltResource[] {
    const out: BuiltResource[] = [];
    for (const generator of k.secretGenerator) {
      if (generator.behavior === 'merge' || generator.behavior === 'replace') continue;
      const root = new YAMLMap();
      root.range = [generator.span.start, generator.span.end, generator.span.end];
      const at = generator.name.span;
      const metadata = new YAMLMap();
      metadata.range = [at.start, at.end, at.end];
      metadata.items.push(new Pair(plainScalar('name', at), plainScalar(generator.name.value, at)));
      if (generator.namespace !== undefined) metadata.items.push(new Pair(plainScalar('namespace', at), plainScalar(generator.namespace, at)));
      const dataAt = generator.literalsSpan ?? at;
      const data = new YAMLMap();
      data.range = [dataAt.start, dataAt.end, dataAt.end];
      for (const literal of generator.literals) {
        data.items.push(new Pair(plainScalar(literal.key, literal.span), plainScalar(Buffer.from(literal.value, 'utf8').toString('base64'), literal.span)));
      }
      root.items.push(new Pair(plainScalar('apiVersion', at), plainScalar('v1', at)));
      root.items.push(new Pair(plainScalar('kind', at), plainScalar('Secret', at)));
      root.items.push(new Pair(plainScalar('metadata', at), metadata));
      root.items.push(new Pair(plainScalar('type', at), plainScalar(generator.type ?? 'Opaque', at)));
      if (data.items.length > 0) root.items.push(new Pair(plainScalar('data', dataAt), data));
      const resource = fresh(root);
      if (!(generator.disableNameSuffixHash ?? k.disableNameSuffixHash)) resource.hashSuffix = true;
      out.push(resource);
    }
    return out;
  }

  /** The documents of a patch, each with the offsets it is placed at. */
  private patchDocuments(k: Kustomization, patch: PatchEntry): BuiltNode[] | undefined {
    if (patch.path) {
      if (isRemote(patch.path.value)) {
        this.problem(patch.path.span, 'remote', { what: 'patch', entry: patch.path.value });
        return undefined;
      }
      const file = pathApi(k.path).join(k.dir, patch.path.value);
      if (!this.sources.has(file)) {
        this.problem(patch.path.span, 'missingPatch', { entry: patch.path.value });
        return undefined;
      }
      this.files.add(file);
      const { nodes, problem } = this.sources.documents(file);
      if (problem) {
        this.problem(patch.path.span, 'patchSyntax', { entry: patch.path.value, reason: problem.message });
        return undefined;
      }
      return nodes;
    }
    if (patch.inline) {
      const scalar = patch.inline;
      // Patches are never changed where they are used (they are copied into what they patch).
      const parsed = this.sources.memo(`inline:${k.path}:${scalar.range?.[0] ?? 0}`, () => this.parseInline(k, scalar));
      if ('problem' in parsed) this.problem(spanOf(scalar), 'inlinePatchSyntax', { reason: parsed.problem });
      return 'documents' in parsed ? parsed.documents : undefined;
    }
    this.problem(patch.span, 'patchWithoutSource');
    return undefined;
  }

  private parseInline(k: Kustomization, scalar: Scalar): { documents: BuiltNode[] } | { problem: string } | { nothing: true } {
    const placed = this.sources.place(k.path);
    const inline = placed ? inlineText(scalar, placed.text, placed.start) : undefined;
    if (!inline) return { nothing: true };
    const documents: BuiltNode[] = [];
    for (const section of splitSections(inline.text)) {
      const parsed = parseText(section.text, (offset) => inline.map(section.start + offset));
      if ('problem' in parsed) return { problem: parsed.problem.message };
      if (parsed.node) documents.push(parsed.node);
    }
    return { documents };
  }

  private patch(k: Kustomization, patch: PatchEntry, resources: BuiltResource[]): BuiltResource[] {
    const documents = this.patchDocuments(k, patch);
    if (!documents) return resources;
    const isJson = patch.format === 'json6902' || (patch.format === 'detect' && documents.length === 1 && isSeq(documents[0]));
    let current = resources;
    if (isJson) {
      const operations = documents[0] ? readOperations(documents[0]) : 'the patch is empty';
      if (typeof operations === 'string') {
        this.problem(patch.span, 'jsonPatchInvalid', { reason: operations });
        return resources;
      }
      if (!patch.target) {
        this.problem(patch.span, 'jsonPatchWithoutTarget');
        return resources;
      }
      const selector = patch.target;
      const matched = current.filter((resource) => matches(resource, selector));
      if (matched.length === 0) return this.noMatch(patch, resources);
      for (const resource of matched) {
        const failure = applyOperations(resource.root, operations);
        if (failure !== undefined) this.problem(patch.span, 'jsonPatchFailed', { object: describe(resource), reason: failure });
      }
      return current;
    }
    for (const document of documents) {
      if (!isMap(document)) {
        this.problem(patch.span, 'patchShape');
        continue;
      }
      const selector: Selector = patch.target ?? selectorOfPatch(document);
      const matched = current.filter((resource) => matches(resource, selector, patch.target === undefined));
      if (matched.length === 0) {
        current = this.noMatch(patch, current);
        continue;
      }
      // The patch's own identity is the target's: with a `target`, one patch fits many objects.
      const body = cloneNode(document);
      for (const key of ['apiVersion', 'kind']) deleteKey(body, key);
      const metadata = mapAt(body, 'metadata');
      if (metadata) {
        deleteKey(metadata, 'name');
        deleteKey(metadata, 'namespace');
      }
      const next: BuiltResource[] = [];
      for (const resource of current) {
        if (!matched.includes(resource)) {
          next.push(resource);
          continue;
        }
        const merged = mergePatch(resource.root, body, { builtIn: isBuiltIn(stringAt(resource.root, 'apiVersion')), kind: stringAt(resource.root, 'kind') ?? '' });
        if (merged === DELETED) continue;
        if (isMap(merged)) next.push({ ...resource, root: merged });
      }
      current = next;
    }
    return current;
  }

  private noMatch(patch: PatchEntry, resources: BuiltResource[]): BuiltResource[] {
    const what = patch.path ? `Patch ${patch.path.value}` : 'This patch';
    this.problem(patch.path?.span ?? patch.span, 'noMatch', { patch: what });
    return resources;
  }

  private setNamespace(entry: Entry, resources: BuiltResource[]): void {
    for (const resource of resources) {
      const kind = stringAt(resource.root, 'kind') ?? '';
      if (CLUSTER_SCOPED_KINDS.has(kind)) continue;
      const metadata = ensureMap(resource.root, 'metadata', entry.span);
      setValue(metadata, plainScalar('namespace', entry.span), plainScalar(entry.value, entry.span));
    }
  }

  private rename(prefix: Entry | undefined, suffix: Entry | undefined, resources: BuiltResource[]): void {
    const renamed = new Map<string, string>();
    for (const resource of resources) {
      const kind = stringAt(resource.root, 'kind') ?? '';
      if (kind === 'Namespace' || kind === 'CustomResourceDefinition') continue;
      const metadata = mapAt(resource.root, 'metadata');
      const name = stringAt(metadata, 'name');
      if (!metadata || name === undefined) continue;
      const newName = `${prefix?.value ?? ''}${name}${suffix?.value ?? ''}`;
      const at = spanOf((pairOf(metadata, 'name')?.value as BuiltNode | undefined) ?? metadata);
      setValue(metadata, plainScalar('name', at), plainScalar(newName, at));
      renamed.set(`${kind}/${name}`, newName);
    }
    updateReferences(resources, renamed);
  }

  private setImages(image: ImageEntry, resources: BuiltResource[]): void {
    for (const resource of resources) {
      visitContainers(resource.root, (container) => {
        const pair = pairOf(container, 'image');
        const current = scalarString(pair?.value as BuiltNode | undefined);
        if (!pair || current === undefined) return;
        const reference = splitImage(current);
        if (reference.name !== image.name) return;
        let next = image.newName?.value ?? reference.name;
        if (image.newTag) next += `:${image.newTag.value}`;
        else if (reference.tag !== undefined && !image.digest) next += `:${reference.tag}`;
        if (image.digest) next += `@${image.digest.value}`;
        else if (!image.newTag && reference.digest !== undefined) next += `@${reference.digest}`;
        // The value comes from the entry that decides its tag (or digest, or name).
        const source = image.digest ?? image.newTag ?? image.newName;
        pair.value = plainScalar(next, source?.span ?? image.span);
      });
    }
  }

  /** kustomize's content hash suffix for a generated Secret (api/hasher). */
  private appendHash(resource: BuiltResource, resources: BuiltResource[]): void {
    const root = resource.root;
    const metadata = mapAt(root, 'metadata');
    const name = stringAt(metadata, 'name');
    if (!metadata || name === undefined) return;
    const data = toPlain(valueOf(root, 'data')) ?? {};
    // kustomize hashes the Secret before it has a name (checked against kubectl's output).
    const encoded = JSON.stringify(sortKeys({ data, kind: 'Secret', name: '', type: stringAt(root, 'type') ?? 'Opaque' }));
    const hex = createHash('sha256').update(encoded).digest('hex');
    const suffix = [...hex.slice(0, 10)].map((c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c] ?? c).join('');
    const at = spanOf((pairOf(metadata, 'name')?.value as BuiltNode | undefined) ?? metadata);
    setValue(metadata, plainScalar('name', at), plainScalar(`${name}-${suffix}`, at));
    updateReferences(resources, new Map([[`Secret/${name}`, `${name}-${suffix}`]]));
  }
}

function splitSections(text: string): Array<{ start: number; text: string }> {
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  const starts = [0];
  for (let match = marker.exec(text); match; match = marker.exec(text)) if (match.index > 0) starts.push(match.index);
  return starts.map((start, i) => ({ start, text: text.slice(start, starts[i + 1] ?? text.length) }));
}

function fresh(root: YAMLMap): BuiltResource {
  const metadata = mapAt(root, 'metadata');
  return { root, originalName: stringAt(metadata, 'name'), originalNamespace: stringAt(metadata, 'namespace') };
}

function describe(resource: BuiltResource): string {
  return `${stringAt(resource.root, 'kind') ?? 'object'} ${stringAt(mapAt(resource.root, 'metadata'), 'name') ?? ''}`.trim();
}

function isBuiltIn(apiVersion: string | undefined): boolean {
  if (apiVersion === undefined) return false;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

function selectorOfPatch(document: YAMLMap): Selector {
  const metadata = mapAt(document, 'metadata');
  const selector: Selector = {};
  const kind = stringAt(document, 'kind');
  const name = stringAt(metadata, 'name');
  const namespace = stringAt(metadata, 'namespace');
  const apiVersion = stringAt(document, 'apiVersion');
  if (kind !== undefined) selector.kind = kind;
  if (name !== undefined) selector.name = name;
  if (namespace !== undefined) selector.namespace = namespace;
  if (apiVersion !== undefined) {
    const slash = apiVersion.indexOf('/');
    selector.group = slash < 0 ? '' : apiVersion.slice(0, slash);
    selector.version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  }
  return selector;
}

/**
 * A target selector against a resource. A strategic merge patch without `target` names its
 * object literally, by its current or its original name (kustomize matches either).
 */
function matches(resource: BuiltResource, selector: Selector, literal = false): boolean {
  const root = resource.root;
  const apiVersion = stringAt(root, 'apiVersion') ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const metadata = mapAt(root, 'metadata');
  const name = stringAt(metadata, 'name') ?? '';
  const namespace = stringAt(metadata, 'namespace') ?? '';
  if (selector.kind !== undefined && selector.kind !== stringAt(root, 'kind')) return false;
  if (selector.group !== undefined && selector.group !== group) return false;
  if (selector.version !== undefined && selector.version !== version) return false;
  const test = (pattern: string, values: ReadonlyArray<string | undefined>): boolean =>
    values.some((value) => value !== undefined && (literal ? value === pattern : fullMatch(pattern, value)));
  if (selector.name !== undefined && !test(selector.name, [name, resource.originalName])) return false;
  if (selector.namespace !== undefined && !test(selector.namespace, [namespace, resource.originalNamespace ?? ''])) return false;
  if (selector.labelSelector !== undefined && !labelsMatch(selector.labelSelector, mapAt(metadata, 'labels'))) return false;
  if (selector.annotationSelector !== undefined && !labelsMatch(selector.annotationSelector, mapAt(metadata, 'annotations'))) return false;
  return true;
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
}

/** Equality-based label selectors (`a=b,c!=d`, `key`, `!key`), which is what kustomize targets use. */
function labelsMatch(selector: string, labels: YAMLMap | undefined): boolean {
  for (const term of selector.split(',').map((t) => t.trim()).filter((t) => t !== '')) {
    const notEqual = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term);
    const equal = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term);
    if (notEqual) {
      if (stringAt(labels, notEqual[1] ?? '') === notEqual[2]) return false;
    } else if (equal) {
      if (stringAt(labels, equal[1] ?? '') !== equal[2]) return false;
    } else if (term.startsWith('!')) {
      if (pairOf(labels, term.slice(1))) return false;
    } else if (!pairOf(labels, term)) return false;
  }
  return true;
}

function ensureMap(root: YAMLMap, key: string, span: Span): YAMLMap {
  const existing = mapAt(root, key);
  if (existing) return existing;
  const map = new YAMLMap();
  map.range = [span.start, span.end, span.end];
  setValue(root, plainScalar(key, span), map);
  return map;
}

/** Every container map (`containers`, `initContainers`) anywhere in the object. */
function visitContainers(node: unknown, visit: (container: YAMLMap) => void, depth = 0): void {
  if (depth > 32) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = keyOf(pair);
      if ((key === 'containers' || key === 'initContainers') && isSeq(pair.value)) {
        for (const item of pair.value.items) if (isMap(item)) visit(item);
      } else visitContainers(pair.value, visit, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) visitContainers(item, visit, depth + 1);
  }
}

/** An image reference cut into name, tag and digest as kustomize's image transformer does. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const name = tag === undefined ? rest : rest.slice(0, colon);
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Renamed objects (`Kind/old` → new) are renamed where pods and bindings refer to them. */
function updateReferences(resources: readonly BuiltResource[], renamed: ReadonlyMap<string, string>): void {
  if (renamed.size === 0) return;
  const rename = (map: YAMLMap | undefined, key: string, kind: string): void => {
    const pair = pairOf(map, key);
    const value = scalarString(pair?.value as BuiltNode | undefined);
    const next = value === undefined ? undefined : renamed.get(`${kind}/${value}`);
    if (pair && next !== undefined && isScalar(pair.value)) pair.value = plainScalar(next, spanOf(pair.value));
  };
  for (const resource of resources) {
    const kind = stringAt(resource.root, 'kind');
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      const roleRef = mapAt(resource.root, 'roleRef');
      rename(roleRef, 'name', stringAt(roleRef, 'kind') ?? 'Role');
      for (const subject of seqAt(resource.root, 'subjects')?.items ?? []) if (isMap(subject)) rename(subject, 'name', stringAt(subject, 'kind') ?? '');
    }
    visitPodSpecs(resource.root, (spec) => {
      rename(spec, 'serviceAccountName', 'ServiceAccount');
      for (const volume of seqAt(spec, 'volumes')?.items ?? []) {
        if (!isMap(volume)) continue;
        rename(mapAt(volume, 'configMap'), 'name', 'ConfigMap');
        rename(mapAt(volume, 'secret'), 'secretName', 'Secret');
      }
      for (const secret of seqAt(spec, 'imagePullSecrets')?.items ?? []) if (isMap(secret)) rename(secret, 'name', 'Secret');
      visitContainers(spec, (container) => {
        for (const env of seqAt(container, 'env')?.items ?? []) {
          const from = isMap(env) ? mapAt(env, 'valueFrom') : undefined;
          rename(mapAt(from, 'configMapKeyRef'), 'name', 'ConfigMap');
          rename(mapAt(from, 'secretKeyRef'), 'name', 'Secret');
        }
        for (const source of seqAt(container, 'envFrom')?.items ?? []) {
          if (!isMap(source)) continue;
          rename(mapAt(source, 'configMapRef'), 'name', 'ConfigMap');
          rename(mapAt(source, 'secretRef'), 'name', 'Secret');
        }
      });
    });
  }
}

/**
 * A binding's ServiceAccount subject follows the account when the build holds it: kustomize's
 * name references give the subject the account's final name and namespace.
 */
function followServiceAccounts(resources: readonly BuiltResource[]): void {
  const accounts = new Map<string, BuiltResource>();
  for (const resource of resources) {
    if (stringAt(resource.root, 'kind') !== 'ServiceAccount') continue;
    const name = stringAt(mapAt(resource.root, 'metadata'), 'name');
    if (name !== undefined) accounts.set(name, resource);
    if (resource.originalName !== undefined && !accounts.has(resource.originalName)) accounts.set(resource.originalName, resource);
  }
  for (const resource of resources) {
    const kind = stringAt(resource.root, 'kind');
    if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') continue;
    for (const subject of seqAt(resource.root, 'subjects')?.items ?? []) {
      if (!isMap(subject) || stringAt(subject, 'kind') !== 'ServiceAccount') continue;
      const account = accounts.get(stringAt(subject, 'name') ?? '');
      const metadata = account ? mapAt(account.root, 'metadata') : undefined;
      const namespacePair = pairOf(metadata, 'namespace');
      const namespace = stringAt(metadata, 'namespace');
      if (!namespacePair || namespace === undefined || !isScalar(namespacePair.value)) continue;
      setValue(subject, plainScalar('namespace', spanOf(namespacePair.value)), plainScalar(namespace, spanOf(namespacePair.value)));
    }
  }
}

/** Maps that hold `containers`: pod specs wherever they sit. */
function visitPodSpecs(node: unknown, visit: (spec: YAMLMap) => void, depth = 0): void {
  if (depth > 32) return;
  if (isMap(node)) {
    if (seqAt(node, 'containers')) visit(node);
    for (const pair of node.items) visitPodSpecs(pair.value, visit, depth + 1);
  } else if (isSeq(node)) {
    for (const item of node.items) visitPodSpecs(item, visit, depth + 1);
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
  }
  return value;
}

