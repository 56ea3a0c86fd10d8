import type { Span } from '../types';
import type { SectionFinding } from '../run';
import type { SkipReason } from '../skip';

/** What a file-kind analysis hands back before suppressions and positions are applied. */
export interface RawAnalysis {
  /** The file holds Kubernetes objects (or could, but failed to parse). */
  isKubernetes: boolean;
  findings: SectionFinding[];
  failures: string[];
  /** Why the file was not analysed, when it was not. */
  skipped?: SkipReason;
  /** Spans a suppression comment above their first line covers entirely (documents, instructions). */
  blocks: Span[];
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
  /** The day the findings hold for: date-bound rules (end of life) may say otherwise tomorrow. */
  today: string;
}
