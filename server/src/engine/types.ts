/** Shared vocabulary of the engine. Positions follow LSP: 0-based lines, UTF-16 columns. */

export const SEVERITIES = ['error', 'warning', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

/** Ordered smallest first: every profile includes the ones before it. */
export const PROFILES = ['baseline', 'restricted', 'recommended', 'strict'] as const;

export type Profile = (typeof PROFILES)[number];

/** What a file is to the engine; compose files are YAML too, told apart by their name. */
export type FileKind = 'kubernetes' | 'dockerfile' | 'compose';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Values filling a message template's `{name}` placeholders. */
export type ReportData = Record<string, string | number>;

/** A half-open span of UTF-16 offsets into a file's text (after any BOM). */
export interface Span {
  start: number;
  end: number;
}

/** A text replacement by offsets; `text` replaces [start, end). */
export interface OffsetEdit extends Span {
  text: string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Edits to a file other than the finding's: a fix in a Kustomize overlay is a workspace edit. */
export interface FileEdits {
  /** The file's path, as given to the engine. */
  path: string;
  /** Offsets into that file's text (without BOM). */
  edits: OffsetEdit[];
  /** The same edits as ranges in that file. */
  textEdits: TextEdit[];
}

export interface Fix {
  title: string;
  /** Offsets into the analysed text; `toTextEdits` turns them into LSP edits. */
  edits: OffsetEdit[];
  /** Edits to other files, applied together with `edits` (both may be present). */
  otherFiles?: FileEdits[];
  /** Safe for `source.fixAll.shipshape`: never changes what a working app can do at run time. */
  isSafe: boolean;
  /** Part of "Harden container" (RULES.md: the fixes that make a container pass PSS restricted). */
  partOfHarden: boolean;
}

export interface RelatedLocation {
  /** Path or URI of the related file, as given to the engine; undefined for the same file. */
  file?: string;
  range: Range;
  message: string;
}

export type SuppressionKind = 'comment' | 'annotation' | 'config';

export interface Suppression {
  kind: SuppressionKind;
  /** Where the suppression is written: the comment or annotation text, or the config file path. */
  source: string;
  justification?: string;
}

export interface Finding {
  ruleId: string;
  /** Which of the rule's messages this is (`meta.messages`); stable, for tests and tools. */
  messageId: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Offsets of `range`, for callers that slice the text (fingerprints, hover). */
  span: Span;
  fix?: Fix;
  /** Fixes a person may choose instead of `fix` (a Kustomize finding: fix it in one overlay); never part of fix-all. */
  moreFixes?: Fix[];
  related?: RelatedLocation[];
  /** Set when an inline comment, annotation or config entry suppresses the finding. */
  suppression?: Suppression;
  /** Container the finding concerns, so editor actions can group them ("Harden container"). */
  containerKey?: string;
  /** More about this finding than its message, as Markdown (the editor's hover shows it). */
  details?: string;
  /**
   * "Harden all containers": the containers whose hardening fixes, judged under `profile`, clear
   * the finding (namespace-pss-violation, offered only when every broken control has a fix).
   */
  hardenAll?: HardenAll;
}

export interface HardenAll {
  containerKeys: string[];
  profile: Profile;
}
