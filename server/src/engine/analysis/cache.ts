import type { SectionOutcome } from './raw-analysis';
import type { DockerfileCacheEntry } from '../parse/dockerfile-chunks';
import type { CachedRunFindings } from './dockerfile';

/** What the engine keeps between analyses of one document: YAML section results, parsed Dockerfile parts, RUN findings. */
export type CachedOutcome = SectionOutcome | DockerfileCacheEntry | CachedRunFindings;

/** A YAML section's result, as opposed to the Dockerfile entries. */
export function isSectionOutcome(value: CachedOutcome): value is SectionOutcome {
  return 'isKubernetes' in value;
}

/**
 * Results of YAML sections, and parsed Dockerfile instructions and RUN scripts, by their text, so
 * an edit re-parses only the part it touched. Create a new cache whenever the configuration changes.
 */
export type SectionCache = Map<string, CachedOutcome>;
