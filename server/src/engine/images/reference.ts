// Container image references, parsed once for Kubernetes `image:` fields and Dockerfile `FROM`.
// Grammar: the distribution reference grammar
// (https://github.com/distribution/reference/blob/main/reference.go), with Docker's
// normalisation of familiar names (`nginx` is `docker.io/library/nginx`).

/** A well-formed image reference, normalised. */
export interface ImageReference {
  /** The reference as written. */
  readonly text: string;
  /** Registry host (lower-cased) with its port, if any; `docker.io` for bare names and Docker Hub aliases. */
  readonly registry: string;
  /** Repository path inside the registry; Docker Hub official images get `library/`. */
  readonly repository: string;
  readonly tag: string | undefined;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  readonly digest: string | undefined;
  /** `registry/repository`, the name that trust and image mapping compare. */
  readonly name: string;
  /** The short name Docker prints: `nginx`, `bitnami/redis`, `ghcr.io/acme/app`. */
  readonly familiarName: string;
}

/** Why a reference is malformed, in words a user can act on. */
export interface ImageReferenceError {
  readonly error: string;
}

const DOCKER_HUB = 'docker.io';

/** Hosts that serve Docker Hub; they name the same images as `docker.io`. */
const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** distribution/reference `NameTotalLengthMax`. */
const MAX_NAME_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST_PATTERN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT_PATTERN = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_PATTERN = /^\w[\w.-]{0,127}$/;
const DIGEST_PATTERN = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** go-digest's registered algorithms and the length of their lower-case hex encoding. */
const DIGEST_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

export function isImageReferenceError(parsed: ImageReference | ImageReferenceError): parsed is ImageReferenceError {
  return 'error' in parsed;
}

/**
 * The reference `text` names. Parsed references are kept by text (they are read-only): every
 * FROM line and `image:` of a document is read again by several rules at each keystroke.
 */
export function parseImageReference(text: string): ImageReference | ImageReferenceError {
  let parsed = parsedReferences.get(text);
  if (!parsed) {
    parsed = readImageReference(text);
    if (parsedReferences.size >= MAX_PARSED_REFERENCES) parsedReferences.clear();
    parsedReferences.set(text, parsed);
  }
  return parsed;
}

const parsedReferences = new Map<string, ImageReference | ImageReferenceError>();
const MAX_PARSED_REFERENCES = 10_000;

function readImageReference(text: string): ImageReference | ImageReferenceError {
  if (text.length === 0) return { error: 'the image reference is empty' };
  if (/\s/.test(text)) return { error: 'an image reference cannot contain whitespace' };

  const at = text.indexOf('@');
  const nameAndTag = at === -1 ? text : text.slice(0, at);
  let digest: string | undefined;
  if (at !== -1) {
    const digestText = text.slice(at + 1);
    const digestError = checkDigest(digestText);
    if (digestError !== undefined) return { error: digestError };
    digest = digestText;
  }

  // A tag follows the last `:` after the last `/`; an earlier `:` belongs to a registry port.
  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  let tag: string | undefined;
  if (hasTag) {
    tag = nameAndTag.slice(lastColon + 1);
    if (tag.length === 0) return { error: 'the tag after ":" is empty' };
    if (!TAG_PATTERN.test(tag)) {
      return { error: `tag "${tag}" is invalid: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"` };
    }
  }

  if (name.length === 0) return { error: 'the repository name is missing' };
  if (name.length > MAX_NAME_LENGTH) return { error: `the repository name is longer than ${MAX_NAME_LENGTH} characters` };

  const { host, path } = splitRegistry(name);
  if (host !== undefined && !HOST_PATTERN.test(host)) return { error: `registry host "${host}" is invalid` };
  const pathError = checkRepositoryPath(path);
  if (pathError !== undefined) return { error: pathError };

  const registry = normaliseHost(host ?? DOCKER_HUB);
  // Docker Hub official images live under `library/` (`nginx` is `docker.io/library/nginx`).
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  return {
    text,
    registry,
    repository,
    tag,
    digest,
    name: `${registry}/${repository}`,
    familiarName: familiarNameOf(registry, repository),
  };
}

