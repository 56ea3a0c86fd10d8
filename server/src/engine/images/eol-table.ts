// The bundled end-of-life table (eol-table.json, RULES.md "End-of-life table"), read and checked
// once at load. It is bundled at build time (a JSON import): the engine reads no file at run time.
import tableJson from './eol-table.json';
import { parseImageReference, isImageReferenceError } from './reference';

/** One release line of a product, as the table lists it. */
export interface ReleaseLine {
  readonly product: ImageProduct;
  /** The release as tags write it by number: `16`, `3.8`, `22.04`. */
  readonly line: string;
  /** Other names tags use for it: codenames (`bookworm`, `gallium`), frozen major tags (`python:2`). */
  readonly aliases: readonly string[];
  /** The last day of free security support (`YYYY-MM-DD`); undefined while no end is announced. */
  readonly eol: string | undefined;
  /** When the row was last compared with its source. */
  readonly checked: string;
  readonly note: string | undefined;
  /** Position in the product's releases, oldest first. */
  readonly order: number;
}

/** An official image the table knows (node, python, debian, ...). */
export interface ImageProduct {
  readonly id: string;
  /** How messages name it: `Node.js`, `Debian`. */
  readonly name: string;
  /** The upstream's published schedule. */
  readonly source: string;
  /** What to move to when no newer release is supported (CentOS Linux, the openjdk image). */
  readonly replacement: string | undefined;
  /** What a person must know before upgrading (a database's data directory). */
  readonly upgradeNote: string | undefined;
  readonly releases: readonly ReleaseLine[];
  /** Finds the release in the product's own tags. */
  readonly tagPattern: RegExp;
  /** Finds the release in another image's variant (`alpine3.18`, `bookworm`); only for base images. */
  readonly basePattern: RegExp | undefined;
}

export interface EolTable {
  /** The newest review of the whole table (`YYYY-MM-DD`). */
  readonly reviewed: string;
  readonly products: readonly ImageProduct[];
}

// The table is data: it is checked like any other input, and a malformed row fails at load (and in the tests).

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function field<T>(object: JsonObject, key: string, guard: (value: unknown) => value is T, where: string): T {
  const value = object[key];
  if (!guard(value)) throw new Error(`eol-table.json: ${where}.${key} is missing or malformed`);
  return value;
}

