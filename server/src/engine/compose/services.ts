/**
 * A Compose file's services as rules read them: each service's name and its `image`, parsed.
 * Facts, no judgement (like the Kubernetes walker).
 */
import type { YAMLMap } from 'yaml';
import type { Span } from '../types';
import { parseImageReference, type ImageReference, type ImageReferenceError } from '../images/reference';
import { isNullValue, scalarString, type YamlView } from '../source/yaml-view';

export interface ComposeImage {
  /** The value as written. */
  text: string;
  span: Span;
  parsed: ImageReference | ImageReferenceError;
}

export interface ComposeService {
  name: string;
  nameSpan: Span;
  /** Undefined without `image`, or when Compose interpolates it (`${REGISTRY}/app:${TAG}`): only the environment knows what it names. */
  image?: ComposeImage;
}

/** One parsed document of a Compose file; spans are offsets into its text. */
export interface ComposeFile {
  view: YamlView;
  text: string;
  services: ComposeService[];
}

/** The services of a Compose document (`services:` at the top level). */
export function readComposeServices(view: YamlView, root: YAMLMap): ComposeService[] {
  return view.fields(view.getMap(root, 'services')).map((service) => {
    const field = view.field(view.asMap(service.value), 'image');
    const text = field && !isNullValue(field.value) ? scalarString(field.value) : undefined;
    // Compose interpolates `$VAR` and `${VAR}`; `$$` is a literal dollar, which no image name holds either.
    const image = text === undefined || text.length === 0 || text.includes('$') || !field ? undefined : { text, span: field.valueSpan, parsed: parseImageReference(text) };
    return { name: service.key, nameSpan: service.keySpan, ...(image ? { image } : {}) };
  });
}