/**
 * Whether `reference` comes from one of `trustedRegistries`. An entry is a registry host,
 * optionally followed by a path prefix (`ghcr.io/acme`); it matches on path boundaries, so
 * `ghcr.io/acme` trusts `ghcr.io/acme/app` but not `ghcr.io/acme-evil/app`. Hosts compare
 * case-insensitively and Docker Hub aliases are `docker.io`; an entry without a host
 * (`acme`) is a Docker Hub namespace, as a bare name would be.
 */
export function isTrustedRegistry(reference: ImageReference, trustedRegistries: readonly string[]): boolean {
  return trustedRegistries.some((entry) => {
    const prefix = normaliseTrustedEntry(entry);
    return prefix !== undefined && (reference.name === prefix || reference.name.startsWith(`${prefix}/`));
  });
}

function normaliseTrustedEntry(entry: string): string | undefined {
  const trimmed = entry.trim().replace(/\/+$/, '');
  if (trimmed.length === 0) return undefined;
  // Unlike in a reference, a lone first component can be a host here (`ghcr.io`, `localhost:5000`).
  const slash = trimmed.indexOf('/');
  const first = slash === -1 ? trimmed : trimmed.slice(0, slash);
  const isHost = /[.:]/.test(first) || first.toLowerCase() === 'localhost';
  const registry = normaliseHost(isHost ? first : DOCKER_HUB);
  // Repository paths are lower-case by the grammar, so a mixed-case entry can only mean the same path.
  const path = (isHost ? (slash === -1 ? '' : trimmed.slice(slash + 1)) : trimmed).toLowerCase();
  return path.length === 0 ? registry : `${registry}/${path}`;
}

/**
 * Docker's rule (distribution/reference `splitDockerDomain`): the first component is a
 * registry when there is a `/` after it and it contains `.` or `:`, is `localhost`, or has
 * upper-case letters (which a repository path cannot).
 */
function splitRegistry(name: string): { host: string | undefined; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { host: undefined, path: name };
  const first = name.slice(0, slash);
  const isHost = /[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase();
  return isHost ? { host: first, path: name.slice(slash + 1) } : { host: undefined, path: name };
}

function normaliseHost(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

function checkRepositoryPath(path: string): string | undefined {
  if (path.length === 0) return 'the repository name is missing';
  for (const component of path.split('/')) {
    if (component.length === 0) return `repository "${path}" has an empty path component`;
    if (PATH_COMPONENT_PATTERN.test(component)) continue;
    if (component.includes(':')) return `"${path}" has more than one ":"; a reference has at most one tag`;
    if (PATH_COMPONENT_PATTERN.test(component.toLowerCase())) return `repository "${path}" must be lower-case`;
    return `repository "${path}" is invalid: path components are lower-case letters and digits separated by ".", "_", "__" or "-"`;
  }
  return undefined;
}

function checkDigest(digest: string): string | undefined {
  if (digest.length === 0) return 'the digest after "@" is empty';
  if (!DIGEST_PATTERN.test(digest)) return `digest "${digest}" is invalid: expected algorithm:hex, e.g. sha256:<64 hex digits>`;
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  // The reference grammar accepts any algorithm; only the registered ones have a fixed length.
  const expectedLength = DIGEST_HEX_LENGTH.get(algorithm);
  if (expectedLength === undefined) return undefined;
  if (hex.length !== expectedLength || hex !== hex.toLowerCase()) {
    return `${algorithm} digest must be ${expectedLength} lower-case hex digits`;
  }
  return undefined;
}

function familiarNameOf(registry: string, repository: string): string {
  if (registry !== DOCKER_HUB) return `${registry}/${repository}`;
  const official = /^library\/([^/]+)$/.exec(repository);
  return official?.[1] ?? repository;
}
