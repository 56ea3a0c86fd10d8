/**
 * A kustomization file as the build reads it: each entry with the span it is written at, so a
 * problem or a value it provides is reported on its line.
 */
import { isMap, isScalar } from 'yaml';
import type { Scalar, YAMLMap } from 'yaml';
import { posix, win32 } from 'node:path';
import type { Span } from '../types';
import { scalarString, spanOf } from '../source/yaml-view';
import { mapAt, pairOf, seqAt, stringAt, valueOf } from './nodes';
import type { BuiltNode } from './sources';

/** The names `kustomize build DIR` looks for, in its order. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationPath(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(name);
}

/** Paths as the host gives them: Windows paths when they look like Windows paths. */
export function pathApi(path: string): typeof posix {
  return /^[A-Za-z]:[\\/]|\\/.test(path) ? win32 : posix;
}

export interface Entry {
  value: string;
  span: Span;
}

/** kustomize's patch `target`: every field given must match; `name` and `namespace` are regular expressions. */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  /** Where the entry is written (a problem with it is reported here). */
  span: Span;
  /** A patch file, relative to the kustomization's folder. */
  path?: Entry;
  /** An inline patch (`patch: |-`, or a `patchesStrategicMerge` string). */
  inline?: Scalar;
  target?: Selector;
  /** `patchesJson6902` entries are JSON patches; `patchesStrategicMerge` entries strategic merge; `patches` tell by shape. */
  format: 'detect' | 'strategic-merge' | 'json6902';
}

export interface ImageEntry {
  name: string;
  span: Span;
  newName?: Entry;
  newTag?: Entry;
  digest?: Entry;
}

export interface SecretLiteral {
  key: string;
  value: string;
  span: Span;
}

export interface SecretGeneratorEntry {
  name: Entry;
  span: Span;
  namespace?: string;
  type?: string;
  literals: SecretLiteral[];
  /** The `literals` key: where the generated Secret's data is written. */
  literalsSpan?: Span;
  disableNameSuffixHash?: boolean;
  behavior?: string;
}

/** Something in the kustomization the build does not do, said once. */
export interface Unsupported {
  what: string;
  span: Span;
}

export interface Kustomization {
  path: string;
  dir: string;
  isComponent: boolean;
  /** `kind:` and `apiVersion:`, when the file is some other kind of document. */
  kind?: string;
  span: Span;
  resources: Entry[];
  components: Entry[];
  patches: PatchEntry[];
  namespace?: Entry;
  namePrefix?: Entry;
  nameSuffix?: Entry;
  images: ImageEntry[];
  secretGenerator: SecretGeneratorEntry[];
  disableNameSuffixHash: boolean;
  unsupported: Unsupported[];
}

/** Generators and inflators out of scope (RULES.md, "Kustomize"): their output is not analysed. */
const OUT_OF_SCOPE: Record<string, string> = {
  helmCharts: 'helmCharts (Helm chart inflation)',
  helmChartInflationGenerator: 'helmChartInflationGenerator',
  helmGlobals: 'helmGlobals',
  configMapGenerator: 'configMapGenerator',
  generators: 'generator plugins',
  transformers: 'transformer plugins',
};

