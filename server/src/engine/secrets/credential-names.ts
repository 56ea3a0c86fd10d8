/**
 * The one heuristic that tells whether a variable holds a credential, shared by secret-in-env
 * (Kubernetes `env`) and dockerfile-secret-in-env (`ENV` / `ARG`).
 *
 * A name is split into words (`DB_PASSWORD`, `dbPassword`, `db-password` and `db.password` all give
 * `db password`). It looks like a credential when a word is a credential term (`password`,
 * `token`, ...) or a run of words forms one (`api key`, `private key`, ...), unless a qualifier word
 * follows the last credential term (`TOKEN_TTL_SECONDS`, `PASSWORD_MIN_LENGTH`, `SECRET_NAME`,
 * `DB_PASSWORD_FILE`) or a count or switch word precedes it (`MAX_TOKENS`,
 * `MYSQL_ALLOW_EMPTY_PASSWORD`): such a variable is about a credential, it does not hold one.
 */

/** Single words that name a credential; a word that ends with one of these counts too (`dbpassword`, `authtoken`). */
const CREDENTIAL_WORDS: readonly string[] = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'accesskey',
  'secretkey',
  'privatekey',
  'signingkey',
  'encryptionkey',
  'credential',
  'credentials',
];

/** Short words that name a credential only as a whole word (`DB_PASS`, `AWS_CREDS`; not `bypass`). */
const WHOLE_CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['pass', 'pw', 'creds']);

/** Abbreviations that name a credential only after another word: `DB_PWD`, but `PWD` is the shell's working directory. */
const QUALIFIED_CREDENTIAL_WORDS: ReadonlySet<string> = new Set(['pwd']);

/** Runs of words that name a credential: `API_KEY`, `AWS_SECRET_ACCESS_KEY`, `AZURE_STORAGE_ACCOUNT_KEY`. */
const CREDENTIAL_PHRASES: readonly (readonly string[])[] = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['secret', 'key'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['master', 'key'],
  ['account', 'key'],
  ['auth', 'key'],
  ['license', 'key'],
  ['jwt', 'key'],
  ['hmac', 'key'],
  ['ssh', 'key'],
  ['pass', 'phrase'],
  ['connection', 'string'],
];

/**
 * Words that, after the last credential term, make the variable describe the credential rather
 * than hold it: where it is (`_FILE`, `_PATH`, `_NAME`, `_URL`), how long it lives (`_TTL`,
 * `_EXPIRY`, `_SECONDS`), its constraints (`_MIN_LENGTH`) or a switch (`_ENABLED`).
 */
const QUALIFIER_WORDS: ReadonlySet<string> = new Set([
  'name', 'names', 'file', 'files', 'filename', 'path', 'paths', 'dir', 'directory', 'location', 'mount', 'ref',
  'url', 'uri', 'endpoint', 'host', 'port', 'server', 'issuer', 'audience', 'scope', 'scopes', 'realm',
  'ttl', 'expiry', 'expires', 'expiration', 'expire', 'timeout', 'lifetime', 'duration', 'interval', 'age', 'validity',
  'seconds', 'secs', 'sec', 'ms', 'millis', 'minutes', 'mins', 'hours', 'days',
  'length', 'len', 'min', 'max', 'size', 'count', 'limit', 'limits', 'policy', 'complexity', 'rotation',
  'iterations', 'rounds', 'attempts', 'retries', 'threshold', 'cache', 'method',
  'enabled', 'enable', 'disabled', 'disable', 'required', 'mode', 'type', 'kind', 'format', 'version',
  'algorithm', 'algo', 'alg', 'header', 'prefix', 'provider', 'backend', 'manager', 'store', 'namespace',
]);

/**
 * Words that, right before a credential term, make the variable a count or a switch about it
 * (`MAX_TOKENS`, `MYSQL_ALLOW_EMPTY_PASSWORD`).
 */
const DESCRIBING_PREFIXES: ReadonlySet<string> = new Set(['max', 'min', 'num', 'number', 'count', 'total', 'empty', 'random', 'require', 'allow']);

