/**
 * The kinds of value a setting holds. Each kind knows, in one place, its JSON schema (for the
 * config file's schema and for the editor's settings contribution), how to read it from a
 * `.shipshape.yaml` or from the editor's settings (reporting what is wrong, at the exact text),
 * and how a layer's value goes on top of a lower one's. settings/definition.ts builds every
 * setting from these.
 */
import { isMap, isNode, isScalar, isSeq } from 'yaml';
import type { ReportData, Span } from '../types';
import { isNonNegativeQuantity, NON_NEGATIVE_QUANTITY_PATTERN } from '../kubernetes/quantity';
import { scalarString, spanOf } from '../source/yaml-view';
import type { ConfigErrorMessageId } from './messages';
import { closestName } from './did-you-mean';

/** A settings value as written: from YAML (with spans), or from the editor's JSON (without). */
export type SettingValue =
  | { kind: 'scalar'; value: string | number | boolean | null; span?: Span }
  | { kind: 'list'; items: Array<SettingValue | undefined>; span?: Span }
  | { kind: 'map'; entries: SettingEntry[]; span?: Span }
  /** An alias, a tag the reader does not know: never a valid setting. */
  | { kind: 'other'; span?: Span };

/** A key and its value; an empty value (`profile:`) is undefined. */
export interface SettingEntry {
  key: string | undefined;
  keySpan?: Span;
  value: SettingValue | undefined;
}

/** A parsed YAML node as a setting value; undefined for an empty value. */
export function valueOfYaml(node: unknown): SettingValue | undefined {
  if (!isNode(node)) return undefined;
  const span = spanOf(node);
  if (isScalar(node)) {
    const value: unknown = node.value;
    if (value === null && span.start === span.end) return undefined;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value, span };
    return { kind: 'other', span };
  }
  if (isSeq(node)) return { kind: 'list', items: node.items.map(valueOfYaml), span };
  if (isMap(node)) {
    const entries = node.items.map((pair): SettingEntry => {
      const key = isNode(pair.key) ? pair.key : undefined;
      return { key: scalarString(key), ...(key ? { keySpan: spanOf(key) } : {}), value: valueOfYaml(pair.value) };
    });
    return { kind: 'map', entries, span };
  }
  return { kind: 'other', span };
}

/** A JSON value (the editor's settings) as a setting value. */
export function valueOfJson(value: unknown): SettingValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(valueOfJson) };
  if (typeof value === 'object') return { kind: 'map', entries: Object.entries(value).map(([key, item]) => ({ key, value: valueOfJson(item) })) };
  return { kind: 'other' };
}

/** Where a value stands, for the messages about it. */
export interface Place {
  /** How messages name it: `"profile"`, `"defaults.limits.cpu"`, `Rule "host-pid"`, `An "ignore" entry`. */
  subject: string;
  /** Its dotted path, when it has one (`defaults.limits`); the values inside it extend it. */
  path?: string;
  /** Where a problem with an empty value points: its key, or the list that holds it. */
  fallback?: Span;
}

export interface ReadContext {
  knownRuleIds: ReadonlySet<string>;
  /** Records a problem (a config-error message) at a span; editor settings have no spans. */
  report(span: Span | undefined, messageId: ConfigErrorMessageId, data: ReportData): void;
}

export type JsonSchema = { [key: string]: unknown };

/** The config file's schema (`schemas/shipshape.schema.json`) or VS Code's settings contribution. */
export type SchemaTarget = 'file' | 'editor';

/**
 * A kind of setting value. `Full` is the resolved value the engine runs with; `Layer` what one
 * layer (the config file, the editor, a flag) sets, which may leave parts to the layers below.
 * Methods, not function properties, so a ValueType<string> is also a ValueType<unknown>.
 */
export interface ValueType<Full, Layer = Full> {
  /** Completes "<subject> must …" (`be a list of strings`). */
  readonly expected: string;
  schema(target: SchemaTarget): JsonSchema;
  /** The value, or undefined (with the problems reported) when it is not valid. */
  read(value: SettingValue | undefined, place: Place, context: ReadContext): Layer | undefined;
  /** A lower layer's value with this layer's on top. */
  merge(lower: Full, upper: Layer): Full;
}

export type AnyValueType = ValueType<unknown, unknown>;
export type FullOf<T> = T extends ValueType<infer Full, unknown> ? Full : never;
export type LayerOf<T> = T extends ValueType<unknown, infer Layer> ? Layer : never;

function invalid(value: SettingValue | undefined, place: Place, expected: string, context: ReadContext): undefined {
  context.report(value?.span ?? place.fallback, 'invalidValue', { subject: place.subject, expected });
  return undefined;
}

