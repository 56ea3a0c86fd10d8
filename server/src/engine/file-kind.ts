import type { FileKind } from './types';

/**
 * RULES.md, Dockerfile "Files": `Dockerfile`, `Dockerfile.*`, `Dockerfile-*` (ingress-nginx's
 * `rootfs/Dockerfile-chroot`), `*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`
 * (and `*.Containerfile`); names compare without case, as on the file systems that ignore it.
 */
const DOCKERFILE_NAME = /^(?:Dockerfile(?:[.-].+)?|Containerfile(?:\..+)?)$|\.(?:Dockerfile|Containerfile)$/i;

/**
 * Extensions that make a `Dockerfile.*` or `Dockerfile-*` name another kind of file: BuildKit's
 * per-Dockerfile ignore file, docs, data and source code (`dockerfile-utils.js`, `Dockerfile.md`).
 */
const OTHER_FILE_EXTENSION = /\.(?:dockerignore|md|markdown|txt|rst|adoc|json|ya?ml|toml|ini|xml|html?|js|mjs|cjs|ts|tsx|py|go|rs|rb|java|kt|cs|c|h|cpp|sh|bash|ps1|bat|cmd|lock|log|patch|diff)$/i;
const YAML_NAME = /\.ya?ml$/i;
const JSON_NAME = /\.json$/i;
/** The Compose specification's file names (`compose.yaml`, `docker-compose.yml`) and their overrides (`compose.override.yaml`, `docker-compose.prod.yml`). */
const COMPOSE_NAME = /^(?:docker-)?compose(?:\.[^/\\]+)?\.ya?ml$/i;

export interface FileKindInfo {
  kind: FileKind;
  /** JSON manifests get diagnostics and annotation suppression, never fixes or comments. */
  isJson: boolean;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** A Compose file, by its name. */
export function isComposeFile(path: string): boolean {
  return COMPOSE_NAME.test(baseName(path));
}

/**
 * What a file is, from its name (or the editor's language id, which wins): a Kubernetes
 * candidate (YAML or JSON whose documents carry apiVersion and kind), a Compose file, a
 * Dockerfile, or neither. A YAML file named like a Compose file is one, whatever the editor
 * calls its language.
 */
export function detectFileKind(path: string, languageId?: string): FileKindInfo | undefined {
  if (languageId === 'dockerfile') return { kind: 'dockerfile', isJson: false };
  if (languageId === 'dockercompose' || ((languageId === undefined || languageId === 'yaml') && isComposeFile(path))) return { kind: 'compose', isJson: false };
  if (languageId === 'yaml' || languageId === 'helm') return { kind: 'kubernetes', isJson: false };
  if (languageId === 'json') return { kind: 'kubernetes', isJson: true };
  const name = baseName(path);
  if (DOCKERFILE_NAME.test(name) && !OTHER_FILE_EXTENSION.test(name)) return { kind: 'dockerfile', isJson: false };
  if (YAML_NAME.test(name)) return { kind: 'kubernetes', isJson: false };
  if (JSON_NAME.test(name)) return { kind: 'kubernetes', isJson: true };
  return undefined;
}

/** A chart template by location: a YAML file inside a `templates/` folder. */
export function isChartTemplatePath(path: string): boolean {
  return /(^|[\\/])templates[\\/]/.test(path);
}
