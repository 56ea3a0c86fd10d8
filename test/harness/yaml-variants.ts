/**
 * The same manifest written in other styles, for the fix property test: a fix must work, and
 * keep the file's own style, however the file is written. Each variant returns undefined when it
 * does not apply (a Helm template cannot be re-serialised; a file without containers gets no
 * null securityContext). Every variant but `aliased` means the same data as the original.
 */
import { isMap, isNode, isPair, isScalar, isSeq, Pair, parseAllDocuments, Scalar, visit, type Document, type Node, type ToStringOptions, type YAMLMap } from 'yaml';

export interface Variant {
  name: string;
  /** Line endings, BOM, a final newline: the fixed text must be the original's fixed text, re-styled the same way. */
  textual?: (fixed: string) => string;
  apply(text: string): string | undefined;
}

function isLfOnly(text: string): boolean {
  return !text.includes('\r');
}

function documentsOf(text: string): Document.Parsed[] | undefined {
  if (text.includes('{{') || text.includes('\r') || text.startsWith('\uFEFF')) return undefined;
  const documents = parseAllDocuments(text, { merge: true });
  if (!Array.isArray(documents) || documents.some((document) => document.errors.length > 0)) return undefined;
  return documents;
}

/** Re-serialises every document after `change`; undefined when nothing changed. */
function restyle(text: string, change: (document: Document.Parsed) => void, options: ToStringOptions = {}): string | undefined {
  const documents = documentsOf(text);
  if (!documents) return undefined;
  documents.forEach(change);
  const result = documents.map((document) => document.toString({ lineWidth: 0, ...options })).join('');
  return result === text ? undefined : result;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Every container map (an item of a containers list) in a document, wherever it sits. */
function containerMaps(document: Document.Parsed): YAMLMap[] {
  const found: YAMLMap[] = [];
  visit(document, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && CONTAINER_LISTS.has(String(pair.key.value)) && isSeq(pair.value)) {
        for (const item of pair.value.items) if (isMap(item)) found.push(item);
      }
    },
  });
  return found;
}

/** Pod specs: the maps holding a `containers` list. */
function podSpecMaps(document: Document.Parsed): YAMLMap[] {
  const found: YAMLMap[] = [];
  visit(document, {
    Map(_key, map) {
      if (map.items.some((pair) => isScalar(pair.key) && pair.key.value === 'containers' && isSeq(pair.value))) found.push(map);
    },
  });
  return found;
}

/** Lines that belong to a multi-line scalar or flow collection: no text may be put into them. */
function protectedLines(text: string): Set<number> | undefined {
  const documents = documentsOf(text);
  if (!documents) return undefined;
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length - 1;
  const lines = new Set<number>();
  for (const document of documents) {
    visit(document, (_key, node) => {
      if (!isNode(node)) return;
      const spansLines = (isScalar(node) || ((isMap(node) || isSeq(node)) && node.flow)) && node.range;
      if (!spansLines || !node.range) return;
      const first = lineOf(node.range[0]);
      const last = lineOf(node.range[1]);
      for (let line = first; line < last; line++) lines.add(line);
      if (isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)) for (let line = first; line <= last; line++) lines.add(line);
      if (isMap(node) || isSeq(node)) return visit.SKIP;
      return undefined;
    });
  }
  return lines;
}

/** Rewrites each line outside multi-line scalars and flow collections. */
function rewriteLines(text: string, rewrite: (line: string, index: number) => string): string | undefined {
  const guarded = protectedLines(text);
  if (!guarded) return undefined;
  const result = text
    .split('\n')
    .map((line, index) => (guarded.has(index) ? line : rewrite(line, index)))
    .join('\n');
  return result === text ? undefined : result;
}

const BLOCK_KEY_LINE = /^( *)([A-Za-z_][\w./-]*):((?: .*)?)$/;

