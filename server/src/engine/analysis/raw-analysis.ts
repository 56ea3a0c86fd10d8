import type { Span } from '../types';
import type { SectionFinding } from '../run';

/** What a file-kind analysis hands back before suppressions and positions are applied. */
export interface RawAnalysis {
  /** The file holds Kubernetes objects (or could, but failed to parse). */
  isKubernetes: boolean;
  findings: SectionFinding[];
  failures: string[];
  /** Why the file was not analysed, when it was not. */
  skipped?: string;
  /** Spans a suppression comment above their first line covers entirely (documents, instructions). */
  blocks: Span[];
}
