import { isImageReferenceError, parseImageReference, type ImageReference, type ImageReferenceError } from '../images/reference';
import type { DockerfileModel, DockerStage } from '../parse/dockerfile';
import type { Span } from '../types';

/** A stage's base image as the tag, pin and registry rules judge it. */
export interface BaseImage {
  stage: DockerStage;
  reference: ImageReference;
  /** The image argument as written. */
  at: Span;
  /** How messages name it: as written, with the ARG default it resolves to (`$BASE (ARG default "python")`). */
  label: string;
}

/** A base image that does not follow the reference grammar (`FROM Ubuntu:22.04`, `FROM nginx@sha256:abc`). */
export interface MalformedBaseImage {
  at: Span;
  label: string;
  reason: string;
}

/** What the tag and pin rules need: the tag and digest of a base image, wherever its name comes from. */
export interface BaseImageVersion {
  at: Span;
  label: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** A FROM image that names a registry image, parsed: well-formed or not. */
interface NamedBaseImage {
  stage: DockerStage;
  at: Span;
  label: string;
  parsed: ImageReference | ImageReferenceError;
}

/**
 * Base images that name a registry image: not `scratch`, not an earlier stage, and not an ARG
 * without a default (decided at build time). An ARG with a default is judged by that default.
 */
export function baseImages(dockerfile: DockerfileModel): BaseImage[] {
  return namedBaseImages(dockerfile).flatMap(({ stage, at, label, parsed }) => (isImageReferenceError(parsed) ? [] : [{ stage, reference: parsed, at, label }]));
}

/** Base images that `docker build` cannot pull because the reference is malformed. */
export function malformedBaseImages(dockerfile: DockerfileModel): MalformedBaseImage[] {
  return namedBaseImages(dockerfile).flatMap(({ at, label, parsed }) => (isImageReferenceError(parsed) ? [{ at, label, reason: parsed.error }] : []));
}

/**
 * The tag and digest of every base image `baseImages` judges, and of those whose ARGs without a
 * default only choose the registry or path (`FROM ${REGISTRY}/ubuntu`): whatever the ARG holds,
 * such an image has no tag, so the exemption for ARG references (RULES.md) does not cover it.
 */
export function baseImageVersions(dockerfile: DockerfileModel): BaseImageVersion[] {
  const versions: BaseImageVersion[] = [];
  const named = new Map(namedBaseImages(dockerfile).map((image) => [image.stage, image]));
  for (const stage of dockerfile.stages) {
    const image = named.get(stage);
    if (image) {
      if (!isImageReferenceError(image.parsed)) versions.push({ at: image.at, label: image.label, tag: image.parsed.tag, digest: image.parsed.digest });
      continue;
    }
    const written = stage.image;
    if (!written || written.resolved !== undefined) continue;
    // The last path component, tag and digest follow the last `/`; variables before it cannot reach them.
    const slash = written.written.lastIndexOf('/');
    const tail = written.written.slice(slash + 1);
    if (slash < 0 || tail.includes('$')) continue;
    const parsed = parseImageReference(tail);
    if (isImageReferenceError(parsed)) continue;
    versions.push({ at: written.span, label: written.written, tag: parsed.tag, digest: parsed.digest });
  }
  return versions;
}

/** By model: several base-image rules ask at each keystroke, and a model is never modified. */
const namedByModel = new WeakMap<DockerfileModel, readonly NamedBaseImage[]>();

function namedBaseImages(dockerfile: DockerfileModel): readonly NamedBaseImage[] {
  let images = namedByModel.get(dockerfile);
  if (!images) {
    images = readNamedBaseImages(dockerfile);
    namedByModel.set(dockerfile, images);
  }
  return images;
}

function readNamedBaseImages(dockerfile: DockerfileModel): NamedBaseImage[] {
  const images: NamedBaseImage[] = [];
  for (const stage of dockerfile.stages) {
    const image = stage.image;
    if (!image || image.resolved === undefined || stage.parent) continue;
    if (image.resolved.toLowerCase() === 'scratch') continue;
    const label = image.usesArgs ? `${image.written} (ARG default "${image.resolved}")` : image.written;
    images.push({ stage, at: image.span, label, parsed: parseImageReference(image.resolved) });
  }
  return images;
}
