/**
 * Grype's JSON report of an image (`grype <image> -o json`): the image in `source.target`
 * (`userInput`, `tags`, `repoDigests`, `manifestDigest`), the date in `descriptor.timestamp`,
 * and one entry per match.
 */
import { arrayAt, firstSentence, isObject, objectAt, scannedImages, severityOf, stringAt, stringsAt, timestampOf, uniqueVulnerabilities, vulnerability, type JsonObject, type ReportReading } from './report';

/** A JSON document that says it is a Grype report (`matches` and a `descriptor` named grype). */
export function isGrypeJson(json: JsonObject): boolean {
  return Array.isArray(json.matches) && isObject(json.descriptor) && stringAt(json.descriptor, 'name')?.toLowerCase() === 'grype';
}

export function readGrypeJson(json: JsonObject): ReportReading {
  const source = objectAt(json, 'source');
  const sourceType = stringAt(source, 'type');
  if (sourceType !== 'image') {
    return { error: `the Grype report scanned ${sourceType !== undefined && /^[a-z-]{1,40}$/.test(sourceType) ? `a ${sourceType}` : 'something'}, not a container image (use \`grype <image>\`)` };
  }
  const target = objectAt(source, 'target');
  const userInput = stringAt(target, 'userInput');
  const manifestDigest = stringAt(target, 'manifestDigest');
  const repository = userInput?.replace(/[@:][^/]*$/, '');
  const images = scannedImages([
    userInput,
    ...stringsAt(target, 'tags'),
    ...stringsAt(target, 'repoDigests'),
    // The platform's own manifest: an image line may pin it rather than the index.
    ...(repository !== undefined && manifestDigest !== undefined ? [`${repository}@${manifestDigest}`] : []),
  ]);
  if (images.length === 0) return { error: 'the Grype report names no image (source.target.userInput, tags) it could be matched by' };
  const vulnerabilities = uniqueVulnerabilities(
    arrayAt(json, 'matches')
      .filter(isObject)
      .map((match) => {
        const found = objectAt(match, 'vulnerability');
        const artifact = objectAt(match, 'artifact');
        const fix = objectAt(found, 'fix');
        const fixVersions = stringAt(fix, 'state') === 'fixed' ? stringsAt(fix, 'versions') : [];
        const related = arrayAt(match, 'relatedVulnerabilities').filter(isObject);
        const description = stringAt(found, 'description') ?? related.map((entry) => stringAt(entry, 'description')).find((text) => text !== undefined);
        return vulnerability({
          id: stringAt(found, 'id'),
          severity: severityOf(stringAt(found, 'severity')),
          package: stringAt(artifact, 'name'),
          installed: stringAt(artifact, 'version'),
          fixed: fixVersions.length > 0 ? fixVersions.join(', ') : undefined,
          title: firstSentence(description),
          url: stringAt(found, 'dataSource') ?? stringsAt(found, 'urls')[0],
        });
      }),
  );
  const scannedAt = timestampOf(stringAt(objectAt(json, 'descriptor'), 'timestamp'));
  return { reports: [{ scanner: 'Grype', format: 'JSON', images, ...(scannedAt === undefined ? {} : { scannedAt }), vulnerabilities }] };
}
