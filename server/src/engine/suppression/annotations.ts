import type { YAMLMap } from 'yaml';
import type { Suppression } from '../types';
import { scalarString, type YamlView } from '../source/yaml-view';
import { CHECKOV_CHECKS, KUBE_LINTER_CHECKS, POLARIS_CHECKS } from './foreign-checks';

const OWN = 'shipshape.dev/ignore';
const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/';
const KUBE_LINTER_ALL = 'kube-linter.io/ignore-all';
const POLARIS_PREFIX = 'polaris.fairwinds.com/';
const POLARIS_ALL = 'polaris.fairwinds.com/exempt';
const CHECKOV_SKIP = /^checkov\.io\/skip\d*$/;

/** Rule id → how it is suppressed; `*` stands for every rule. */
export type AnnotationSuppressions = Map<string, Suppression>;

function add(into: AnnotationSuppressions, ids: Iterable<string>, suppression: Suppression): void {
  for (const id of ids) if (!into.has(id)) into.set(id, suppression);
}

/**
 * Reads the suppression annotations on a resource's or pod template's metadata: our own
 * `shipshape.dev/ignore`, and those of kube-linter, Polaris and Checkov mapped to our rule ids
 * (docs/suppression.md lists the mapping), so teams switching tools need not re-annotate.
 */
export function readSuppressionAnnotations(view: YamlView, metadatas: ReadonlyArray<YAMLMap | undefined>): AnnotationSuppressions {
  const result: AnnotationSuppressions = new Map();
  for (const metadata of metadatas) {
    for (const field of view.fields(view.getMap(metadata, 'annotations'))) {
      const key = field.key;
      const value = scalarString(field.value) ?? '';
      const source = `${key}: ${value}`;
      if (key === OWN) {
        add(result, value.split(/[\s,]+/).filter(Boolean), { kind: 'annotation', source });
      } else if (key === KUBE_LINTER_ALL) {
        add(result, ['*'], { kind: 'annotation', source, ...(value ? { justification: value } : {}) });
      } else if (key.startsWith(KUBE_LINTER_PREFIX)) {
        const ids = KUBE_LINTER_CHECKS[key.slice(KUBE_LINTER_PREFIX.length)] ?? [];
        add(result, ids, { kind: 'annotation', source, ...(value ? { justification: value } : {}) });
      } else if (key === POLARIS_ALL) {
        if (value.toLowerCase() === 'true') add(result, ['*'], { kind: 'annotation', source });
      } else if (key.startsWith(POLARIS_PREFIX) && key.endsWith('-exempt')) {
        if (value.toLowerCase() !== 'true') continue;
        const check = key.slice(POLARIS_PREFIX.length, -'-exempt'.length);
        add(result, POLARIS_CHECKS[check] ?? [], { kind: 'annotation', source });
      } else if (CHECKOV_SKIP.test(key)) {
        // One check per annotation, `CKV_K8S_20=reason` or `CKV_K8S_20`, as Checkov reads it; the
        // reason may itself hold `=` or `,`.
        const separator = value.indexOf('=');
        const check = (separator < 0 ? value : value.slice(0, separator)).trim();
        const justification = separator < 0 ? '' : value.slice(separator + 1).trim();
        add(result, CHECKOV_CHECKS[check] ?? [], { kind: 'annotation', source, ...(justification ? { justification } : {}) });
      }
    }
  }
  return result;
}
