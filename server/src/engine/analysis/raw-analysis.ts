import type { Finding, Span } from '../types';
import type { SectionFinding } from '../run';
import type { SkipReason } from '../skip';
import type { RecordingView } from '../workspace/model';

/** What a file-kind analysis hands back before suppressions and positions are applied. */
export interface RawAnalysis {
  /** The file holds Kubernetes objects (or could, but failed to parse). */
  isKubernetes: boolean;
  /** Findings with offsets into the file (Dockerfiles). */
  findings: SectionFinding[];
  /** YAML: each `---` section with its findings, relative to the section; placed in the file by `analyze`. */
  sections?: PlacedSection[];
  failures: string[];
  /** Why the file was not analysed, when it was not. */
  skipped?: SkipReason;
  /** Spans a suppression comment above their first line covers entirely (documents, instructions). */
  blocks: Span[];
  /** Stretches no rule read because they do not parse (see `AnalysisResult.unparsed`). */
  unparsed?: Span[];
}

/** What one YAML section gave: cached by its text between analyses of a document. */
export interface SectionOutcome {
  /** The section holds a Kubernetes object (or could, but failed to parse). */
  isKubernetes: boolean;
  findings: SectionFinding[];
  /** Rules that threw, with the error, so callers can log them; the other rules still ran. */
  failures: string[];
  /** The parser's first complaint, when the section does not parse (also a parse-error finding). */
  syntaxError?: { message: string; offset: number };
  /** What the section's rules asked the workspace: replayed when the outcome is reused from a cache. */
  workspaceReads: string[];
  /** The workspace's stamp of `workspaceReads` when the findings were computed: another stamp, stale findings. */
  workspaceStamp?: string;
  /**
   * For when only the workspace changed: runs the section's cross-file rules again on what was
   * parsed and returns all its findings, the other rules' as they were. Absent: a stale outcome
   * is analysed anew.
   */
  rerunCrossFile?: (workspace: RecordingView) => SectionFindings;
  /** The day the findings hold for: date-bound rules (end of life) may say otherwise tomorrow. */
  today: string;
  /** The section did not parse and no rule read it (only its parse-error is reported). */
  unparsed?: boolean;
  /** Fixes were not worked out (the analysis asked for none): an analysis that wants them runs the rules again. */
  fixesLeftOut?: true;
  /**
   * The findings as last placed in a file, kept with the cached outcome: the next analysis of
   * the document reuses them where the section has not moved, and shifts them where it has,
   * instead of converting thousands of findings again at every keystroke.
   */
  placed?: PlacedFindings;
}

export interface SectionFindings {
  findings: SectionFinding[];
  failures: string[];
}

/** One section of a YAML file: where it starts, its index (container keys carry it) and its outcome. */
export interface PlacedSection {
  start: number;
  index: number;
  outcome: SectionOutcome;
}

export interface PlacedFindings {
  start: number;
  line: number;
  index: number;
  /** What else the placement depended on (the config-side ignores' path). */
  context: string;
  findings: Finding[];
}