/** Kubernetes dependent variables, `$(VAR)`: the value comes from elsewhere in the pod. */
const VARIABLE_REFERENCE = /\$\([A-Za-z_][A-Za-z0-9_.-]*\)/g;

/** `scheme://user:password@host`: a URL that carries a password. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off']);

/** Lower-case words of a variable name: separators, camelCase humps and digit runs split it. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && !/^[0-9]+$/.test(word));
}

type NameVerdict = 'credential' | 'describes-credential' | 'unrelated';

function classifyName(name: string): NameVerdict {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = classifyWords(nameWords(name));
    if (verdicts.size >= MAX_REMEMBERED_NAMES) verdicts.clear();
    verdicts.set(name, verdict);
  }
  return verdict;
}

/**
 * Verdicts by name: the same few variable names (every ENV and env entry of a file) are judged
 * again at each keystroke, and splitting them into words is the costly part.
 */
const verdicts = new Map<string, NameVerdict>();
const MAX_REMEMBERED_NAMES = 10_000;

function classifyWords(words: readonly string[]): NameVerdict {
  let lastCredentialEnd = -1;
  let lastCredentialStart = -1;
  for (let index = 0; index < words.length; index++) {
    const length = credentialLengthAt(words, index);
    if (length > 0) {
      lastCredentialStart = index;
      lastCredentialEnd = index + length;
    }
  }
  if (lastCredentialEnd < 0) return 'unrelated';
  const before = words[lastCredentialStart - 1];
  if (before !== undefined && DESCRIBING_PREFIXES.has(before)) return 'describes-credential';
  const qualified = words.slice(lastCredentialEnd).some((word) => QUALIFIER_WORDS.has(word));
  return qualified ? 'describes-credential' : 'credential';
}

/** How many words from `index` form a credential term (0 when none). */
function credentialLengthAt(words: readonly string[], index: number): number {
  for (const phrase of CREDENTIAL_PHRASES) {
    if (phrase.every((part, offset) => words[index + offset] === part)) return phrase.length;
  }
  const word = words[index] ?? '';
  if (WHOLE_CREDENTIAL_WORDS.has(word)) return 1;
  if (index > 0 && QUALIFIED_CREDENTIAL_WORDS.has(word)) return 1;
  const singular = word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
  return CREDENTIAL_WORDS.some((term) => word.endsWith(term) || singular.endsWith(term)) ? 1 : 0;
}

/**
 * The name alone says the variable holds a credential: `DB_PASSWORD`, `githubToken`, `api-key`,
 * `AWS_SECRET_ACCESS_KEY`; not `TOKEN_TTL_SECONDS`, `SECRET_NAME`, `MAX_TOKENS`.
 */
export function looksLikeCredentialName(name: string): boolean {
  return classifyName(name) === 'credential';
}

/**
 * A variable `name` set to the literal `value` writes a credential in clear. Not credentials: an
 * empty value, a value made only of `$(VAR)` references (and separators), a boolean, a file path
 * (`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/key.json`). A name that describes a credential
 * (`VAULT_TOKEN_URL`) holds one only when its value is a URL with a password in it.
 */
export function isCredentialValue(name: string, value: string): boolean {
  const verdict = classifyName(name);
  if (verdict === 'unrelated') return false;
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (verdict === 'describes-credential') return URL_WITH_PASSWORD.test(trimmed);
  if (onlyReferencesVariables(trimmed)) return false;
  if (BOOLEAN_WORDS.has(trimmed.toLowerCase())) return false;
  return !isFilePath(trimmed);
}

function onlyReferencesVariables(value: string): boolean {
  const rest = value.replace(VARIABLE_REFERENCE, '');
  return rest !== value && !/[A-Za-z0-9]/.test(rest);
}

/**
 * A path without spaces: where a credential is, not the credential (RULES.md, secret-in-env).
 * Absolute (`/var/run/secrets/token`, `C:\\secrets\\token`), home or relative (`~/.ssh/id_rsa`,
 * `./secrets/pw`), or a `file:` URL.
 */
function isFilePath(value: string): boolean {
  return /^(?:\/|~\/|\.{1,2}\/|[A-Za-z]:[\\/]|file:\/\/)\S*$/.test(value);
}
