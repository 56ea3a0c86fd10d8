import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding, Severity } from '../../engine';
import type { ScanOutcome } from '../../host/scan-file';
import { reportPath, type ScanReport } from './types';

const LEVELS: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** `privilege-escalation-allowed` → `PrivilegeEscalationAllowed`, SARIF's reportingDescriptor name. */
function ruleName(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, ch: string) => ch.toUpperCase());
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** One finding as a SARIF result, with its related locations and suppression. */
function resultOf(finding: Finding, file: ScanOutcome, index: number, ruleIndex: ReadonlyMap<string, number>, report: ScanReport): Result {
  const position = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(position !== undefined ? { ruleIndex: position } : {}),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodePath(file.displayPath), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.range.start.line + 1,
            startColumn: finding.range.start.character + 1,
            endLine: finding.range.end.line + 1,
            endColumn: finding.range.end.character + 1,
          },
        },
      },
    ],
    partialFingerprints: { 'shipshape/v1': file.fingerprints[index] ?? '' },
    ...(finding.related
      ? {
          relatedLocations: finding.related.map((related, id) => ({
            id,
            message: { text: related.message },
            physicalLocation: {
              artifactLocation: { uri: encodePath(related.file === undefined ? file.displayPath : reportPath(report, related.file)), uriBaseId: '%SRCROOT%' },
              region: { startLine: related.range.start.line + 1, startColumn: related.range.start.character + 1 },
            },
          })),
        }
      : {}),
    ...(finding.suppression
      ? {
          suppressions: [
            {
              kind: finding.suppression.kind === 'config' ? 'external' : 'inSource',
              ...(finding.suppression.justification ? { justification: finding.suppression.justification } : {}),
            },
          ],
        }
      : {}),
  };
}

/** SARIF 2.1.0 for code scanning: one run, every rule described, suppressed findings included. */
export function formatSarif(report: ScanReport): string {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.meta.id, index]));
  const baseUri = pathToFileURL(report.baseDir.endsWith('/') ? report.baseDir : `${report.baseDir}/`).href;
  const rules = report.rules.map(
    (rule): ReportingDescriptor => ({
      id: rule.meta.id,
      name: ruleName(rule.meta.id),
      shortDescription: { text: `${rule.meta.title}.` },
      fullDescription: { text: rule.meta.description },
      helpUri: `${report.repositoryUrl}/blob/main/docs/rules/${rule.meta.id}.md`,
      defaultConfiguration: { level: LEVELS[rule.meta.severity] },
      properties: { tags: ['security', rule.meta.kind, rule.meta.profile] },
    }),
  );
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Shipshape', version: report.toolVersion, informationUri: report.repositoryUrl, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: baseUri } },
        invocations: [
          {
            executionSuccessful: report.failures.length === 0,
            toolExecutionNotifications: report.failures.map((failure) => ({ level: 'error', message: { text: failure } })),
          },
        ],
        results: report.files.flatMap((file) => file.findings.map((finding, index) => resultOf(finding, file, index, ruleIndex, report))),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
