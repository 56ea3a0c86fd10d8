import { createHash } from 'node:crypto';
import { analyze, describeError, fixInPasses, LineIndex, skippedFinding, SKIP_REASONS, type RecordingView, type WorkspaceModel, type AnalysisResult, type AnalyzeInput, type EngineConfig, type Finding } from '../engine';
import type { FileConfig } from './config-loader';
import { readSourceFile, writeSourceFile } from './source-files';

/** Which fixes a scan applies to the file before reporting on it (CLI `--fix`, `--fix --fix-unsafe`). */
export type FixMode = 'safe' | 'all';

/** What a host needs to analyse one file, as plain data (it crosses to worker threads). */
export interface ScanJob {
  path: string;
  /** The path shown to the user and written to reports. */
  displayPath: string;
  config: EngineConfig;
  relativePath: string;
  configSource?: string;
  /** ISO date the suppressions expire against, the same for every file of one scan. */
  today: string;
  /** Apply these fixes and write the file before reporting; absent: the file is only read. */
  fix?: FixMode;
}

/** The job for a file under the configuration that governs it. */
export function scanJob(path: string, displayPath: string, governing: FileConfig, today: string, fix?: FixMode): ScanJob {
  return {
    path,
    displayPath,
    config: governing.config,
    relativePath: governing.relativePath,
    ...(governing.file ? { configSource: governing.file.path } : {}),
    today,
    ...(fix ? { fix } : {}),
  };
}

/** What the engine is given besides the text, for one job. */
function jobInput(job: ScanJob): Omit<AnalyzeInput, 'text'> {
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
  /** With a fix mode: how many fixes were applied (the file was written when this is above 0). */
  fixesApplied?: number;
  /** With a workspace model: what the analysis read of other files (its dependencies). */
  workspaceReads?: string[];
}

/**
 * Reads and analyses one file (fixing it first when the job says so); every way a file can be
 * unreadable becomes a file-skipped finding.
 */
export function scanFile(job: ScanJob, workspace?: WorkspaceModel): ScanOutcome {
  try {
    return readAndAnalyse(job, workspace);
  } catch (cause) {
    // The engine has its own error boundary; this one catches the host's (a write that failed).
    return { ...skippedOutcome(job, SKIP_REASONS.internalFailure), failures: [`${job.path}: ${describeError(cause)}`] };
  }
}

function skippedOutcome(job: ScanJob, reason: string): ScanOutcome {
  return skippedFileOutcome(job.displayPath, reason);
}

/** A file not analysed (or a vulnerability report not read): one file-skipped finding with the reason. */
export function skippedFileOutcome(displayPath: string, reason: string): ScanOutcome {
  return {
    displayPath,
    fileKind: undefined,
    findings: [skippedFinding(reason)],
    skipped: reason,
    failures: [],
    fingerprints: [fingerprint('file-skipped', displayPath, '', '', 0)],
  };
}

function readAndAnalyse(job: ScanJob, workspace: WorkspaceModel | undefined): ScanOutcome {
  const source = readSourceFile(job.path, job.config.maxFileSize);
  if ('skipped' in source) return skippedOutcome(job, source.skipped);
  const input = jobInput(job);
  let text = source.text;
  let result: AnalysisResult | undefined;
  let fixesApplied: number | undefined;
  /** The view of the analysis that is reported: its reads are the file's dependencies. */
  let view: RecordingView | undefined;
  if (job.fix) {
    // The last pass analyses the fixed text; that analysis is the report, so nothing is read twice.
    let last: { text: string; result: AnalysisResult } | undefined;
    const analyzeText = (current: string): readonly Finding[] => {
      view = workspace?.view();
      last = { text: current, result: analyze({ ...input, text: current, ...(view ? { workspace: view } : {}) }) };
      return last.result.findings;
    };
    const mode = job.fix;
    const fixed = fixInPasses(text, analyzeText, (finding) => mode === 'all' || (finding.fix?.isSafe ?? false));
    fixesApplied = fixed.text === text ? 0 : fixed.applied;
    if (fixesApplied > 0) {
      writeSourceFile(job.path, fixed.text);
      text = fixed.text;
    }
    // fixInPasses analyses BOM-less text; the file's text may start with one.
    const settled: { text: string; result: AnalysisResult } | undefined = last;
    if (settled && settled.text === text.replace(/^\uFEFF/, '')) result = settled.result;
  }
  if (!result) {
    view = workspace?.view();
    result = analyze({ ...input, text, ...(view ? { workspace: view } : {}) });
  }
  return {
    ...result,
    displayPath: job.displayPath,
    fingerprints: fingerprintsOf(result.findings, text, job.displayPath),
    ...(fixesApplied !== undefined ? { fixesApplied } : {}),
    ...(view ? { workspaceReads: [...view.reads] } : {}),
  };
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
