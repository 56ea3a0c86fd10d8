import { isMap, isNode } from 'yaml';
import type { YAMLMap } from 'yaml';
import type { Span } from '../types';
import { hasOpaqueLines } from '../parse/helm-mask';
import { scalarString, spanOf, type Field, type YamlView } from '../source/yaml-view';
import { resolveContainerSecurity, type ContainerSecurity, type PodSecurity, resolvePodSecurity } from './security';

/** A Kubernetes object: a document (or a `kind: List` item) with `apiVersion` and `kind`. */
export interface KubeResource {
  view: YamlView;
  /** Full text of the section the resource was parsed from; spans are offsets into it. */
  text: string;
  root: YAMLMap;
  apiVersion: string;
  kind: string;
  name?: string;
  metadata?: YAMLMap;
  /** False for a `kind: List` item reached through an alias. */
  editable: boolean;
  /** Position of the resource in its file, for grouping: `<section>` or `<section>.<item>`. */
  key: string;
}

export type ContainerKind = 'container' | 'initContainer' | 'ephemeralContainer';

const CONTAINER_LISTS: ReadonlyArray<readonly [string, ContainerKind]> = [
  ['containers', 'container'],
  ['initContainers', 'initContainer'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

export interface PodSpecSite {
  resource: KubeResource;
  spec: YAMLMap;
  /** The key that holds the PodSpec (`spec`), where pod-level findings without a node land. */
  specKeySpan: Span;
  /** The pod's own metadata: the resource's for a Pod, the template's otherwise. */
  podMetadata?: YAMLMap;
  editable: boolean;
  isWindows: boolean;
  /**
   * The pod runs to completion instead of serving: a Job's or CronJob's, or any pod spec whose
   * restartPolicy is Never or OnFailure (a bare Pod; a Deployment's must be Always).
   */
  runsToCompletion: boolean;
  /** The pod spec's content is partly produced by a Helm action on a line of its own. */
  hasOpaqueContent: boolean;
  security: PodSecurity;
  containers: ContainerSite[];
}

export interface ContainerSite {
  pod: PodSpecSite;
  kind: ContainerKind;
  map: YAMLMap;
  /** The container's name, or `<kind>[index]` when it has none. */
  name: string;
  /** Where findings about a missing setting land: the name's value, else the item's first key. */
  nameSpan: Span;
  editable: boolean;
  /** An init container with `restartPolicy: Always` runs for the pod's life, like a regular one. */
  isSidecar: boolean;
  hasOpaqueContent: boolean;
  security: ContainerSecurity;
  /** Stable within one file: groups a container's findings for "Harden container". */
  key: string;
}

/** Paths from a resource's root to its PodSpec, by kind (RULES.md, "where rules look"). */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Where a custom resource may embed a pod template: as Argo Rollouts and Knative do, or CronJob-shaped. */
const CUSTOM_RESOURCE_POD_SPEC_PATHS: readonly (readonly string[])[] = [
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

const MAX_LIST_DEPTH = 8;

const RUN_TO_COMPLETION_KINDS = new Set(['Job', 'CronJob']);
const RUN_TO_COMPLETION_POLICIES = new Set(['Never', 'OnFailure']);

/** Every resource in a parsed section: the document itself, or the items of a `kind: List`. */
export function findResources(view: YamlView, text: string, sectionKey: string): KubeResource[] {
  const root = view.asMap(view.root);
  if (!root) return [];
  const found: KubeResource[] = [];
  collectResources(view, text, root, true, sectionKey, 0, found);
  return found;
}

function collectResources(
  view: YamlView,
  text: string,
  root: YAMLMap,
  editable: boolean,
  key: string,
  depth: number,
  out: KubeResource[],
): void {
  const apiVersion = view.getString(root, 'apiVersion');
  const kind = view.getString(root, 'kind');
  if (apiVersion === undefined || kind === undefined) return;
  const metadata = view.getMap(root, 'metadata');
  const name = view.getString(metadata, 'name');
  out.push({
    view,
    text,
    root,
    apiVersion,
    kind,
    ...(name === undefined ? {} : { name }),
    ...(metadata ? { metadata } : {}),
    editable,
    key,
  });
  if (kind.endsWith('List') && depth < MAX_LIST_DEPTH) {
    view.items(view.getSeq(root, 'items'), editable).forEach((item, index) => {
      if (isMap(item.node)) collectResources(view, text, item.node, item.editable, `${key}.${index}`, depth + 1, out);
    });
  }
}

/** The PodSpecs of a resource: by kind for built-in workloads, by shape for custom resources. */
export function findPodSpecs(resource: KubeResource): PodSpecSite[] {
  const { kind } = resource;
  const path = POD_SPEC_PATHS[kind];
  if (path) {
    const site = podSpecAt(resource, path, false);
    return site ? [site] : [];
  }
  if (kind.endsWith('List')) return [];
  // A custom resource that embeds a pod template (Argo Rollouts, Knative, ...), directly or in a
  // CronJob-shaped job template: either way the pods it creates run that spec.
  for (const customPath of CUSTOM_RESOURCE_POD_SPEC_PATHS) {
    const site = podSpecAt(resource, customPath, true);
    if (site) return [site];
  }
  return [];
}

/** A key of the pod spec itself, editable only when the pod spec is (not reached through an alias). */
export function podSpecField(pod: PodSpecSite, key: string): Field | undefined {
  const field = pod.resource.view.field(pod.spec, key);
  return field && { ...field, editable: field.editable && pod.editable };
}

function podSpecAt(resource: KubeResource, path: readonly string[], requireContainers: boolean): PodSpecSite | undefined {
  const { view } = resource;
  let map: YAMLMap | undefined = resource.root;
  let field: Field | undefined;
  let editable = resource.editable;
  let parent: YAMLMap | undefined;
  for (const key of path) {
    parent = map;
    field = view.field(map, key);
    map = view.asMap(field?.value);
    if (!field || !map) return undefined;
    editable &&= field.editable;
  }
  if (!map || !field) return undefined;
  if (requireContainers && !view.getSeq(map, 'containers')) return undefined;
  const podMetadata = path.length === 1 ? resource.metadata : view.getMap(parent, 'metadata');
  const os = view.getMap(map, 'os');
  const site: PodSpecSite = {
    resource,
    spec: map,
    specKeySpan: field.keySpan,
    ...(podMetadata ? { podMetadata } : {}),
    editable,
    isWindows: view.getString(os, 'name') === 'windows',
    runsToCompletion: RUN_TO_COMPLETION_KINDS.has(resource.kind) || RUN_TO_COMPLETION_POLICIES.has(view.getString(map, 'restartPolicy') ?? ''),
    hasOpaqueContent: hasOpaqueLines(resource.text, map),
    security: resolvePodSecurity(view, map, resource.text, editable),
    containers: [],
  };
  site.containers = findContainers(site);
  return site;
}

function findContainers(pod: PodSpecSite): ContainerSite[] {
  const { view } = pod.resource;
  const containers: ContainerSite[] = [];
  for (const [listKey, kind] of CONTAINER_LISTS) {
    const list = view.field(pod.spec, listKey);
    const listEditable = pod.editable && (list?.editable ?? false);
    view.items(view.asSeq(list?.value), listEditable).forEach((item, index) => {
      if (!isMap(item.node)) return;
      const map = item.node;
      const nameField = view.field(map, 'name');
      const name = scalarString(nameField?.value);
      const firstKey: unknown = map.items[0]?.key;
      const fallbackSpan = isNode(firstKey) ? spanOf(firstKey) : item.span;
      const nameSpan = nameField && name !== undefined && nameField.valueSpan.end > nameField.valueSpan.start ? nameField.valueSpan : fallbackSpan;
      containers.push({
        pod,
        kind,
        map,
        // Messages show a name written with Helm actions as the actions' source, not as masks.
        name: name === undefined ? `${listKey}[${index}]` : (view.displayString(nameField?.value) ?? name),
        nameSpan: item.editable ? nameSpan : item.span,
        editable: item.editable,
        isSidecar: kind === 'initContainer' && view.getString(map, 'restartPolicy') === 'Always',
        hasOpaqueContent: hasOpaqueLines(pod.resource.text, map),
        security: resolveContainerSecurity(view, map, pod.security, pod.resource.text, item.editable),
        key: `${pod.resource.key}/${kind}/${index}`,
      });
    });
  }
  return containers;
}
