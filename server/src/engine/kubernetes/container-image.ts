import type { Span } from '../types';
import { VALUE_MASK } from '../parse/helm-mask';
import { isImageReferenceError, parseImageReference, type ImageReference, type ImageReferenceError } from '../images/reference';
import { isNullValue, scalarString } from '../source/yaml-view';
import type { ContainerSite } from './walker';

/** A container's `image`, parsed, with where it is written. */
export interface ContainerImage {
  /** The value as written, for messages; a Helm action shows as its source. */
  readonly text: string;
  readonly span: Span;
  /**
   * False when a Helm action supplies the tag or digest (`app:{{ .Values.tag }}`): `parsed`
   * then describes the name alone, and rules about tags and digests stay silent.
   */
  readonly hasKnownTagAndDigest: boolean;
  readonly parsed: ImageReference | ImageReferenceError;
}

/**
 * Four rules read every container's image on each keystroke: it is parsed once per container.
 * The walker builds new sites for each analysis, so an entry never outlives its text.
 */
const imageByContainer = new WeakMap<ContainerSite, ContainerImage | null>();

/**
 * The container's image, or undefined when there is none to judge: no `image` (the API lets
 * workload templates leave it to tooling), an empty value, or a name that a Helm action produces.
 */
export function containerImage(container: ContainerSite): ContainerImage | undefined {
  const cached = imageByContainer.get(container);
  if (cached !== undefined) return cached ?? undefined;
  const image = readContainerImage(container);
  imageByContainer.set(container, image ?? null);
  return image;
}

/** An image the image rules judge: well-formed, named by a regular or init container. */
export interface JudgedImage extends ContainerImage {
  readonly parsed: ImageReference;
}

/**
 * The image that the image rules (tag, digest, registry, end of life) judge (RULES.md, "Images"):
 * ephemeral containers are left out, since a debugging session's image is chosen at run time, and
 * a reference that does not parse is invalid-image-reference's finding alone.
 */
export function judgedImage(container: ContainerSite): JudgedImage | undefined {
  if (container.kind === 'ephemeralContainer') return undefined;
  const image = containerImage(container);
  if (!image) return undefined;
  const { parsed } = image;
  return isImageReferenceError(parsed) ? undefined : { ...image, parsed };
}

function readContainerImage(container: ContainerSite): ContainerImage | undefined {
  const field = container.pod.resource.view.field(container.map, 'image');
  if (!field || isNullValue(field.value)) return undefined;
  const text = scalarString(field.value);
  if (text === undefined || text.length === 0) return undefined;
  const span = field.valueSpan;
  const maskAt = text.indexOf(VALUE_MASK);
  if (maskAt === -1) return { text, span, hasKnownTagAndDigest: true, parsed: parseImageReference(text) };
  const literal = text.slice(0, maskAt);
  const nameEnd = nameEndIn(literal);
  // A `/` after that point means the action is part of the registry or path (`reg:{{ .port }}/app`).
  if (nameEnd <= 0 || text.slice(nameEnd).includes('/')) return undefined;
  const shown = container.pod.resource.view.displayString(field.value) ?? text;
  return { text: shown, span, hasKnownTagAndDigest: false, parsed: parseImageReference(literal.slice(0, nameEnd)) };
}

/**
 * Where the name ends in the literal text before a Helm action: at the `@` of a digest, or at
 * the `:` of a tag (after the last `/`); -1 when the name itself is not complete.
 */
function nameEndIn(literal: string): number {
  const at = literal.indexOf('@');
  if (at !== -1) return at;
  const colon = literal.lastIndexOf(':');
  return colon > literal.lastIndexOf('/') ? colon : -1;
}
