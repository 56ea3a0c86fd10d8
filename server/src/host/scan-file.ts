import { createHash } from 'node:crypto';
import { analyze, describeError, fixInPasses, LineIndex, skippedFinding, SKIP_REASONS, type RecordingView, type WorkspaceModel, type AnalysisResult, type AnalyzeInput, type AppliedFix, type EngineConfig, type Finding, type SkipReason } from '../engine';
import type { FileConfig } from './config-loader';
import { contentHash, readSourceFile, writeSourceFileIfUnchanged } from './source-files';

/**
 * The fixes a scan applies to the file before reporting on it: the safe ones (CLI `--fix`) or all
 * (`--fix-unsafe`); a dry run (`--fix-dry-run`) computes them and writes nothing.
 */
export interface FixOrder {
  mode: 'safe' | 'all';
  dryRun: boolean;
}

/** What fixing one file did. */
export interface FileFixes {
  applied: AppliedFix[];
  /** The file on disk now holds the fixed text. */
  written: boolean;
  /** Why fixes were applied but not written (a dry run needs no reason). */
  leftAlone?: string;
  /** A dry run's text before and after the fixes, for the diff. */
  preview?: { before: string; after: string };
}

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
  /** Apply these fixes (and write the file) before reporting; absent: the file is only read. */
  fix?: FixOrder;
}

/** The job for a file under the configuration that governs it. */
export function scanJob(path: string, displayPath: string, governing: FileConfig, today: string, fix?: FixOrder): ScanJob {
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
  /** With a fix order: what the fixes did. The findings are those of the fixed text (also on a dry run). */
  fixes?: FileFixes;
  /** With a workspace model: what the analysis read of other files (its dependencies). */
  workspaceReads?: string[];
  /** `contentHash` of the text the findings are about; absent when the file was not read. */
  contentHash?: string;
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

function skippedOutcome(job: ScanJob, reason: SkipReason): ScanOutcome {
  return skippedFileOutcome(job.displayPath, reason);
}

/** A file not analysed (or a vulnerability report not read): one file-skipped finding with the reason. */
export function skippedFileOutcome(displayPath: string, reason: SkipReason): ScanOutcome {
  const finding = skippedFinding(reason);
  return {
    displayPath,
    fileKind: undefined,
    findings: [finding],
    skipped: finding.message,
    failures: [],
    fingerprints: fingerprintsOf([finding], '', displayPath),
  };
}

function readAndAnalyse(job: ScanJob, workspace: WorkspaceModel | undefined): ScanOutcome {
  const source = readSourceFile(job.path, job.config.maxFileSize);
  if ('skipped' in source) return skippedOutcome(job, source.skipped);
  const input = jobInput(job);
  let text = source.text;
  let result: AnalysisResult | undefined;
  let fixes: FileFixes | undefined;
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
    const { mode, dryRun } = job.fix;
    const fixed = fixInPasses(text, analyzeText, (finding) => mode === 'all' || (finding.fix?.isSafe ?? false));
    const applied = fixed.text === text ? [] : fixed.applied;
    fixes = { applied, written: false };
    if (applied.length > 0 && dryRun) {
      fixes.preview = { before: text, after: fixed.text };
      text = fixed.text;
    } else if (applied.length > 0) {
      const write = writeSourceFileIfUnchanged(job.path, text, fixed.text);
      if (write.written) {
        fixes.written = true;
        text = fixed.text;
      } else {
        fixes.leftAlone = write.reason;
      }
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
    ...(fixes ? { fixes } : {}),
    ...(view ? { workspaceReads: [...view.reads] } : {}),
    contentHash: contentHash(text),
  };
}

/**
 * Fingerprints hash what a finding is about, not where: the rule, the file, the text of its line
 * and of its range, and how many identical ones come before it in the file.
 */
export function fingerprintsOf(findings: readonly Finding[], text: string, path: string): string[] {
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
