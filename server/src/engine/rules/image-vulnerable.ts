import { basename } from 'node:path';
import type { Span } from '../types';
import type { VulnerabilitySettings } from '../config';
import type { ReportData } from '../types';
import { defineComposeRule, defineContainerRule, defineDockerfileRule, defineKubernetesAndDockerfileRule, type Report, type RuleMeta } from './define';
import { isImageReferenceError, type ImageReference } from '../images/reference';
import { reportsOf, summarise, type VulnerabilitySummary } from '../images/vulnerability-reports';
import { containerImage } from '../kubernetes/container-image';
import { baseImages } from '../dockerfile/base-images';
import type { ReportedVulnerability, VulnerabilityReportFact } from '../workspace/facts';
import type { WorkspaceView } from '../workspace/model';

/** How many findings the hover lists; the rest are counted. */
const LISTED = 10;

const FINDINGS = '{subject} has {count} at {minSeverity} or above ({counts}), {fixable} with a fixed version';

/** One meta for every file kind: the same finding wherever the image is written. */
const meta: Omit<RuleMeta, 'kind'> = {
  id: 'image-vulnerable',
  title: 'Images must not carry vulnerabilities a configured scanner report found',
  description:
    'A vulnerability scanner (Trivy, Grype) found known vulnerabilities in this image at or above the configured severity. Shipshape scans nothing itself: it shows the reports the configuration lists (vulnerabilityReports) where the image is written, so the fix (a patched tag or base image) is made where it matters.',
  severity: 'warning',
  alternateSeverity: 'error',
  profile: 'recommended',
  crossFile: true,
  messages: {
    vulnerable: `${FINDINGS}, per the {scanner} report of {date}.`,
    stale: `${FINDINGS}, per the {scanner} report of {date}; that report is {age} days old (vulnerabilities.maxAgeDays is {maxAge}): scan the image again.`,
    undated: `${FINDINGS}, per a {scanner} report that is not dated (its age is unknown).`,
  },
};

/** What to report for one image reference: one finding per line, from the newest report that scanned it. */
function reportFor(reference: ImageReference, subject: string, at: Span, workspace: WorkspaceView, settings: VulnerabilitySettings, today: string): Omit<Report<unknown>, 'fix'> | undefined {
  const [newest, ...older] = reportsOf(workspace, reference);
  if (!newest) return undefined;
  const summary = summarise(newest, settings, today);
  if (summary.counted.length === 0) return undefined;
  const total = summary.counted.length;
  const data: ReportData = {
    subject,
    count: `${total} ${total === 1 ? 'vulnerability' : 'vulnerabilities'}`,
    minSeverity: settings.minSeverity,
    counts: summary.countsBySeverity,
    fixable: summary.fixable,
    scanner: scannerLabel(newest),
    date: dateLabel(newest, summary),
    age: summary.ageDays ?? 0,
    maxAge: settings.maxAgeDays,
  };
  return {
    messageId: summary.day === undefined ? 'undated' : summary.stale ? 'stale' : 'vulnerable',
    data,
    at,
    // CRITICAL findings make it an error (RULES.md).
    ...(summary.hasCritical ? { severity: 'error' as const } : {}),
    details: details(newest, summary, older, settings),
    related: [{ in: newest.at, message: `The ${scannerLabel(newest)} report of ${dateLabel(newest, summary)}` }],
  };
}

function scannerLabel(report: VulnerabilityReportFact): string {
  return report.format === 'SARIF' ? `${report.scanner} SARIF` : report.scanner;
}

function dateLabel(report: VulnerabilityReportFact, summary: VulnerabilitySummary): string {
  if (summary.day === undefined) return 'unknown date';
  return report.scannedAtSource === 'file' ? `${summary.day} (the file's date: the report has none)` : summary.day;
}

/** Markdown for the hover: the report, then the most severe findings with their links. */
function details(report: VulnerabilityReportFact, summary: VulnerabilitySummary, older: readonly VulnerabilityReportFact[], settings: VulnerabilitySettings): string {
  const lines = [
    `${scannerLabel(report)} report \`${code(basename(report.at.path))}\` of ${dateLabel(report, summary)}: ${summary.countsBySeverity} at ${settings.minSeverity} or above, ${summary.fixable} with a fixed version.`,
    '',
    ...summary.counted.slice(0, LISTED).map(findingLine),
  ];
  const rest = summary.counted.length - LISTED;
  if (rest > 0) lines.push(`- …and ${rest} more in the report.`);
  if (older.length > 0) {
    lines.push('', `Older reports of this image, not counted: ${older.map((other) => `${scannerLabel(other)} \`${code(basename(other.at.path))}\` (${other.scannedAt?.slice(0, 10) ?? 'undated'})`).join(', ')}.`);
  }
  return lines.join('\n');
}

/** `- [CVE-2024-1](https://…) CRITICAL `libc6` `2.36-9` → `2.36-10`: title` */
function findingLine(found: ReportedVulnerability): string {
  const id = found.url === undefined ? escapeMarkdown(found.id) : `[${escapeMarkdown(found.id)}](${found.url})`;
  const versions = `${found.installed === undefined ? '' : ` \`${code(found.installed)}\``} → ${found.fixed === undefined ? 'no fix yet' : `\`${code(found.fixed)}\``}`;
  return `- ${id} ${found.severity} \`${code(found.package)}\`${versions}${found.title === undefined ? '' : `: ${escapeMarkdown(found.title)}`}`;
}

/** Report text inside a code span: a backquote would end it. */
function code(text: string): string {
  return text.replace(/`/g, "'");
}

/**
 * Report text as Markdown that renders as the text itself: no links, images, emphasis or HTML of
 * the report's making (the text never starts a line, so list and heading markers are harmless).
 */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, '\\$&');
}

export default defineKubernetesAndDockerfileRule({
  kubernetes: defineContainerRule({
    meta,
    check(container, { report, workspace, config, today }) {
      // A debugging session's image is chosen at run time (RULES.md, "Images").
      if (container.kind === 'ephemeralContainer') return;
      const image = containerImage(container);
      if (!image?.hasKnownTagAndDigest || isImageReferenceError(image.parsed)) return;
      const found = reportFor(image.parsed, `Image "${image.text}"`, image.span, workspace, config.vulnerabilities, today);
      if (found) report(found);
    },
  }),
  // Every stage: a builder's vulnerabilities can reach what it builds.
  dockerfile: defineDockerfileRule({
    meta,
    check(dockerfile, { report, workspace, config, today }) {
      for (const { reference, at, label } of baseImages(dockerfile)) {
        const found = reportFor(reference, `FROM ${label}`, at, workspace, config.vulnerabilities, today);
        if (found) report(found);
      }
    },
  }),
  compose: defineComposeRule({
    meta,
    check(compose, { report, workspace, config, today }) {
      for (const service of compose.services) {
        const image = service.image;
        if (!image || isImageReferenceError(image.parsed)) continue;
        const found = reportFor(image.parsed, `Image "${image.text}" of service "${service.name}"`, image.span, workspace, config.vulnerabilities, today);
        if (found) report(found);
      }
    },
  }),
});
