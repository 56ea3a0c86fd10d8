/**
 * The messages of `config-error`, declared once: the settings reader reports a problem by message
 * id and data, and the config-error finding (rules/engine-findings.ts) words it from this table.
 */
export const CONFIG_ERROR_MESSAGES = {
  invalidYaml: 'Invalid YAML: {reason}',
  notAMapping: 'The configuration must be a mapping of settings (profile, rules, ...).',
  unknownSetting: 'Unknown setting "{key}".{hint}',
  unknownKey: 'Unknown key "{key}" in {subject}.{hint}',
  missingKeys: '{subject} needs {keys}.',
  unknownRuleId: 'Unknown rule id "{id}".{hint}',
  invalidValue: '{subject} must {expected}.',
} as const;

export type ConfigErrorMessageId = keyof typeof CONFIG_ERROR_MESSAGES;
