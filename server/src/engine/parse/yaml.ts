import { parseDocument, type Document } from 'yaml';
import { containsAnyMask } from './helm-mask';
import { reparseScalarEdit } from './yaml-scalar-edit';

/** One `---` section of a YAML stream, cut out of the file text. */
export interface YamlSection {
  /** Offset of the section in the file text. */
  start: number;
  text: string;
}

/**
 * Splits a YAML stream at its document markers. A `---` at column 0 always starts a document
 * (block scalars must be indented, so one can never hide inside them), which lets each section
 * be parsed on its own: the scan skips sections that no rule reads, and the language server
 * re-parses only the section an edit touched.
 */
export function splitYamlSections(text: string): YamlSection[] {
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  const starts = [0];
  for (let match = marker.exec(text); match; match = marker.exec(text)) {
    if (match.index > 0) starts.push(match.index);
  }
  const sections: YamlSection[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] ?? 0;
    const end = starts[i + 1] ?? text.length;
    sections.push({ start, text: text.slice(start, end) });
  }
  return sections;
}

/** What a section's top-level `apiVersion` and `kind` lines say, read without parsing. */
export interface SectionSniff {
  kind?: string;
  apiVersion?: string;
  hasApiVersion: boolean;
}

const TOP_LEVEL_KIND = /^kind:[ \t]*["']?([A-Za-z0-9_.-]+)/m;
const TOP_LEVEL_API_VERSION = /^apiVersion:[ \t]*["']?([A-Za-z0-9_./-]*)/m;
// JSON manifests and flow-style documents put the keys elsewhere; they are parsed to be sure.
const KEY_ANYWHERE = /["']?kind["']?\s*:/;

export function sniffSection(text: string): SectionSniff {
  const kind = TOP_LEVEL_KIND.exec(text)?.[1];
  const apiVersion = TOP_LEVEL_API_VERSION.exec(text)?.[1];
  return {
    ...(kind === undefined ? {} : { kind }),
    ...(apiVersion ? { apiVersion } : {}),
    hasApiVersion: apiVersion !== undefined,
  };
}

export function mayHoldKind(text: string): boolean {
  return KEY_ANYWHERE.test(text);
}

export type ParsedYaml = Document.Parsed;

/**
 * Parses one section. Aliases are never expanded into plain objects (we read the node tree and
 * follow an alias one step at a time), so an alias bomb costs no more than its text. Source
 * tokens are not kept: fixes are computed from node ranges and the text, and the tokens would
 * double the memory a large open document holds.
 */
export function parseYamlSection(text: string): ParsedYaml {
  const recent = recentParses.get(text);
  if (recent) return recent;
  const masked = containsAnyMask(text);
  // A template writes one key in both branches of an `if`/`else`; as written, both are there.
  const options = { merge: true, uniqueKeys: !masked, prettyErrors: false, strict: true };
  let doc: ParsedYaml | undefined;
  // A keystroke in a value: the section it was typed into was among the last parsed.
  if (!masked) {
    for (const [previousText, previous] of recentParses) {
      if (containsAnyMask(previousText)) continue;
      doc = reparseScalarEdit({ text: previousText, doc: previous }, text, options);
      if (doc) break;
    }
  }
  doc ??= parseDocument(text, options);
  if (recentParses.size >= RECENT_PARSES) recentParses.delete(recentParses.keys().next().value as string);
  recentParses.set(text, doc);
  return doc;
}

/**
 * The last sections parsed, by text. A keystroke's section is read twice, for the workspace facts
 * it contributes and then for the rules, and parsing is most of a keystroke's cost. Parsed
 * documents are only read, never modified (Kustomize copies the nodes it patches), so sharing one
 * is safe; a handful of entries is enough for the two reads of one edit.
 */
const recentParses = new Map<string, ParsedYaml>();
const RECENT_PARSES = 4;
