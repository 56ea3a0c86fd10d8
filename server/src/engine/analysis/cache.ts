import type { SectionOutcome } from './raw-analysis';
import type { DockerfileCacheEntry } from '../parse/dockerfile-chunks';

/** What the engine keeps between analyses of one document: YAML section results, parsed Dockerfile parts. */
export type CachedOutcome = SectionOutcome | DockerfileCacheEntry;

/**
 * Results of YAML sections, and parsed Dockerfile instructions and RUN scripts, by their text, so
 * an edit re-parses only the part it touched. Create a new cache whenever the configuration changes.
 */
export type SectionCache = Map<string, CachedOutcome>;
