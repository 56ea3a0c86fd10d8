import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { analyze, skippedFinding, type AnalysisResult, type AnalyzeInput, type EngineConfig, type Finding } from '../engine';
import { LineIndex } from '../engine/source/text';
import type { FileConfig } from '../workspace/config-loader';

/** What the CLI needs to analyse one file, as plain data (it crosses to worker threads). */
export interface ScanJob {
  path: string;
  /** The path shown to the user and written to reports. */
  displayPath: string;
  config: EngineConfig;
  relativePath: string;
  configSource?: string;
  /** ISO date the suppressions expire against, the same for every file of one scan. */
  today: string;
}

/** The job for a file under the configuration that governs it. */
export function scanJob(path: string, displayPath: string, governing: FileConfig, today: string): ScanJob {
  return {
    path,
    displayPath,
    config: governing.config,
    relativePath: governing.relativePath,
    ...(governing.file ? { configSource: governing.file.path } : {}),
    today,
  };
}

/** What the engine is given besides the text, for one job (scanning and `--fix` alike). */
export function jobInput(job: ScanJob): Omit<AnalyzeInput, 'text'> {
  return {
    path: job.path,
    config: job.config,
    configRelativePath: job.relativePath,
    ...(job.configSource ? { configSource: job.configSource } : {}),
    today: new Date(job.today),
  };
}

export interface ScanOutcome extends AnalysisResult {
  displayPath: string;
  /** One per finding: stable when unrelated lines are added above it (SARIF partialFingerprints). */
  fingerprints: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads and analyses one file; every way a file can be unreadable becomes a file-skipped finding. */
export function scanFile(job: ScanJob): ScanOutcome {
  const skip = (reason: string): ScanOutcome => ({
    displayPath: job.displayPath,
    fileKind: undefined,
    findings: [skippedFinding(reason)],
    skipped: reason,
    failures: [],
    fingerprints: [fingerprint('file-skipped', job.displayPath, '', '', 0)],
  });
  let bytes: Buffer;
  try {
    const size = statSync(job.path).size;
    if (size > job.config.maxFileSize) {
      return skip(`The file is larger than maxFileSize (${(size / 1048576).toFixed(1)} MB > ${(job.config.maxFileSize / 1048576).toFixed(1)} MB); it was not analysed.`);
    }
    bytes = readFileSync(job.path);
  } catch (cause) {
    return skip(`The file cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (bytes.includes(0)) return skip('The file holds NUL bytes (binary content); it was not analysed.');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return skip('The file is not valid UTF-8; it was not analysed.');
  }
  const result = analyze({ ...jobInput(job), text });
  return { ...result, displayPath: job.displayPath, fingerprints: fingerprintsOf(result.findings, text, job.displayPath) };
}

/**
 * Fingerprints hash what a finding is about, not where: the rule, the file, the text of its line
 * and of its range, and how many identical ones come before it in the file.
 */
function fingerprintsOf(findings: readonly Finding[], text: string, path: string): string[] {
  const lines = new LineIndex(text.replace(/^\uFEFF/, ''));
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const lineText = lines.lineText(finding.range.start.line).trim();
    const covered = lines.text.slice(finding.span.start, finding.span.end);
    const key = `${finding.ruleId}\u0000${lineText}\u0000${covered}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return fingerprint(finding.ruleId, path, lineText, covered, occurrence);
  });
}

function fingerprint(ruleId: string, path: string, lineText: string, covered: string, occurrence: number): string {
  return createHash('sha256').update([ruleId, path, lineText, covered, String(occurrence)].join('\u0000')).digest('hex').slice(0, 32);
}
