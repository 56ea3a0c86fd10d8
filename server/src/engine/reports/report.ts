/**
 * What the report readers share: JSON narrowing, the severity scale, and cleaning what a report
 * says before Shipshape shows it. A report is untrusted input (a hostile repository can ship
 * one): only the fields the rule shows are kept, each on one line and of bounded length, and
 * links only when they are https.
 */
import type { VulnerabilitySeverity } from '../settings/definition';
import { VULNERABILITY_SEVERITIES } from '../config';
import { canonicalImageName } from '../images/eol';
import { isImageReferenceError, parseImageReference } from '../images/reference';
import type { ReportedVulnerability, ScannedImage } from '../workspace/facts';

/** One scan of one image, as a report (or one run of a SARIF file) describes it. */
export interface ParsedReport {
  scanner: 'Trivy' | 'Grype';
  format: 'JSON' | 'SARIF';
  images: ScannedImage[];
  /** ISO 8601, UTC. */
  scannedAt?: string;
  vulnerabilities: ReportedVulnerability[];
}

/** Reports of one file, or why none could be read (worded by Shipshape, never quoting the file). */
export type ReportReading = { reports: ParsedReport[] } | { error: string };

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = object?.[key];
  return isObject(value) ? value : undefined;
}

export function arrayAt(object: JsonObject | undefined, key: string): unknown[] {
  const value = object?.[key];
  return Array.isArray(value) ? value : [];
}

export function stringAt(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function stringsAt(object: JsonObject | undefined, key: string): string[] {
  return arrayAt(object, key).filter((item): item is string => typeof item === 'string');
}

/** A scanner's severity word (`HIGH`, `High`, `high`, `Negligible`); undefined for anything else. */
export function severityOf(word: string | undefined): VulnerabilitySeverity | undefined {
  const upper = word?.trim().toUpperCase();
  return VULNERABILITY_SEVERITIES.find((severity) => severity === upper);
}

/** GitHub's `security-severity` (a CVSS score) in words, as code scanning buckets it. */
export function severityOfScore(score: string | undefined): VulnerabilitySeverity | undefined {
  const value = score === undefined ? NaN : Number(score);
  if (!Number.isFinite(value) || value < 0) return undefined;
  if (value >= 9) return 'CRITICAL';
  if (value >= 7) return 'HIGH';
  if (value >= 4) return 'MEDIUM';
  return value > 0 ? 'LOW' : 'UNKNOWN';
}

/** How long each shown field may be: a report's text is shown, never trusted to be short. */
const LIMITS = { id: 80, package: 120, version: 80, title: 160 } as const;

/** One line of text, control characters and runs of spaces collapsed, cut at `max` characters. */
export function cleanText(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const oneLine = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (oneLine.length === 0) return undefined;
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** The first sentence of a description (Grype has no title), cleaned. */
export function firstSentence(value: string | undefined): string | undefined {
  const text = cleanText(value, 2000);
  if (text === undefined) return undefined;
  const end = /[.!?](?:\s|$)/.exec(text);
  return cleanText(end ? text.slice(0, end.index + 1) : text, LIMITS.title);
}

/** An advisory link: the report's when it is a plain https URL, else one derived from a CVE or GHSA id. */
export function advisoryUrl(id: string, given: string | undefined): string | undefined {
  if (given !== undefined && /^https:\/\/[A-Za-z0-9.-]+(?:\/[A-Za-z0-9._~\-/%?=&+#:@!,;]*)?$/.test(given) && given.length <= 300) return given;
  if (/^CVE-\d{4}-\d{4,}$/.test(id)) return `https://nvd.nist.gov/vuln/detail/${id}`;
  if (/^GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}$/.test(id)) return `https://github.com/advisories/${id}`;
  return undefined;
}

/** A vulnerability from the fields a report gives, cleaned; undefined without an id, a package or a severity. */
export function vulnerability(fields: {
  id: string | undefined;
  severity: VulnerabilitySeverity | undefined;
  package: string | undefined;
  installed?: string | undefined;
  fixed?: string | undefined;
  title?: string | undefined;
  url?: string | undefined;
}): ReportedVulnerability | undefined {
  const id = cleanText(fields.id, LIMITS.id);
  const name = cleanText(fields.package, LIMITS.package);
  if (id === undefined || name === undefined || fields.severity === undefined) return undefined;
  const installed = cleanText(fields.installed, LIMITS.version);
  const fixed = cleanText(fields.fixed, LIMITS.version);
  const title = cleanText(fields.title, LIMITS.title);
  const url = advisoryUrl(id, fields.url);
  return {
    id,
    severity: fields.severity,
    package: name,
    ...(installed === undefined ? {} : { installed }),
    ...(fixed === undefined ? {} : { fixed }),
    ...(title === undefined ? {} : { title }),
    ...(url === undefined ? {} : { url }),
  };
}

/** One entry per vulnerability of a package version: scanners repeat a finding for each place a package is found. */
export function uniqueVulnerabilities(found: Iterable<ReportedVulnerability | undefined>): ReportedVulnerability[] {
  const byKey = new Map<string, ReportedVulnerability>();
  for (const entry of found) {
    if (!entry) continue;
    const key = `${entry.id}\u0000${entry.package}\u0000${entry.installed ?? ''}`;
    if (!byKey.has(key)) byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** The images a report names (`nginx:1.25`, `ghcr.io/acme/app@sha256:…`), parsed; malformed names are left out. */
export function scannedImages(references: Iterable<string | undefined>): ScannedImage[] {
  const images = new Map<string, ScannedImage>();
  const add = (image: ScannedImage): void => {
    images.set(`${image.name}\u0000${image.tag ?? ''}\u0000${image.digest ?? ''}`, image);
  };
  for (const reference of references) {
    if (reference === undefined || reference.length > 512) continue;
    const parsed = parseImageReference(reference);
    if (isImageReferenceError(parsed)) continue;
    const name = canonicalImageName(parsed.name);
    // A name alone is pulled as `:latest`, by the scanner as by the runtime.
    if (parsed.tag !== undefined || parsed.digest === undefined) add({ name, tag: parsed.tag ?? 'latest' });
    if (parsed.digest !== undefined) add({ name, digest: parsed.digest });
  }
  return [...images.values()];
}

/** An RFC 3339 timestamp (any number of fraction digits, any offset) as ISO 8601 UTC; undefined when it is not one. */
export function timestampOf(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(value.trim());
  if (!match) return undefined;
  const fraction = (match[3] ?? '').slice(0, 3).padEnd(3, '0');
  const time = Date.parse(`${match[1]}T${match[2]}.${fraction}${(match[4] ?? 'Z').toUpperCase()}`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
