import { isImageReferenceError, parseImageReference, type ImageReference } from '../images/reference';
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

/**
 * Base images that name a registry image: not `scratch`, not an earlier stage, and not an ARG
 * without a default (decided at build time). An ARG with a default is judged by that default.
 */
export function baseImages(dockerfile: DockerfileModel): BaseImage[] {
  const images: BaseImage[] = [];
  for (const stage of dockerfile.stages) {
    const image = stage.image;
    if (!image || image.resolved === undefined || stage.parent) continue;
    if (image.resolved.toLowerCase() === 'scratch') continue;
    const reference = parseImageReference(image.resolved);
    if (isImageReferenceError(reference)) continue;
    const label = image.usesArgs ? `${image.written} (ARG default "${image.resolved}")` : image.written;
    images.push({ stage, reference, at: image.span, label });
  }
  return images;
}