function replace<T>(_lower: T, upper: T): T {
  return upper;
}

type Scalar = string | number | boolean | null;

/** A value written as one scalar; `accept` narrows it (undefined: not valid). */
function scalarType<T>(expected: string, schema: (target: SchemaTarget) => JsonSchema, accept: (value: Scalar) => T | undefined): ValueType<T> {
  return {
    expected,
    schema,
    read(value, place, context) {
      const accepted = value?.kind === 'scalar' ? accept(value.value) : undefined;
      return accepted === undefined ? invalid(value, place, expected, context) : accepted;
    },
    merge: replace,
  };
}

export function boolean(): ValueType<boolean> {
  return scalarType('be true or false', () => ({ type: 'boolean' }), (value) => (typeof value === 'boolean' ? value : undefined));
}

/** A string of a small set; `expected` words it when "be one of a, b, c" reads badly. */
export function oneOf<const T extends string>(values: readonly T[], options: { expected?: string; descriptions?: readonly string[] } = {}): ValueType<T> {
  return scalarType(
    options.expected ?? `be one of ${values.join(', ')}`,
    (target) => ({ type: 'string', enum: values, ...(target === 'editor' && options.descriptions ? { enumDescriptions: options.descriptions } : {}) }),
    (value) => values.find((known) => known === value),
  );
}

export function integer(options: { minimum: number; maximum: number; expected: string }): ValueType<number> {
  return scalarType(
    options.expected,
    () => ({ type: 'integer', minimum: options.minimum, maximum: options.maximum }),
    (value) => (typeof value === 'number' && Number.isInteger(value) && value >= options.minimum && value <= options.maximum ? value : undefined),
  );
}

/** Any string (a glob, a path, a reason); numbers and booleans are not strings here. */
export function text(expected = 'be a string'): ValueType<string> {
  return scalarType(expected, () => ({ type: 'string' }), (value) => (typeof value === 'string' ? value : undefined));
}

/**
 * A path or glob relative to the config file: never absolute (`/…`, `\\…`, `C:…`, `~…`), so a
 * hostile repository cannot point the editor at other files (the host also checks where `..` leads).
 */
export function relativePath(expected: string): ValueType<string> {
  return scalarType(
    expected,
    () => ({ type: 'string', minLength: 1, pattern: '^(?![/\\\\~])(?![a-zA-Z]:)' }),
    (value) => (typeof value === 'string' && value.length > 0 && !/^(?:[/\\~]|[a-zA-Z]:)/.test(value) ? value : undefined),
  );
}

/** A request or limit, such as 500m or 512Mi; numbers count (`cpu: 1`), as the API reads them. */
export function quantity(): ValueType<string> {
  return scalarType(
    'be a Kubernetes quantity such as 500m or 512Mi',
    (target) =>
      target === 'editor'
        ? { type: 'string', pattern: NON_NEGATIVE_QUANTITY_PATTERN, patternErrorMessage: 'A Kubernetes quantity such as 500m or 512Mi.' }
        : { $ref: '#/definitions/quantity' },
    (value) => (value !== null && typeof value !== 'boolean' && isNonNegativeQuantity(String(value)) ? String(value) : undefined),
  );
}