export const VARIANTS: readonly Variant[] = [
  {
    name: 'CRLF',
    textual: (fixed) => fixed.replace(/\n/g, '\r\n'),
    apply: (text) => (isLfOnly(text) && text.includes('\n') ? text.replace(/\n/g, '\r\n') : undefined),
  },
  { name: 'BOM', textual: (fixed) => `\uFEFF${fixed}`, apply: (text) => (text.startsWith('\uFEFF') ? undefined : `\uFEFF${text}`) },
  { name: 'no final newline', apply: (text) => (/\n$/.test(text) ? text.replace(/(?:\r?\n)+$/, '') : undefined) },
  { name: '4-space indentation', apply: (text) => restyle(text, () => undefined, { indent: 4 }) },
  {
    name: 'flow-style containers',
    apply: (text) =>
      restyle(text, (document) => {
        for (const container of containerMaps(document)) container.flow = true;
      }),
  },
  {
    name: 'explicit keys',
    apply: (text) =>
      rewriteLines(text, (line) => {
        const match = BLOCK_KEY_LINE.exec(line);
        // `? kind` is legal but unheard of; the engine finds manifests by their `kind:` line.
        if (!match || match[1] === undefined || (match[1] === '' && /^(?:apiVersion|kind)$/.test(match[2] ?? ''))) return line;
        return `${match[1]}? ${match[2]}\n${match[1]}:${match[3] ?? ''}`;
      }),
  },
  { name: 'null securityContext', apply: (text) => withNullSecurityContexts(text, 'null') },
  { name: '~ securityContext', apply: (text) => withNullSecurityContexts(text, '~') },
  {
    name: 'comments on every line',
    apply: (text) => rewriteLines(text, (line, index) => (line.trim() === '' || line.includes('#') || line.startsWith('%') ? line : `${line} # c${index}`)),
  },
  {
    name: 'quoted keys',
    apply: (text) =>
      restyle(text, (document) =>
        visit(document, {
          Pair(_key, pair) {
            if (isScalar(pair.key) && typeof pair.key.value === 'string' && pair.key.value !== '<<') pair.key.type = Scalar.QUOTE_DOUBLE;
          },
        }),
      ),
  },
  {
    name: 'unused anchors',
    apply: (text) =>
      restyle(text, (document) => {
        containerMaps(document).forEach((container, index) => (container.anchor ??= `unused${index}`));
      }),
  },
];

/** A container and a pod spec with `securityContext: null` (or `~`), which the API reads as absent. */
function withNullSecurityContexts(text: string, nullStr: 'null' | '~'): string | undefined {
  return restyle(
    text,
    (document) => {
      for (const map of [...containerMaps(document), ...podSpecMaps(document)]) {
        if (!map.items.some((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === 'securityContext')) map.set('securityContext', null);
      }
    },
    { nullStr },
  );
}

/**
 * The first container, anchored, with an alias to it after the document: the one variant whose
 * fixes must differ, since nothing inside the anchored map may be edited.
 */
export function aliasedVariant(text: string): { text: string; anchored: (fixed: string) => string | undefined } | undefined {
  const styled = restyle(text, (document) => {
    const first = containerMaps(document)[0];
    // Read as an unparsed document: the new pair has no source range.
    const editable: Document = document;
    const root = editable.contents;
    if (!first || !isMap(root) || first.anchor) return;
    first.anchor = 'shared';
    root.add(new Pair(new Scalar('x-shared'), document.createAlias(first)));
  });
  if (styled === undefined || !styled.includes('*shared')) return undefined;
  return { text: styled, anchored: anchoredText };
}

/** The source text of the node anchored `&shared`. */
function anchoredText(text: string): string | undefined {
  const documents = parseAllDocuments(text.replace(/^\uFEFF/, ''), { merge: true });
  if (!Array.isArray(documents)) return undefined;
  for (const document of documents) {
    let found: Node | undefined;
    visit(document, (_key, node) => {
      if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor === 'shared') {
        found = node;
        return visit.BREAK;
      }
      return undefined;
    });
    if (found?.range) return text.replace(/^\uFEFF/, '').slice(found.range[0], found.range[1]);
  }
  return undefined;
}
