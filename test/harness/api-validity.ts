/**
 * What kube-apiserver (and the kubelet, for runAsNonRoot) would refuse in a manifest, as far as
 * Shipshape's fixes can cause it: the fix property test and `npm run fix-report` compare the
 * problems before and after fixing, and a fix may never add one. Read independently of the
 * engine's walker, from the plain data, so a walker bug cannot hide a bad fix.
 */
import { parseAllDocuments } from 'yaml';
import { parseQuantity } from '../../server/src/engine/kubernetes/quantity';
import { prepareHelmTemplate } from '../../server/src/engine/parse/helm';

type Data = Record<string, unknown>;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(value: unknown, key: string): unknown {
  return isData(value) ? value[key] : undefined;
}

function mapAt(value: unknown, path: readonly string[]): Data | undefined {
  const found = path.reduce<unknown>((current, key) => child(current, key), value);
  return isData(found) ? found : undefined;
}

const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
const TEMPLATE_PATH = ['spec', 'template', 'spec'];

/** The pod specs of one object: by kind, `kind: List` items, and custom resources' templates. */
function podSpecs(object: unknown, where: string, out: Array<{ spec: Data; where: string }>, depth = 0): void {
  if (!isData(object) || depth > 8) return;
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const name = typeof child(object.metadata, 'name') === 'string' ? String(child(object.metadata, 'name')) : '?';
  const here = `${where}${kind}/${name}`;
  if (kind.endsWith('List') && Array.isArray(object.items)) {
    object.items.forEach((item, index) => podSpecs(item, `${here}[${index}]/`, out, depth + 1));
    return;
  }
  const candidates = POD_SPEC_PATHS[kind] ? [POD_SPEC_PATHS[kind]] : [TEMPLATE_PATH, POD_SPEC_PATHS.CronJob ?? []];
  for (const path of candidates) {
    const spec = mapAt(object, path);
    if (spec && Array.isArray(spec.containers)) {
      out.push({ spec, where: here });
      return;
    }
  }
}

const BOOLEAN_FIELDS = ['privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot'];
const INTEGER_FIELDS = ['runAsUser', 'runAsGroup'];
const POD_BOOLEAN_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC', 'automountServiceAccountToken'];

function typeProblems(context: Data | undefined, where: string, booleans: readonly string[], problems: string[]): void {
  if (!context) return;
  for (const key of booleans) {
    if (context[key] !== undefined && context[key] !== null && typeof context[key] !== 'boolean') problems.push(`${where}: ${key} is not a boolean`);
  }
  for (const key of INTEGER_FIELDS) {
    const value = context[key];
    if (value !== undefined && value !== null && !Number.isInteger(value)) problems.push(`${where}: ${key} is not an integer`);
  }
}

function capabilityNames(security: Data | undefined, list: 'add' | 'drop', where: string, problems: string[]): string[] {
  const value = child(child(security, 'capabilities'), list);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    problems.push(`${where}: capabilities.${list} is not a list of names`);
    return [];
  }
  return value as string[];
}

function quantityOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? parseQuantity(value) : undefined;
}

/** A non-zero integer user, the only kind the kubelet can check runAsNonRoot against. */
function isVerifiableUser(value: unknown): boolean {
  return Number.isInteger(value) && value !== 0;
}

function containerProblems(pod: Data, container: Data, where: string, problems: string[]): void {
  const security = isData(container.securityContext) ? container.securityContext : undefined;
  const podSecurity = isData(pod.securityContext) ? pod.securityContext : undefined;
  if (container.securityContext !== undefined && container.securityContext !== null && !security) problems.push(`${where}: securityContext is not a mapping`);
  typeProblems(security, where, BOOLEAN_FIELDS, problems);
  const added = capabilityNames(security, 'add', where, problems);
  capabilityNames(security, 'drop', where, problems);
  // kube-apiserver, ValidateSecurityContext; SYS_ADMIN in any spelling counts (see privilege-conflicts.ts).
  if (security?.allowPrivilegeEscalation === false) {
    if (security.privileged === true) problems.push(`${where}: allowPrivilegeEscalation: false with privileged: true`);
    if (added.some((name) => /^(?:CAP_)?(?:SYS_ADMIN|ALL)$/i.test(name))) problems.push(`${where}: allowPrivilegeEscalation: false with SYS_ADMIN added`);
  }
  const own = (key: string): unknown => (security?.[key] ?? null) !== null ? security?.[key] : podSecurity?.[key];
  if (own('runAsNonRoot') === true && !isVerifiableUser(own('runAsUser'))) problems.push(`${where}: runAsNonRoot: true without a non-zero numeric runAsUser`);
  const resources = isData(container.resources) ? container.resources : undefined;
  for (const name of ['cpu', 'memory']) {
    const limit = quantityOf(child(resources?.limits, name));
    const request = quantityOf(child(resources?.requests, name));
    if (limit !== undefined && request !== undefined && request > limit) problems.push(`${where}: requests.${name} above limits.${name}`);
  }
}

/**
 * The problems the API server or kubelet would have with a file's pods, as `<where>: <what>`
 * strings that stay comparable before and after a fix. A file that does not parse gives one
 * problem saying so; a Helm template is read with its actions masked, as the engine reads it.
 */
export function apiProblems(path: string, text: string): string[] {
  const prepared = prepareHelmTemplate(path, text.replace(/^\uFEFF/, ''));
  const documents = parseAllDocuments(prepared.text, { merge: true, uniqueKeys: !prepared.isTemplate });
  if (!Array.isArray(documents)) return [];
  const problems: string[] = [];
  documents.forEach((document, index) => {
    if (document.errors.length > 0) {
      problems.push(`document ${index + 1}: does not parse (${document.errors[0]?.code ?? 'error'})`);
      return;
    }
    const sites: Array<{ spec: Data; where: string }> = [];
    podSpecs(document.toJS({ maxAliasCount: 1000 }), `document ${index + 1}: `, sites);
    for (const { spec, where } of sites) {
      typeProblems(spec, where, POD_BOOLEAN_FIELDS, problems);
      typeProblems(isData(spec.securityContext) ? spec.securityContext : undefined, `${where} pod`, ['runAsNonRoot'], problems);
      for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
        const containers = spec[list];
        if (!Array.isArray(containers)) continue;
        containers.forEach((container, i) => {
          if (isData(container)) containerProblems(spec, container, `${where} ${list}[${i}]`, problems);
        });
      }
    }
  });
  return problems;
}

/** Problems in `after` that `before` did not have: what fixing introduced. */
export function introducedApiProblems(path: string, before: string, after: string): string[] {
  const known = new Set(apiProblems(path, before));
  return apiProblems(path, after).filter((problem) => !known.has(problem));
}
