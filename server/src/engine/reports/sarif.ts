/**
 * SARIF 2.1.0 from Trivy (`trivy image --format sarif`) or Grype (`grype <image> -o sarif`), one
 * report per run. Trivy names the image in the run's properties (`imageName`, `repoTags`,
 * `repoDigests`); Grype in each result's logical location (`<image>@<layer>:/<path>`). Package
 * and versions come from the text the tools write for each finding (`Package: …`), the title and
 * link from the rule. Neither tool dates its SARIF; a run's `invocations` may.
 */
import type { VulnerabilitySeverity } from '../settings/definition';
import {
  arrayAt,
  firstSentence,
  isObject,
  objectAt,
  scannedImages,
  severityOf,
  severityOfScore,
  stringAt,
  stringsAt,
  timestampOf,
  uniqueVulnerabilities,
  vulnerability,
  type JsonObject,
  type ParsedReport,
  type ReportReading,
} from './report';
import type { ReportedVulnerability } from '../workspace/facts';

export function isSarif(json: JsonObject): boolean {
  return typeof json.version === 'string' && json.version.startsWith('2.1') && Array.isArray(json.runs);
}

export function readSarif(json: JsonObject): ReportReading {
  const runs = arrayAt(json, 'runs').filter(isObject);
  const reports: ParsedReport[] = [];
  const problems: string[] = [];
  for (const run of runs) {
    const scanner = scannerOf(run);
    if (!scanner) continue;
    const read = scanner === 'Trivy' ? readTrivyRun(run) : readGrypeRun(run);
    if ('error' in read) problems.push(read.error);
    else reports.push(read);
  }
  if (reports.length > 0) return { reports };
  if (problems[0] !== undefined) return { error: problems[0] };
  return { error: 'the SARIF file holds no run from Trivy or Grype' };
}

function scannerOf(run: JsonObject): 'Trivy' | 'Grype' | undefined {
  const name = stringAt(objectAt(objectAt(run, 'tool'), 'driver'), 'name')?.toLowerCase() ?? '';
  if (name === 'trivy') return 'Trivy';
  // Grype's SARIF driver is `grype`; releases before 0.50 called it "Anchore Container Vulnerability Report".
  if (name === 'grype' || name.startsWith('anchore container vulnerability report')) return 'Grype';
  return undefined;
}

/** The rules of a run by id, for the title and link of each result. */
function rulesOf(run: JsonObject): Map<string, JsonObject> {
  const rules = new Map<string, JsonObject>();
  for (const rule of arrayAt(objectAt(objectAt(run, 'tool'), 'driver'), 'rules').filter(isObject)) {
    const id = stringAt(rule, 'id');
    if (id !== undefined && !rules.has(id)) rules.set(id, rule);
  }
  return rules;
}

/** `Key: value` lines of the text both tools write per finding (the only text of theirs that is read). */
function fieldsOf(text: string | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of (text ?? '').split('\n').slice(0, 40)) {
    const match = /^([A-Za-z][A-Za-z ]{0,30}?):\s*(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined && !fields.has(match[1])) fields.set(match[1], match[2].trim());
  }
  return fields;
}

/** The URL of a markdown link `[id](url)`. */
function linkOf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\]\(([^)\s]+)\)/.exec(text)?.[1];
}

function textOf(object: JsonObject | undefined, key: string): string | undefined {
  return stringAt(objectAt(object, key), 'text');
}

/** When the run says it ran: the first invocation's end (or start) time. */
function runDate(run: JsonObject): string | undefined {
  const invocation = arrayAt(run, 'invocations').find(isObject);
  return timestampOf(stringAt(invocation, 'endTimeUtc') ?? stringAt(invocation, 'startTimeUtc'));
}

function report(scanner: 'Trivy' | 'Grype', run: JsonObject, images: ParsedReport['images'], vulnerabilities: ReportedVulnerability[]): ParsedReport {
  const scannedAt = runDate(run);
  return { scanner, format: 'SARIF', images, ...(scannedAt === undefined ? {} : { scannedAt }), vulnerabilities };
}

function readTrivyRun(run: JsonObject): ParsedReport | { error: string } {
  const properties = objectAt(run, 'properties');
  const images = scannedImages([stringAt(properties, 'imageName'), ...stringsAt(properties, 'repoTags'), ...stringsAt(properties, 'repoDigests')]);
  if (images.length === 0) return { error: 'the Trivy SARIF run names no image (run properties imageName, repoTags: Trivy 0.35 and later write them)' };
  const rules = rulesOf(run);
  const vulnerabilities = uniqueVulnerabilities(
    arrayAt(run, 'results')
      .filter(isObject)
      .map((result) => {
        const ruleId = stringAt(result, 'ruleId');
        const rule = ruleId === undefined ? undefined : rules.get(ruleId);
        const fields = fieldsOf(textOf(result, 'message'));
        // Trivy tags each rule with its severity; the result's text says it too.
        const severity = stringsAt(objectAt(rule, 'properties'), 'tags').map(severityOf).find((found) => found !== undefined) ?? severityOf(fields.get('Severity'));
        return vulnerability({
          id: ruleId,
          severity,
          package: fields.get('Package'),
          installed: fields.get('Installed Version'),
          fixed: fields.get('Fixed Version'),
          title: textOf(rule, 'shortDescription'),
          url: stringAt(rule, 'helpUri') ?? linkOf(fields.get('Link')),
        });
      }),
  );
  return report('Trivy', run, images, vulnerabilities);
}

/** `<image>@<layer digest>:/<path>`: the image is what comes before the layer. */
const GRYPE_LOCATION = /^(.+)@[a-z0-9]+:[0-9a-f]{32,}:\//;
/** Grype's result text: `… was found in image <image> at: <path>`. */
const GRYPE_MESSAGE_IMAGE = /\bin image (\S+) at: /;

function readGrypeRun(run: JsonObject): ParsedReport | { error: string } {
  const results = arrayAt(run, 'results').filter(isObject);
  const imageNames = results.flatMap((result) =>
    arrayAt(result, 'locations')
      .filter(isObject)
      .flatMap((location) => arrayAt(location, 'logicalLocations').filter(isObject))
      .map((logical) => GRYPE_LOCATION.exec(stringAt(logical, 'fullyQualifiedName') ?? '')?.[1] ?? GRYPE_MESSAGE_IMAGE.exec(textOf(result, 'message') ?? '')?.[1]),
  );
  const images = scannedImages(new Set(imageNames));
  if (images.length === 0) {
    return { error: results.length === 0 ? 'the Grype SARIF run has no results, so it names no image (use Grype JSON, which names it)' : 'the Grype SARIF run names no image it scanned' };
  }
  const rules = rulesOf(run);
  const vulnerabilities = uniqueVulnerabilities(
    results.map((result) => {
      const rule = rules.get(stringAt(result, 'ruleId') ?? '');
      const help = fieldsOf(textOf(rule, 'help'));
      const severity: VulnerabilitySeverity | undefined = severityOf(help.get('Severity')) ?? severityOfScore(stringAt(objectAt(rule, 'properties'), 'security-severity'));
      return vulnerability({
        id: /^Vulnerability (\S+)/.exec(textOf(rule, 'help') ?? '')?.[1],
        severity,
        package: help.get('Package'),
        installed: help.get('Version'),
        fixed: help.get('Fix Version'),
        title: firstSentence(textOf(rule, 'fullDescription')),
        url: linkOf(help.get('Link')),
      });
    }),
  );
  return report('Grype', run, images, vulnerabilities);
}