export function readKustomization(path: string, root: BuiltNode | undefined): Kustomization {
  const map = isMap(root) ? root : undefined;
  const span = root ? spanOf(root) : { start: 0, end: 0 };
  const kind = stringAt(map, 'kind');
  const result: Kustomization = {
    path,
    dir: pathApi(path).dirname(path),
    isComponent: kind === 'Component',
    ...(kind !== undefined ? { kind } : {}),
    span,
    resources: [...entries(map, 'resources'), ...entries(map, 'bases')],
    components: entries(map, 'components'),
    patches: [],
    images: [],
    secretGenerator: [],
    disableNameSuffixHash: false,
    unsupported: [],
  };
  if (!map) return result;
  for (const key of ['namespace', 'namePrefix', 'nameSuffix'] as const) {
    const entry = entryAt(map, key);
    if (entry) result[key] = entry;
  }
  for (const item of seqAt(map, 'patchesStrategicMerge')?.items ?? []) {
    if (isScalar(item) && typeof item.value === 'string') {
      const isInline = item.value.includes('\n');
      result.patches.push({ span: spanOf(item), format: 'strategic-merge', ...(isInline ? { inline: item } : { path: { value: item.value, span: spanOf(item) } }) });
    }
  }
  for (const [key, format] of [['patches', 'detect'], ['patchesJson6902', 'json6902']] as const) {
    for (const item of seqAt(map, key)?.items ?? []) {
      if (!isMap(item)) continue;
      const path = entryAt(item, 'path');
      const inline = valueOf(item, 'patch');
      const target = mapAt(item, 'target');
      result.patches.push({
        span: spanOf(item),
        format,
        ...(path ? { path } : {}),
        ...(isScalar(inline) ? { inline } : {}),
        ...(target ? { target: selectorOf(target) } : {}),
      });
    }
  }
  for (const item of seqAt(map, 'images')?.items ?? []) {
    if (!isMap(item)) continue;
    const name = stringAt(item, 'name');
    if (name === undefined) continue;
    const image: ImageEntry = { name, span: spanOf(item) };
    for (const key of ['newName', 'newTag', 'digest'] as const) {
      const entry = entryAt(item, key);
      if (entry) image[key] = entry;
    }
    result.images.push(image);
  }
  const options = mapAt(map, 'generatorOptions');
  result.disableNameSuffixHash = scalarString(valueOf(options, 'disableNameSuffixHash')) === 'true';
  for (const item of seqAt(map, 'secretGenerator')?.items ?? []) {
    if (!isMap(item)) continue;
    const name = entryAt(item, 'name');
    if (!name) continue;
    const literalsPair = pairOf(item, 'literals');
    const literals: SecretLiteral[] = [];
    for (const literal of seqAt(item, 'literals')?.items ?? []) {
      if (!isScalar(literal)) continue;
      const text = scalarString(literal);
      const equals = text?.indexOf('=') ?? -1;
      if (text === undefined || equals <= 0) continue;
      literals.push({ key: text.slice(0, equals), value: unquote(text.slice(equals + 1)), span: spanOf(literal) });
    }
    const namespace = stringAt(item, 'namespace');
    const type = stringAt(item, 'type');
    const behavior = stringAt(item, 'behavior');
    const disable = scalarString(valueOf(mapAt(item, 'options'), 'disableNameSuffixHash'));
    result.secretGenerator.push({
      name,
      span: spanOf(item),
      literals,
      ...(literalsPair ? { literalsSpan: spanOf(literalsPair.key as Scalar) } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(type !== undefined ? { type } : {}),
      ...(behavior !== undefined ? { behavior } : {}),
      ...(disable !== undefined ? { disableNameSuffixHash: disable === 'true' } : {}),
    });
    for (const key of ['files', 'envs', 'env']) {
      const pair = pairOf(item, key);
      if (pair) result.unsupported.push({ what: `secretGenerator ${key} (only literals are read)`, span: spanOf(pair.key as Scalar) });
    }
  }
  for (const [key, what] of Object.entries(OUT_OF_SCOPE)) {
    const pair = pairOf(map, key);
    if (pair) result.unsupported.push({ what, span: spanOf(pair.key as Scalar) });
  }
  return result;
}

function entries(map: YAMLMap | undefined, key: string): Entry[] {
  const seq = seqAt(map, key);
  if (!seq) return [];
  const out: Entry[] = [];
  for (const item of seq.items) {
    const value = isScalar(item) ? scalarString(item) : undefined;
    if (value !== undefined && value !== '') out.push({ value, span: spanOf(item as Scalar) });
  }
  return out;
}

function entryAt(map: YAMLMap, key: string): Entry | undefined {
  const value = valueOf(map, key);
  const text = scalarString(value);
  return text === undefined || !value ? undefined : { value: text, span: spanOf(value) };
}

function selectorOf(map: YAMLMap): Selector {
  const selector: Selector = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const value = stringAt(map, key);
    if (value !== undefined) selector[key] = value;
  }
  return selector;
}

/** kustomize strips one pair of surrounding quotes from a literal's value. */
function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0] ? value.slice(1, -1) : value;
}

/** A resource or component that names a remote location: kustomize would fetch it; we never do. */
export function isRemote(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^git@/.test(value) || /^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(value) || /\?ref=|\.git(?:\/\/|$)/.test(value);
}

/** Kinds that live outside namespaces: the namespace transformer leaves them alone. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass',
  'PriorityClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'CSIDriver',
  'CSINode', 'RuntimeClass', 'IngressClass', 'VolumeAttachment', 'Node', 'PodSecurityPolicy', 'ComponentStatus',
  'CertificateSigningRequest', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'FlowSchema',
  'PriorityLevelConfiguration', 'ClusterIssuer',
]);
