import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, Scalar, visit } from 'yaml';
import type { Alias, Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { Span } from '../types';
import { InputLimitError } from '../limits';
import { containsValueMask, isFilledByLineAction, VALUE_MASK_RUN } from '../parse/helm-mask';

/**
 * A value found in the YAML tree, with where it is written. Reached through an alias or a merge
 * key, `span` is the alias the reader sees at this place (ranges point at text really there) and
 * `editable` is false: an edit there would change every user of the anchor.
 */
export interface Located<N extends Node = Node> {
  node: N;
  span: Span;
  editable: boolean;
}

/** A key of a mapping, with its value resolved. */
export interface Field {
  key: string;
  pair: Pair;
  keySpan: Span;
  /** The value, resolved through aliases; null for `key:` with nothing after it. */
  value: Node | null;
  valueSpan: Span;
  editable: boolean;
  /** The value is, or contains, a masked Helm action: what it really holds is unknown. */
  templated: boolean;
}

const MAX_ALIAS_HOPS = 64;

/**
 * Merge keys that merge maps that merge maps… past any real manifest, or a map merged into itself:
 * reading on would either loop or silently drop keys a rule needs.
 */
function mergeTooDeep(): InputLimitError {
  return new InputLimitError(`YAML merge keys (<<) nest more than ${MAX_ALIAS_HOPS} deep, or merge a map into itself`);
}

export function spanOf(node: Node): Span {
  const [start, end] = node.range ?? [0, 0];
  return { start, end };
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.source === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));
}