/** What the config file schema's `$ref`s point at (`quantity`, `ruleId`). */
export function fileSchemaDefinitions(ruleIds: Iterable<string>): JsonSchema {
  return {
    quantity: {
      description: 'A Kubernetes quantity such as 500m or 512Mi.',
      oneOf: [{ type: 'string', pattern: NON_NEGATIVE_QUANTITY_PATTERN }, { type: 'number', minimum: 0 }],
    },
    ruleId: { description: 'A Shipshape rule id (`shipshape rules` lists them).', enum: [...ruleIds] },
  };
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** `kib` → `[kK][iI][bB]`: JSON schema patterns take no case-insensitive flag. */
function caseless(unit: string): string {
  return [...unit].map((letter) => `[${letter}${letter.toUpperCase()}]`).join('');
}

const BYTE_SIZE_SOURCE = String.raw`^\s*(\d+(?:\.\d+)?)\s*(${Object.keys(SIZE_UNITS).map(caseless).join('|')})?\s*$`;
const BYTE_SIZE = new RegExp(BYTE_SIZE_SOURCE);

/** `5MB`, `512KiB`, `1.5mb` or a plain number of bytes; sizes use 1024-based units. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && Math.floor(value) > 0 ? Math.floor(value) : undefined;
  const match = BYTE_SIZE.exec(value);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * (SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

export function byteSize(): ValueType<number> {
  return scalarType(
    'be a size such as 5MB, 512KB or a number of bytes',
    // The look-ahead asks for a digit other than 0: a size of nothing skips every file.
    () => ({ oneOf: [{ type: 'number', minimum: 1 }, { type: 'string', pattern: `^(?=[^1-9]*[1-9])${BYTE_SIZE_SOURCE.slice(1)}` }] }),
    (value) => (typeof value === 'number' || typeof value === 'string' ? parseByteSize(value) : undefined),
  );
}

/** A rule id of the registry; the config file's schema lists them (`definitions.ruleId`). */
export function ruleId(): ValueType<string> {
  const expected = 'be a rule id';
  return {
    expected,
    schema: (target) => (target === 'file' ? { $ref: '#/definitions/ruleId' } : { type: 'string' }),
    read(value, place, context) {
      if (value?.kind !== 'scalar' || value.value === null) return invalid(value, place, expected, context);
      const id = String(value.value);
      if (context.knownRuleIds.has(id)) return id;
      const suggestion = closestName(id, context.knownRuleIds);
      context.report(value.span, 'unknownRuleId', { id, hint: suggestion ? ` Did you mean "${suggestion}"?` : ' Run `shipshape rules` for the list.' });
      return undefined;
    },
    merge: replace,
  };
}

/**
 * A list. `whole`: one wrong item makes the whole list invalid (a list of registries half read
 * would change what it means); `each`: a wrong item is left out and the others kept.
 */
export function listOf<T>(
  item: ValueType<T>,
  options: { expected: string; itemSubject?: string; invalidItem: 'whole' | 'each' },
): ValueType<T[]> {
  return {
    expected: options.expected,
    schema: (target) => ({ type: 'array', items: item.schema(target) }),
    read(value, place, context) {
      if (value?.kind !== 'list') return invalid(value, place, options.expected, context);
      const itemPlace: Place = { subject: options.itemSubject ?? `Each item of ${place.subject}`, ...(value.span ? { fallback: value.span } : {}) };
      const items: T[] = [];
      let valid = true;
      for (const written of value.items) {
        const read = item.read(written, itemPlace, context);
        if (read === undefined) valid = false;
        else items.push(read);
      }
      return valid || options.invalidItem === 'each' ? items : undefined;
    },
    merge: replace,
  };
}

/**
 * A mapping from keys of one kind to values of another (rule ids to severities, images to
 * Dockerfiles). A wrong entry is left out, the others kept. `mergeByKey`: a layer overrides the
 * keys it names and keeps the others (`rules`); otherwise it replaces the whole mapping.
 */
export function mapOf<V>(
  key: ValueType<string>,
  value: ValueType<V>,
  options: { expected: string; valueSubject: (key: string) => string; mergeByKey: boolean },
): ValueType<Record<string, V>> {
  return {
    expected: options.expected,
    schema(target) {
      const keys = key.schema(target);
      return { type: 'object', ...(keys.type === 'string' ? {} : { propertyNames: keys }), additionalProperties: value.schema(target) };
    },
    read(written, place, context) {
      if (written?.kind !== 'map') return invalid(written, place, options.expected, context);
      const result: Record<string, V> = {};
      for (const entry of written.entries) {
        const keyValue: SettingValue | undefined = entry.key === undefined ? undefined : { kind: 'scalar', value: entry.key, ...(entry.keySpan ? { span: entry.keySpan } : {}) };
        const name = key.read(keyValue, { subject: `A key of ${place.subject}`, ...(written.span ? { fallback: written.span } : {}) }, context);
        if (name === undefined) continue;
        const read = value.read(entry.value, { subject: options.valueSubject(name), ...(entry.keySpan ? { fallback: entry.keySpan } : {}) }, context);
        if (read !== undefined) result[name] = read;
      }
      return result;
    },
    merge: (lower, upper) => (options.mergeByKey ? { ...lower, ...upper } : upper),
  };
}

export interface Property<T extends AnyValueType = AnyValueType> {
  type: T;
  description?: string;
}

/** Reads a mapping with fixed keys, reporting unknown ones; each key's value is read by `read`. */
function readFields(
  written: SettingEntry[],
  properties: Readonly<Record<string, Property>>,
  place: Place,
  context: ReadContext,
  read: (key: string, value: unknown) => void,
): boolean {
  let valid = true;
  const known = Object.keys(properties);
  for (const entry of written) {
    const property = entry.key === undefined ? undefined : properties[entry.key];
    if (entry.key === undefined || !property) {
      const suggestion = entry.key === undefined ? undefined : closestName(entry.key, known);
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : ` Known keys: ${known.join(', ')}.`;
      context.report(entry.keySpan ?? place.fallback, 'unknownKey', { key: entry.key ?? '', subject: lowerFirst(place.subject), hint });
      valid = false;
      continue;
    }
    const childPlace: Place = place.path
      ? { subject: `"${place.path}.${entry.key}"`, path: `${place.path}.${entry.key}` }
      : { subject: `"${entry.key}" of ${lowerFirst(place.subject)}` };
    const value = property.type.read(entry.value, { ...childPlace, ...(entry.keySpan ? { fallback: entry.keySpan } : {}) }, context);
    if (value === undefined) valid = false;
    else read(entry.key, value);
  }
  return valid;
}

function lowerFirst(subject: string): string {
  return subject.charAt(0).toLowerCase() + subject.slice(1);
}

function propertiesSchema(properties: Readonly<Record<string, Property>>, target: SchemaTarget): JsonSchema {
  return Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [key, { ...(property.description ? { description: property.description } : {}), ...property.type.schema(target) }]),
  );
}

