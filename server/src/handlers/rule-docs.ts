import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The bundled rule pages, next to the server bundle (`server/out/docs/`, written by the build
 * from `docs/rules/`), so a diagnostic's link opens offline in the installed extension.
 */
const DOCS_DIR = resolve(__dirname, 'docs');

const uris = new Map<string, string>();

/** `file:` URI of the rule's page. */
export function ruleDocumentationUri(ruleId: string): string {
  let uri = uris.get(ruleId);
  if (uri === undefined) {
    uri = pathToFileURL(join(DOCS_DIR, `${ruleId}.md`)).href;
    uris.set(ruleId, uri);
  }
  return uri;
}