function optional<T>(object: JsonObject, key: string, guard: (value: unknown) => value is T, where: string): T | undefined {
  return object[key] === undefined ? undefined : field(object, key, guard, where);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE.test(value);
const isDateOrNull = (value: unknown): value is string | null => value === null || isDate(value);
const isArray = (value: unknown): value is unknown[] => Array.isArray(value);

const PRODUCT_KEYS = new Set(['id', 'name', 'images', 'tag', 'baseTag', 'source', 'replacement', 'upgradeNote', 'about', 'releases']);
const RELEASE_KEYS = new Set(['line', 'aliases', 'eol', 'checked', 'note']);

function checkKeys(object: JsonObject, allowed: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(object).filter((key) => !allowed.has(key));
  if (unknown.length > 0) throw new Error(`eol-table.json: ${where} has unknown keys ${unknown.join(', ')}`);
}

function tablePattern(source: string, where: string): RegExp {
  const pattern = new RegExp(source);
  // The upgrade replaces the `release` group, found by the `line` group inside it.
  if (!source.startsWith('^') || !source.includes('(?<release>') || !source.includes('(?<line>')) {
    throw new Error(`eol-table.json: ${where} must be anchored and name the groups "release" and "line"`);
  }
  return pattern;
}

function readTable(raw: unknown): { table: EolTable; byName: ReadonlyMap<string, ImageProduct>; namedByBase: ReadonlySet<string>; mirrors: readonly string[] } {
  if (!isObject(raw)) throw new Error('eol-table.json: the table is not an object');
  const reviewed = field(raw, 'reviewed', isDate, 'table');
  const namespaces = field(raw, 'officialImageNamespaces', isStringArray, 'table');
  const mirrors = field(raw, 'officialImageMirrors', isStringArray, 'table');
  const officialNames = (image: string): string[] => {
    const names = [...namespaces.map((namespace) => `${namespace}/${image}`), ...mirrors.map((mirror) => `${mirror}/${image}`)];
    return names.map((name) => {
      const parsed = parseImageReference(name);
      if (isImageReferenceError(parsed)) throw new Error(`eol-table.json: image name "${name}" is invalid: ${parsed.error}`);
      return parsed.name;
    });
  };
  const products: ImageProduct[] = [];
  const byName = new Map<string, ImageProduct>();
  field(raw, 'products', isArray, 'table').forEach((entry, index) => {
    const where = `products[${index}]`;
    if (!isObject(entry)) throw new Error(`eol-table.json: ${where} is not an object`);
    const product = readProduct(entry, where);
    if (products.some((other) => other.id === product.id)) throw new Error(`eol-table.json: product "${product.id}" is listed twice`);
    products.push(product);
    // Every name of the image, normalised as the reference parser normalises references.
    for (const name of field(entry, 'images', isStringArray, where).flatMap(officialNames)) {
      if (byName.has(name)) throw new Error(`eol-table.json: image "${name}" belongs to two products`);
      byName.set(name, product);
    }
  });
  const namedByBase = new Set(field(raw, 'imagesNamedByBase', isStringArray, 'table').flatMap(officialNames));
  const mirrorPrefixes = mirrors.map((mirror) => {
    const parsed = parseImageReference(mirror);
    if (isImageReferenceError(parsed)) throw new Error(`eol-table.json: mirror "${mirror}" is invalid: ${parsed.error}`);
    return parsed.name;
  });
  return { table: { reviewed, products }, byName, namedByBase, mirrors: mirrorPrefixes };
}

function readProduct(entry: JsonObject, where: string): ImageProduct {
  checkKeys(entry, PRODUCT_KEYS, where);
  const baseTag = optional(entry, 'baseTag', isString, where);
  const releases: ReleaseLine[] = [];
  const product: ImageProduct = {
    id: field(entry, 'id', isString, where),
    name: field(entry, 'name', isString, where),
    source: field(entry, 'source', isString, where),
    replacement: optional(entry, 'replacement', isString, where),
    upgradeNote: optional(entry, 'upgradeNote', isString, where),
    releases,
    tagPattern: tablePattern(field(entry, 'tag', isString, where), `${where}.tag`),
    basePattern: baseTag === undefined ? undefined : tablePattern(baseTag, `${where}.baseTag`),
  };
  const keys = new Set<string>();
  field(entry, 'releases', isArray, where).forEach((row, order) => {
    const rowWhere = `${where}.releases[${order}]`;
    if (!isObject(row)) throw new Error(`eol-table.json: ${rowWhere} is not an object`);
    checkKeys(row, RELEASE_KEYS, rowWhere);
    const eol = field(row, 'eol', isDateOrNull, rowWhere);
    const release: ReleaseLine = {
      product,
      line: field(row, 'line', isString, rowWhere),
      aliases: optional(row, 'aliases', isStringArray, rowWhere) ?? [],
      eol: eol ?? undefined,
      checked: field(row, 'checked', isDate, rowWhere),
      note: optional(row, 'note', isString, rowWhere),
      order,
    };
    for (const key of [release.line, ...release.aliases]) {
      if (keys.has(key)) throw new Error(`eol-table.json: ${product.id} names "${key}" twice`);
      keys.add(key);
    }
    releases.push(release);
  });
  return product;
}

// Declared after the readers above: they must exist when the module runs this.
const loaded = readTable(tableJson);

export const EOL_TABLE: EolTable = loaded.table;

/**
 * The product an image name belongs to, by normalised name (`docker.io/library/node`): a Docker
 * official image by any of its names, its per-architecture namespaces (`arm64v8/node`) and its
 * public mirrors (`public.ecr.aws/docker/library/node`).
 */
export const PRODUCTS_BY_IMAGE_NAME: ReadonlyMap<string, ImageProduct> = loaded.byName;

/** Official images whose tags name only the distribution they are built on (`buildpack-deps:bookworm-scm`), by normalised name. */
export const IMAGES_NAMED_BY_BASE: ReadonlySet<string> = loaded.namedByBase;

/** Public mirrors of Docker's official images (`public.ecr.aws/docker/library`), normalised: the same images, digests included. */
export const OFFICIAL_IMAGE_MIRRORS: readonly string[] = loaded.mirrors;