/** The plain value of a scalar as a string, or undefined for anything else. */
export function scalarString(node: Node | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  const value: unknown = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Read access to one parsed document for the rules: map lookups that honour merge keys, alias
 * resolution through an anchor index built once (yaml's own `Alias.resolve` walks the whole
 * document on every call), and spans for every value handed out.
 */
export class YamlView {
  private anchors: Map<string, Node[]> | undefined;
  private aliases: Alias[] = [];
  private aliased: Node[] | undefined;

  constructor(
    private readonly doc: Document,
    /** The text the document was parsed from, to tell masked Helm actions. */
    private readonly text: string,
    /** The text as written (a Helm template before masking; the same offsets), for messages. */
    private readonly source: string = text,
  ) {}

  get root(): Node | null {
    return this.doc.contents;
  }

  /** Follows aliases to the anchored node; undefined for a dangling or cyclic alias. */
  resolve(node: unknown): Node | null | undefined {
    let current = node;
    for (let hops = 0; isAlias(current); hops++) {
      if (hops > MAX_ALIAS_HOPS) return undefined;
      current = this.anchoredBy(current);
    }
    if (current === null) return null;
    return isScalar(current) || isCollection(current) ? current : undefined;
  }

  /**
   * The anchored nodes that some alias of the document refers to: an edit inside one (or one that
   * removes it) changes, or breaks, every place the alias is written.
   */
  aliasedNodes(): readonly Node[] {
    if (this.aliased) return this.aliased;
    // Without a `*` in the text there is no alias: no need to walk the document.
    if (!this.text.includes('*')) return (this.aliased = []);
    this.anchorIndex();
    const targets = new Set<Node>();
    for (const alias of this.aliases) {
      const target = this.anchoredBy(alias);
      if (target) targets.add(target);
    }
    return (this.aliased = [...targets]);
  }

  /** The node an alias names: the nearest anchor of that name before it. */
  private anchoredBy(alias: Alias): Node | undefined {
    const aliasStart = alias.range?.[0] ?? 0;
    let target: Node | undefined;
    for (const candidate of this.anchorIndex().get(alias.source) ?? []) {
      if ((candidate.range?.[0] ?? 0) < aliasStart) target = candidate;
    }
    return target;
  }

  asMap(node: unknown): YAMLMap | undefined {
    const resolved = this.resolve(node);
    return isMap(resolved) ? resolved : undefined;
  }

  asSeq(node: unknown): YAMLSeq | undefined {
    const resolved = this.resolve(node);
    return isSeq(resolved) ? resolved : undefined;
  }

  /** The key's field in `map`, own keys first, then merged maps in the order given. */
  field(map: YAMLMap | undefined, key: string): Field | undefined {
    if (!map) return undefined;
    return this.findField(map, key, true, 0);
  }

  /** Shorthand for the resolved value of a key. */
  get(map: YAMLMap | undefined, key: string): Node | null | undefined {
    return this.field(map, key)?.value;
  }

  getMap(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
    return this.asMap(this.get(map, key));
  }

  getSeq(map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
    return this.asSeq(this.get(map, key));
  }

  getString(map: YAMLMap | undefined, key: string): string | undefined {
    return scalarString(this.get(map, key));
  }

  /**
   * A scalar's value as messages show it (RULES.md, Helm templates): a masked action is shown as
   * its source (`{{ .Chart.Name }}-sidecar`), never as mask characters. The k-th run of mask
   * characters in the value is the k-th in the node's text, whatever quoting or folding did.
   */
  displayString(node: Node | null | undefined): string | undefined {
    const value = scalarString(node);
    if (value === undefined || node === null || node === undefined || !containsValueMask(value)) return value;
    const { start, end } = spanOf(node);
    const runs = [...this.text.slice(start, end).matchAll(VALUE_MASK_RUN)];
    let index = 0;
    return value.replace(VALUE_MASK_RUN, (run) => {
      const written = runs[index++];
      if (!written) return run;
      const from = start + written.index;
      return this.source.slice(from, from + written[0].length);
    });
  }

  /** Shorthand for the display string of a key's value. */
  getDisplay(map: YAMLMap | undefined, key: string): string | undefined {
    return this.displayString(this.get(map, key));
  }

  /** Every key of the map, merged keys included, each once (own keys win). */
  fields(map: YAMLMap | undefined): Field[] {
    if (!map) return [];
    const seen = new Map<string, Field>();
    this.collectFields(map, true, 0, seen);
    return [...seen.values()];
  }

  /** Items of a sequence, each resolved, with the span of what is written at its place. */
  items(seq: YAMLSeq | undefined, editable = true): Located[] {
    if (!seq) return [];
    const result: Located[] = [];
    for (const item of seq.items) {
      if (!isScalar(item) && !isCollection(item) && !isAlias(item)) continue;
      const resolved = this.resolve(item);
      if (!resolved) continue;
      result.push({ node: resolved, span: spanOf(item), editable: editable && !isAlias(item) });
    }
    return result;
  }

  private findField(map: YAMLMap, key: string, editable: boolean, depth: number): Field | undefined {
    if (depth > MAX_ALIAS_HOPS) throw mergeTooDeep();
    let merged: Field | undefined;
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      if (isMergeKey(pair.key)) {
        if (merged) continue;
        for (const source of this.mergeSources(pair.value)) {
          const found = this.findField(source, key, false, depth + 1);
          if (found) {
            // Reported where the merge is written; the key itself lives in the anchored map.
            const at = spanOf(pair.value as Node);
            merged = { ...found, keySpan: at, valueSpan: at, editable: false };
            break;
          }
        }
        continue;
      }
      if (scalarString(pair.key as Node) !== key) continue;
      return this.toField(key, pair, editable);
    }
    return merged;
  }

  private collectFields(map: YAMLMap, editable: boolean, depth: number, seen: Map<string, Field>): void {
    if (depth > MAX_ALIAS_HOPS) throw mergeTooDeep();
    const merges: Pair[] = [];
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      if (isMergeKey(pair.key)) {
        merges.push(pair);
        continue;
      }
      const key = scalarString(pair.key as Node);
      if (key !== undefined && !seen.has(key)) seen.set(key, this.toField(key, pair, editable));
    }
    for (const pair of merges) {
      const at = spanOf(pair.value as Node);
      for (const source of this.mergeSources(pair.value)) {
        const inner = new Map<string, Field>();
        this.collectFields(source, false, depth + 1, inner);
        for (const [key, field] of inner) {
          if (!seen.has(key)) seen.set(key, { ...field, keySpan: at, valueSpan: at, editable: false });
        }
      }
    }
  }

  private toField(key: string, pair: Pair, editable: boolean): Field {
    const keyNode = pair.key as Node;
    const raw = pair.value as Node | null;
    const keySpan = spanOf(keyNode);
    const resolved = raw === null ? null : (this.resolve(raw) ?? null);
    const valueSpan = raw ? spanOf(raw) : { start: keySpan.end, end: keySpan.end };
    // `key:` with nothing after it gets its value from an action on the next line, when one is there.
    const templated =
      containsValueMask(this.text.slice(valueSpan.start, valueSpan.end)) || (isNullValue(raw) && isFilledByLineAction(this.text, keySpan.end));
    return { key, pair, keySpan, value: resolved, valueSpan, editable: editable && !isAlias(raw), templated };
  }

  private mergeSources(value: unknown): YAMLMap[] {
    const single = this.asMap(value);
    if (single) return [single];
    const seq = isSeq(value) ? value : undefined;
    return (seq?.items ?? []).map((item) => this.asMap(item)).filter((m): m is YAMLMap => m !== undefined);
  }

  private anchorIndex(): Map<string, Node[]> {
    if (this.anchors) return this.anchors;
    const anchors = new Map<string, Node[]>();
    visit(this.doc, (_key, node) => {
      if (isAlias(node)) this.aliases.push(node);
      if ((isScalar(node) || isCollection(node)) && node.anchor) {
        const list = anchors.get(node.anchor) ?? [];
        list.push(node);
        anchors.set(node.anchor, list);
      }
    });
    this.anchors = anchors;
    return anchors;
  }
}

/** A YAML boolean (`true`/`false` as the core schema reads them); strings do not count. */
export function booleanOf(node: Node | null | undefined): boolean | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  // Kubernetes reads manifests as YAML 1.1 (sigs.k8s.io/yaml), where plain yes/no/on/off are
  // booleans too: `privileged: yes` runs a privileged container.
  if (node.type !== Scalar.PLAIN || typeof node.value !== 'string') return undefined;
  if (YAML11_TRUE.test(node.value)) return true;
  if (YAML11_FALSE.test(node.value)) return false;
  return undefined;
}

const YAML11_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON)$/;
const YAML11_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF)$/;

/** A YAML integer; quoted numbers and floats do not count. */
export function integerOf(node: Node | null | undefined): number | undefined {
  return isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) ? node.value : undefined;
}

/** `key:` with nothing, `~` or `null`: as good as absent. */
export function isNullValue(node: Node | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}
