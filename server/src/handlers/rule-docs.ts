import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The bundled rule pages, found next to the server bundle (`server/out/server.js` →
 * `docs/rules/`), so a diagnostic's link opens offline in the installed extension.
 */
const DOCS_DIR = resolve(__dirname, '..', '..', 'docs', 'rules');

const uris = new Map<string, string>();

/** `file:` URI of `docs/rules/<id>.md`. */
export function ruleDocumentationUri(ruleId: string): string {
  let uri = uris.get(ruleId);
  if (uri === undefined) {
    uri = pathToFileURL(join(DOCS_DIR, `${ruleId}.md`)).href;
    uris.set(ruleId, uri);
  }
  return uri;
}
