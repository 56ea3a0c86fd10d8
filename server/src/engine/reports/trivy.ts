/**
 * Trivy's JSON report of an image (`trivy image --format json`, schema version 2): the image in
 * `ArtifactName` and `Metadata.RepoTags`/`RepoDigests`, the date in `CreatedAt`, and the
 * vulnerabilities of every result (OS packages and language packages alike).
 */
import { arrayAt, isObject, objectAt, scannedImages, severityOf, stringAt, stringsAt, timestampOf, uniqueVulnerabilities, vulnerability, type JsonObject, type ReportReading } from './report';

/** A JSON document that says it is a Trivy report (it has `SchemaVersion` and `ArtifactName` or `Results`). */
export function isTrivyJson(json: JsonObject): boolean {
  return 'SchemaVersion' in json && ('ArtifactName' in json || 'Results' in json);
}

export function readTrivyJson(json: JsonObject): ReportReading {
  if (json.SchemaVersion !== 2) {
    const version = typeof json.SchemaVersion === 'number' ? String(json.SchemaVersion) : 'unknown';
    return { error: `Trivy JSON schema version ${version} is not supported (version 2 is: Trivy 0.20 and later)` };
  }
  const artifactType = stringAt(json, 'ArtifactType');
  if (artifactType !== undefined && artifactType !== 'container_image') {
    return { error: `the Trivy report scanned ${/^[a-z_]{1,40}$/.test(artifactType) ? `a ${artifactType.replace(/_/g, ' ')}` : 'something'}, not a container image (use \`trivy image\`)` };
  }
  const metadata = objectAt(json, 'Metadata');
  const images = scannedImages([stringAt(json, 'ArtifactName'), ...stringsAt(metadata, 'RepoTags'), ...stringsAt(metadata, 'RepoDigests')]);
  if (images.length === 0) return { error: 'the Trivy report names no image (ArtifactName, Metadata.RepoTags) it could be matched by' };
  const vulnerabilities = uniqueVulnerabilities(
    arrayAt(json, 'Results')
      .filter(isObject)
      .flatMap((result) => arrayAt(result, 'Vulnerabilities'))
      .filter(isObject)
      .map((found) =>
        vulnerability({
          id: stringAt(found, 'VulnerabilityID'),
          severity: severityOf(stringAt(found, 'Severity')),
          package: stringAt(found, 'PkgName'),
          installed: stringAt(found, 'InstalledVersion'),
          fixed: stringAt(found, 'FixedVersion'),
          title: stringAt(found, 'Title'),
          url: stringAt(found, 'PrimaryURL'),
        }),
      ),
  );
  const scannedAt = timestampOf(stringAt(json, 'CreatedAt'));
  return { reports: [{ scanner: 'Trivy', format: 'JSON', images, ...(scannedAt === undefined ? {} : { scannedAt }), vulnerabilities }] };
}
