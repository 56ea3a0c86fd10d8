/**
 * Vulnerability reports: Trivy JSON, Grype JSON, or SARIF from either, read into what
 * image-vulnerable shows. Pure: the host reads the files the config lists and hands their text.
 */
import { isGrypeJson, readGrypeJson } from './grype';
import { isObject, type ReportReading } from './report';
import { isSarif, readSarif } from './sarif';
import { isTrivyJson, readTrivyJson } from './trivy';

export type { ParsedReport, ReportReading } from './report';

/** Reports over this size are not read (RULES.md, "Vulnerability reports"). */
export const MAX_REPORT_SIZE = 50 * 1024 * 1024;

/** The reports a file holds (a SARIF file may hold several runs), or why it cannot be read. */
export function readVulnerabilityReport(text: string): ReportReading {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    // The parser's message quotes the text; only the position is kept.
    const position = cause instanceof Error ? /position (\d+)/.exec(cause.message)?.[1] : undefined;
    return { error: `it is not valid JSON${position === undefined ? '' : ` (at character ${position})`}` };
  }
  if (!isObject(json)) return { error: 'it is not a Trivy JSON, Grype JSON or SARIF report (the JSON is not an object)' };
  if (isSarif(json)) return readSarif(json);
  if (isTrivyJson(json)) return readTrivyJson(json);
  if (isGrypeJson(json)) return readGrypeJson(json);
  return { error: 'it is not a Trivy JSON (schema version 2), Grype JSON or SARIF report' };
}
