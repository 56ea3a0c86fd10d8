/**
 * What the settings definition generates (`npm run docs` writes it, a test fails on drift): the
 * JSON schema of `.shipshape.yaml` and VS Code's settings contribution in package.json.
 */
import { SETTING_KEYS, SETTINGS, type SettingDefinition } from './definition';
import { fileSchemaDefinitions, isGroupType, type JsonSchema } from './value-types';

const SCHEMA_ID = 'https://github.com/shipshape-dev/shipshape/blob/main/schemas/shipshape.schema.json';

/** `schemas/shipshape.schema.json`: the settings a config file may hold, and the registry's rule ids. */
export function configFileSchema(ruleIds: Iterable<string>): JsonSchema {
  const properties = SETTING_KEYS.filter((key) => SETTINGS[key].file).map((key) => {
    const definition: SettingDefinition = SETTINGS[key];
    return [key, { description: definition.description, ...definition.type.schema('file'), default: definition.default }] as const;
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'Shipshape configuration (.shipshape.yaml)',
    description: 'Settings for the Shipshape security linter. A file is governed by the nearest .shipshape.yaml in its folder or above. Generated from the settings definition by `npm run docs`.',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(properties),
    definitions: fileSchemaDefinitions(ruleIds),
  };
}

export interface EditorContributions {
  /** `contributes.configuration.properties`. */
  properties: Record<string, JsonSchema>;
  /** `capabilities.untrustedWorkspaces.restrictedConfigurations`. */
  restricted: string[];
}

/** The `shipshape.*` settings VS Code shows, and those an untrusted workspace may not set. */
export function editorContributions(): EditorContributions {
  const properties: Record<string, JsonSchema> = {};
  const restricted: string[] = [];
  const contribute = (name: string, schema: JsonSchema, fallback: unknown, description: string, editor: { scope: string; restricted: boolean }): void => {
    // `order` keeps the Settings editor in definition order instead of alphabetical.
    properties[name] = { ...schema, default: fallback, scope: editor.scope, markdownDescription: description, order: Object.keys(properties).length + 1 };
    if (editor.restricted) restricted.push(name);
  };
  for (const key of SETTING_KEYS) {
    const definition: SettingDefinition = SETTINGS[key];
    const editor = definition.editor;
    if (editor === false) continue;
    if (!editor.perProperty) {
      contribute(`shipshape.${key}`, definition.type.schema('editor'), definition.default, editor.description ?? definition.description, editor);
      continue;
    }
    const { type } = definition;
    if (!isGroupType(type) || !isRecord(definition.default)) throw new Error(`shipshape.${key}: only a group can be offered one setting per key`);
    const groupDefault = definition.default;
    for (const [name, property] of Object.entries(type.properties)) {
      contribute(`shipshape.${key}.${name}`, property.type.schema('editor'), groupDefault[name], property.description ?? definition.description, editor);
    }
  }
  return { properties, restricted };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
