import { fileURLToPath, pathToFileURL } from 'node:url';

export const URI_FILE_PREFIX = 'file:';

/** The file system path of a `file:` URI. */
export function uriToPath(uri: string): string {
  let path = paths.get(uri);
  if (path === undefined) {
    path = fileURLToPath(uri);
    if (paths.size >= MAX_REMEMBERED_URIS) paths.clear();
    paths.set(uri, path);
  }
  return path;
}

/** Paths by URI: every keystroke and every re-published file asks again for the same few. */
const paths = new Map<string, string>();

/** The `file:` URI of a path, spelled as VS Code spells it (so both sides name a file alike). */
export function pathToUri(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) {
    uri = pathToFileURL(path).href;
    if (uris.size >= MAX_REMEMBERED_URIS) uris.clear();
    uris.set(path, uri);
  }
  return uri;
}

/** URIs by path: the same few (a Namespace, a Dockerfile) are named by hundreds of diagnostics. */
const uris = new Map<string, string>();
const MAX_REMEMBERED_URIS = 50_000;

/** The path the engine is given for a document: its file path, or the URI of a virtual one. */
export function enginePath(uri: string): string {
  return uri.startsWith(URI_FILE_PREFIX) ? uriToPath(uri) : uri;
}