type GroupFull<P extends Record<string, Property>> = { [K in keyof P]: FullOf<P[K]['type']> };
type GroupLayer<P extends Record<string, Property>> = { [K in keyof P]?: LayerOf<P[K]['type']> };

/** A group keeps its properties, so the editor can offer each as a setting of its own. */
export interface GroupType<P extends Record<string, Property>> extends ValueType<GroupFull<P>, GroupLayer<P>> {
  readonly properties: P;
}

/**
 * Settings under one key (`defaults: {limits, requests}`): a layer may set any of them, and the
 * ones it leaves out come from the layers below. A wrong one is left out, the others kept.
 */
export function group<P extends Record<string, Property>>(properties: P, options: { expected: string }): GroupType<P> {
  return {
    properties,
    expected: options.expected,
    schema: (target) => ({ type: 'object', additionalProperties: false, properties: propertiesSchema(properties, target) }),
    read(written, place, context) {
      if (written?.kind !== 'map') return invalid(written, place, options.expected, context);
      const layer: Record<string, unknown> = {};
      readFields(written.entries, properties, place, context, (key, value) => {
        layer[key] = value;
      });
      // Every key was read by the type its property declares.
      return layer as GroupLayer<P>;
    },
    merge(lower, upper) {
      const below: Record<string, unknown> = lower;
      const above: Record<string, unknown> = upper;
      const merged = { ...below };
      for (const [key, property] of Object.entries(properties)) {
        const value = above[key];
        if (value !== undefined) merged[key] = property.type.merge(below[key], value);
      }
      // Each key was merged by the type its property declares.
      return merged as GroupFull<P>;
    },
  };
}

export interface EntryProperty<T extends AnyValueType = AnyValueType> extends Property<T> {
  optional?: boolean;
}

export function isGroupType(type: AnyValueType): type is GroupType<Record<string, Property>> {
  return 'properties' in type;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type EntryValue<P extends Record<string, EntryProperty>> = Simplify<
  { [K in keyof P as P[K]['optional'] extends true ? never : K]: FullOf<P[K]['type']> } & {
    [K in keyof P as P[K]['optional'] extends true ? K : never]?: FullOf<P[K]['type']>;
  }
>;

/**
 * One entry of a list (`ignore: [{path, rules, reason}]`), read whole: an entry with a wrong or
 * missing part is left out entirely, since half of it could mean more than its author meant.
 */
export function entry<P extends Record<string, EntryProperty>>(properties: P, options: { expected: string }): ValueType<EntryValue<P>> {
  const required = Object.entries(properties).filter(([, property]) => property.optional !== true).map(([key]) => key);
  return {
    expected: options.expected,
    schema: (target) => ({ type: 'object', additionalProperties: false, required, properties: propertiesSchema(properties, target) }),
    read(written, place, context) {
      if (written?.kind !== 'map') return invalid(written, place, options.expected, context);
      const value: Record<string, unknown> = {};
      const valid = readFields(written.entries, properties, place, context, (key, read) => {
        value[key] = read;
      });
      const present = new Set(written.entries.map((field) => field.key));
      const missing = required.filter((key) => !present.has(key));
      if (missing.length > 0) {
        context.report(written.span ?? place.fallback, 'missingKeys', { subject: place.subject, keys: missing.map((key) => `"${key}"`).join(' and ') });
        return undefined;
      }
      // Every key was read by the type its property declares, and the required ones are there.
      return valid ? (value as EntryValue<P>) : undefined;
    },
    merge: replace,
  };
}
