import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { DEFAULT_CONFIG, DEFAULT_EDITOR_SETTINGS, editorSettingsLayer, parseConfigText, readEditorSettings, resolveConfig, type ConfigLayer } from '../../server/src/engine/config';
import { parseByteSize } from '../../server/src/engine/settings/value-types';
import { effectiveSeverity } from '../../server/src/engine/run';
import { REGISTRY, RULE_IDS } from '../../server/src/engine';
import type { RuleMeta } from '../../server/src/engine/rules/define';
import { packageJsonWithSettings, schemaText } from '../../scripts/docs';

const ROOT = join(__dirname, '..', '..');
const SCHEMA_PATH = join(ROOT, 'schemas', 'shipshape.schema.json');
const RULE = 'privilege-escalation-allowed';
const KNOWN = new Set([RULE, 'host-network', 'image-not-pinned', 'liveness-probe-missing']);

/** Each problem as its message and the exact text its span covers. */
function problems(text: string, known: ReadonlySet<string> = KNOWN): { message: string; text: string }[] {
  return parseConfigText(text, known).problems.map((p) => ({ message: p.message, text: text.slice(p.span.start, p.span.end) }));
}

function layerOf(text: string): ConfigLayer {
  const parsed = parseConfigText(text, KNOWN);
  assert.deepEqual(parsed.problems, []);
  return parsed.layer;
}

const LIST_OF_STRINGS = (key: string): string => `"${key}" must be a list of strings.`;
const QUANTITY = (path: string): string => `"${path}" must be a Kubernetes quantity such as 500m or 512Mi.`;
const PROFILE = '"profile" must be one of baseline, restricted, recommended, strict.';
const NON_ROOT_ID = '"nonRootId" must be a whole number from 1 to 2147483647 (0 is root).';
const MAX_FILE_SIZE = '"maxFileSize" must be a size such as 5MB, 512KB or a number of bytes.';

const VR_LIST = '"vulnerabilityReports" must be a list of paths or globs relative to this file.';
const VR_ITEM = 'Each item of "vulnerabilityReports" must be a path or glob relative to this file (reports/*.json).';
const MIN_SEVERITY = '"vulnerabilities.minSeverity" must be one of UNKNOWN, NEGLIGIBLE, LOW, MEDIUM, HIGH, CRITICAL.';
const MAX_AGE = '"vulnerabilities.maxAgeDays" must be a whole number of days, 1 or more.';

describe('parseConfigText', () => {
  it('reads every key of the documented example', () => {
    const text = [
      'profile: recommended            # baseline | restricted | recommended | strict',
      'rules:',
      '  image-not-pinned: warning',
      '  liveness-probe-missing: off',
      'trustedRegistries: [registry.example.com, ghcr.io/acme]',
      'nonRootId: 10001',
      'defaults:',
      '  limits: {cpu: 500m, memory: 512Mi}',
      '  requests: {cpu: 100m, memory: 128Mi}',
      'exclude: ["charts/**/templates/tests/**", "vendor/**"]',
      'maxFileSize: 5MB',
      'ignore:',
      '  - {path: "charts/vendor/**", rules: [host-network], reason: "CNI plugin needs the host network"}',
      'images: {"registry.example.com/shop/cart": "services/cart/Dockerfile"}',
      'vulnerabilityReports: ["reports/*.trivy.json", "reports/grype-*.json"]   # relative to the config file',
      'vulnerabilities: {minSeverity: HIGH, maxAgeDays: 30}',
      '',
    ].join('\n');
    assert.deepEqual(layerOf(text), {
      profile: 'recommended',
      rules: { 'image-not-pinned': 'warning', 'liveness-probe-missing': 'off' },
      trustedRegistries: ['registry.example.com', 'ghcr.io/acme'],
      nonRootId: 10001,
      defaults: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      exclude: ['charts/**/templates/tests/**', 'vendor/**'],
      maxFileSize: 5 * 1024 * 1024,
      ignore: [{ path: 'charts/vendor/**', rules: ['host-network'], reason: 'CNI plugin needs the host network' }],
      images: { 'registry.example.com/shop/cart': 'services/cart/Dockerfile' },
      vulnerabilityReports: ['reports/*.trivy.json', 'reports/grype-*.json'],
      vulnerabilities: { minSeverity: 'HIGH', maxAgeDays: 30 },
    });
  });

  it('merges vulnerabilities settings with the defaults, layer by layer', () => {
    assert.deepEqual(resolveConfig({ vulnerabilities: { maxAgeDays: 7 } }).vulnerabilities, { minSeverity: 'HIGH', maxAgeDays: 7 });
    assert.deepEqual(resolveConfig({ vulnerabilities: { minSeverity: 'CRITICAL' } }, { vulnerabilities: { maxAgeDays: 3 } }).vulnerabilities, { minSeverity: 'CRITICAL', maxAgeDays: 3 });
  });

  it('accepts an empty file, or one with only comments', () => {
    assert.deepEqual(parseConfigText('', KNOWN), { layer: {}, problems: [] });
    assert.deepEqual(parseConfigText('# nothing yet\n', KNOWN), { layer: {}, problems: [] });
  });

  it('reads quantities with the Kubernetes grammar (n and u suffixes, a plus sign, a bare point)', () => {
    assert.deepEqual(layerOf('defaults:\n  limits: {cpu: 100n, memory: +1Gi}\n  requests: {cpu: 250u, memory: "1."}\n').defaults, {
      limits: { cpu: '100n', memory: '+1Gi' },
      requests: { cpu: '250u', memory: '1.' },
    });
  });

  it('accepts numbers where Kubernetes does, and optional parts', () => {
    assert.deepEqual(layerOf('defaults:\n  limits: {cpu: 1}\n  requests: {memory: 1.5Gi}\nmaxFileSize: 1048576\nignore:\n  - path: vendor/**\n    rules: []\n'), {
      defaults: { limits: { cpu: '1' }, requests: { memory: '1.5Gi' } },
      maxFileSize: 1048576,
      ignore: [{ path: 'vendor/**', rules: [] }],
    });
  });

  it('keeps what is valid when something else is wrong', () => {
    const parsed = parseConfigText('profile: strict\nprofiles: baseline\nrules:\n  nope: off\n  privilege-escalation-allowed: error\n', KNOWN);
    assert.deepEqual(parsed.layer, { profile: 'strict', rules: { [RULE]: 'error' } });
    assert.equal(parsed.problems.length, 2);
  });

  describe('reports each problem at the offending text', () => {
    const cases: [string, string, { message: string; text: string }[]][] = [
      ['invalid YAML', 'profile: [strict\n', [{ message: 'Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]', text: '' }]],
      ['a root that is not a mapping', '- profile\n', [{ message: 'The configuration must be a mapping of settings (profile, rules, ...).', text: '- profile\n' }]],
      ['an unknown setting', 'colour: blue\n', [{ message: 'Unknown setting "colour". Known settings: profile, rules, trustedRegistries, exclude, nonRootId, defaults, maxFileSize, ignore, images, vulnerabilityReports, vulnerabilities.', text: 'colour' }]],
      ['a misspelled setting', 'exclde: [vendor/**]\n', [{ message: 'Unknown setting "exclde". Did you mean "exclude"?', text: 'exclde' }]],
      ['a setting in the wrong case', 'profiles: strict\nnonrootid: 1000\n', [
        { message: 'Unknown setting "profiles". Did you mean "profile"?', text: 'profiles' },
        { message: 'Unknown setting "nonrootid". Did you mean "nonRootId"?', text: 'nonrootid' },
      ]],
      ['the editor-only allowInlineIgnores', 'allowInlineIgnores: false\n', [{ message: 'Unknown setting "allowInlineIgnores". It is an editor setting (shipshape.allowInlineIgnores), not a .shipshape.yaml key.', text: 'allowInlineIgnores' }]],
      ['an unknown profile', 'profile: strictest\n', [{ message: PROFILE, text: 'strictest' }]],
      ['a profile in the wrong case', 'profile: Strict\n', [{ message: PROFILE, text: 'Strict' }]],
      ['an empty profile', 'profile:\n', [{ message: PROFILE, text: 'profile' }]],
      ['rules that are not a mapping', 'rules: [a]\n', [{ message: '"rules" must map rule ids to off, info, warning or error.', text: '[a]' }]],
      ['empty rules', 'rules:\n', [{ message: '"rules" must map rule ids to off, info, warning or error.', text: 'rules' }]],
      ['an unknown rule id', 'rules:\n  nope: off\n', [{ message: 'Unknown rule id "nope". Run `shipshape rules` for the list.', text: 'nope' }]],
      ['a misspelled rule id', 'rules:\n  host-netwrok: off\n', [{ message: 'Unknown rule id "host-netwrok". Did you mean "host-network"?', text: 'host-netwrok' }]],
      ['an unknown rule setting', `rules:\n  ${RULE}: loud\n`, [{ message: `Rule "${RULE}" must be set to off, info, warning or error.`, text: 'loud' }]],
      ['an empty rule setting', `rules:\n  ${RULE}:\n`, [{ message: `Rule "${RULE}" must be set to off, info, warning or error.`, text: RULE }]],
      ['a rule set to a boolean', `rules:\n  ${RULE}: [off]\n`, [{ message: `Rule "${RULE}" must be set to off, info, warning or error.`, text: '[off]' }]],
      ['trustedRegistries that is not a list', 'trustedRegistries: ghcr.io\n', [{ message: LIST_OF_STRINGS('trustedRegistries'), text: 'ghcr.io' }]],
      ['trustedRegistries holding a number', 'trustedRegistries: [ghcr.io, 5]\n', [{ message: 'Each item of "trustedRegistries" must be a string.', text: '5' }]],
      ['exclude that is not a list', 'exclude: {a: b}\n', [{ message: LIST_OF_STRINGS('exclude'), text: '{a: b}' }]],
      ['exclude holding a mapping', 'exclude:\n  - vendor/**\n  - {a: b}\n', [{ message: 'Each item of "exclude" must be a string.', text: '{a: b}' }]],
      ['exclude holding an empty item', 'exclude:\n  - vendor/**\n  -\n', [{ message: 'Each item of "exclude" must be a string.', text: '- vendor/**\n  -' }]],
      ['nonRootId 0', 'nonRootId: 0\n', [{ message: NON_ROOT_ID, text: '0' }]],
      ['a negative nonRootId', 'nonRootId: -5\n', [{ message: NON_ROOT_ID, text: '-5' }]],
      ['a fractional nonRootId', 'nonRootId: 1.5\n', [{ message: NON_ROOT_ID, text: '1.5' }]],
      ['a quoted nonRootId', 'nonRootId: "10001"\n', [{ message: NON_ROOT_ID, text: '"10001"' }]],
      ['a nonRootId above int32', 'nonRootId: 2147483648\n', [{ message: NON_ROOT_ID, text: '2147483648' }]],
      ['an unknown size unit', 'maxFileSize: 5XB\n', [{ message: MAX_FILE_SIZE, text: '5XB' }]],
      ['a zero size', 'maxFileSize: 0\n', [{ message: MAX_FILE_SIZE, text: '0' }]],
      ['a boolean size', 'maxFileSize: true\n', [{ message: MAX_FILE_SIZE, text: 'true' }]],
      ['defaults that are not a mapping', 'defaults: 500m\n', [{ message: '"defaults" must hold "limits" and/or "requests".', text: '500m' }]],
      ['a misspelled defaults section', 'defaults:\n  limit: {cpu: 1}\n', [{ message: 'Unknown key "limit" in "defaults". Did you mean "limits"?', text: 'limit' }]],
      ['limits that are not a mapping', 'defaults:\n  limits: 1\n', [{ message: '"defaults.limits" must map cpu and/or memory to quantities.', text: '1' }]],
      ['empty requests', 'defaults:\n  requests:\n', [{ message: '"defaults.requests" must map cpu and/or memory to quantities.', text: 'requests' }]],
      ['an unknown resource', 'defaults:\n  limits: {gpu: 1}\n', [{ message: 'Unknown key "gpu" in "defaults.limits". Known keys: cpu, memory.', text: 'gpu' }]],
      ['a size unit that is not a quantity', 'defaults:\n  limits: {memory: 512MB}\n', [{ message: QUANTITY('defaults.limits.memory'), text: '512MB' }]],
      ['a negative quantity', 'defaults:\n  requests: {cpu: -1}\n', [{ message: QUANTITY('defaults.requests.cpu'), text: '-1' }]],
      ['a negative quantity written as a string', 'defaults:\n  requests: {cpu: "-100m"}\n', [{ message: QUANTITY('defaults.requests.cpu'), text: '"-100m"' }]],
      ['a boolean quantity', 'defaults:\n  requests: {cpu: true}\n', [{ message: QUANTITY('defaults.requests.cpu'), text: 'true' }]],
      ['ignore that is not a list', 'ignore: {path: a}\n', [{ message: '"ignore" must be a list of {path, rules, reason} entries.', text: '{path: a}' }]],
      ['an ignore entry that is not a mapping', 'ignore: [vendor/**]\n', [{ message: 'An "ignore" entry must be a mapping with path, rules and an optional reason.', text: 'vendor/**' }]],
      ['an ignore entry without rules', 'ignore:\n  - {path: x}\n', [{ message: 'An "ignore" entry needs "rules".', text: '{path: x}' }]],
      ['an ignore entry without path or rules', 'ignore:\n  - {reason: x}\n', [{ message: 'An "ignore" entry needs "path" and "rules".', text: '{reason: x}' }]],
      ['a misspelled key in an ignore entry', 'ignore:\n  - {path: x, rules: [], rule: [host-network]}\n', [{ message: 'Unknown key "rule" in an "ignore" entry. Did you mean "rules"?', text: 'rule' }]],
      ['an unknown key in an ignore entry', 'ignore:\n  - {path: x, rules: [], owner: me}\n', [{ message: 'Unknown key "owner" in an "ignore" entry. Known keys: path, rules, reason.', text: 'owner' }]],
      ['a misspelled rule id in an ignore entry', 'ignore:\n  - {path: x, rules: [host-network, hostnetwork]}\n', [{ message: 'Unknown rule id "hostnetwork". Did you mean "host-network"?', text: 'hostnetwork' }]],
      ['ignore rules that are not a list', 'ignore:\n  - {path: x, rules: host-network}\n', [{ message: '"rules" of an "ignore" entry must be a list of rule ids.', text: 'host-network' }]],
      ['an ignore path that is not a string', 'ignore:\n  - {path: [x], rules: []}\n', [{ message: '"path" of an "ignore" entry must be a glob (a string).', text: '[x]' }]],
      ['an ignore reason that is not a string', 'ignore:\n  - {path: x, rules: [], reason: 42}\n', [{ message: '"reason" of an "ignore" entry must be a string.', text: '42' }]],
      ['vulnerabilityReports that is not a list', 'vulnerabilityReports: reports/*.json\n', [{ message: VR_LIST, text: 'reports/*.json' }]],
      ['an absolute report path', 'vulnerabilityReports: [reports/a.json, /etc/passwd]\n', [{ message: VR_ITEM, text: '/etc/passwd' }]],
      ['a Windows drive report path', 'vulnerabilityReports: ["C:/reports/a.json"]\n', [{ message: VR_ITEM, text: '"C:/reports/a.json"' }]],
      ['a home-relative report path', 'vulnerabilityReports: [~/a.json]\n', [{ message: VR_ITEM, text: '~/a.json' }]],
      ['an empty report path', 'vulnerabilityReports: [""]\n', [{ message: VR_ITEM, text: '""' }]],
      ['a lower-case minSeverity', 'vulnerabilities: {minSeverity: high}\n', [{ message: MIN_SEVERITY, text: 'high' }]],
      ['a zero maxAgeDays', 'vulnerabilities: {maxAgeDays: 0}\n', [{ message: MAX_AGE, text: '0' }]],
      ['images that are not a mapping', 'images: [a]\n', [{ message: '"images" must map image names to Dockerfile paths.', text: '[a]' }]],
      ['an image without a Dockerfile path', 'images:\n  registry.example.com/app: {file: Dockerfile}\n', [{ message: 'Image "registry.example.com/app" must be a Dockerfile path (a string).', text: '{file: Dockerfile}' }]],
      ['a duplicated key', 'profile: strict\nprofile: baseline\n', [{ message: 'Invalid YAML: Map keys must be unique', text: 'profile' }]],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => assert.deepEqual(problems(text), expected));
    }
  });

  it('drops an ignore entry with a wrong part, so it never hides more than meant', () => {
    const parsed = parseConfigText('ignore:\n  - {path: x, rules: [host-network, typo]}\n  - {path: y, rules: [host-network]}\n', KNOWN);
    assert.deepEqual(parsed.layer.ignore, [{ path: 'y', rules: ['host-network'] }]);
  });
});

describe('resolveConfig', () => {
  it('starts from the defaults', () => {
    assert.deepEqual(resolveConfig(), DEFAULT_CONFIG);
    assert.equal(DEFAULT_CONFIG.profile, 'recommended');
    assert.equal(DEFAULT_CONFIG.nonRootId, 10001);
    assert.equal(DEFAULT_CONFIG.allowInlineIgnores, true);
  });

  it('lets later layers win: editor settings, then the config file, then CLI flags', () => {
    const editor: ConfigLayer = { profile: 'strict', rules: { [RULE]: 'info', 'host-network': 'off' }, exclude: ['a/**'], allowInlineIgnores: false };
    const file: ConfigLayer = { profile: 'baseline', rules: { [RULE]: 'error' }, defaults: { limits: { cpu: '1' } }, exclude: ['b/**'] };
    const cli: ConfigLayer = { profile: 'restricted' };
    const config = resolveConfig(editor, file, cli);
    assert.equal(config.profile, 'restricted');
    assert.deepEqual(config.rules, { [RULE]: 'error', 'host-network': 'off' }, 'rule overrides merge per rule');
    assert.deepEqual(config.exclude, ['b/**'], 'lists are replaced, not merged');
    assert.deepEqual(config.defaults, { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.equal(config.allowInlineIgnores, false);
  });

  it('ignores keys a layer leaves undefined', () => {
    const config = resolveConfig({ profile: 'strict' }, { profile: undefined, defaults: { limits: { cpu: undefined } } });
    assert.equal(config.profile, 'strict');
    assert.equal(config.defaults.limits.cpu, '500m');
  });
});

describe('readEditorSettings', () => {
  it('reads the settings section VS Code sends', () => {
    const section = {
      enable: false,
      profile: 'strict',
      rules: { [RULE]: 'error' },
      trustedRegistries: ['ghcr.io/acme'],
      nonRootId: 2000,
      defaults: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m', memory: '256Mi' } },
      exclude: ['vendor/**'],
      allowInlineIgnores: false,
      vulnerabilities: { minSeverity: 'CRITICAL', maxAgeDays: 7 },
      trace: { server: 'verbose' },
    };
    assert.deepEqual(readEditorSettings(section, KNOWN), section);
  });

  it('falls back to the default of each setting that is wrong, alone', () => {
    const settings = readEditorSettings(
      {
        enable: 'yes',
        profile: 'paranoid',
        rules: { [RULE]: 'error', 'no-such-rule': 'off', 'host-network': 'loud' },
        trustedRegistries: ['ghcr.io', 5],
        nonRootId: 0,
        defaults: { limits: { cpu: '', memory: '1Gi' }, requests: 'small' },
        exclude: 'vendor/**',
        vulnerabilities: { minSeverity: 'high', maxAgeDays: 14 },
        trace: { server: 'everything' },
      },
      KNOWN,
    );
    assert.deepEqual(settings, {
      ...DEFAULT_EDITOR_SETTINGS,
      rules: { [RULE]: 'error' },
      defaults: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
      vulnerabilities: { minSeverity: 'HIGH', maxAgeDays: 14 },
    });
  });

  it('gives every default when the client sends no section', () => {
    assert.deepEqual(readEditorSettings(null, KNOWN), DEFAULT_EDITOR_SETTINGS);
    assert.deepEqual(DEFAULT_EDITOR_SETTINGS, {
      enable: true,
      profile: DEFAULT_CONFIG.profile,
      rules: {},
      trustedRegistries: [],
      nonRootId: DEFAULT_CONFIG.nonRootId,
      defaults: DEFAULT_CONFIG.defaults,
      exclude: [],
      allowInlineIgnores: true,
      vulnerabilities: DEFAULT_CONFIG.vulnerabilities,
      trace: { server: 'off' },
    });
  });

  it('hands the engine only the settings it reads, below the config file', () => {
    const layer = editorSettingsLayer({ ...DEFAULT_EDITOR_SETTINGS, profile: 'strict', enable: false });
    assert.deepEqual(Object.keys(layer), ['profile', 'rules', 'trustedRegistries', 'exclude', 'allowInlineIgnores', 'nonRootId', 'defaults', 'vulnerabilities']);
    assert.equal(resolveConfig(layer, { profile: 'baseline' }).profile, 'baseline');
    // A config file's threshold wins key by key over the editor's.
    const editor = editorSettingsLayer({ ...DEFAULT_EDITOR_SETTINGS, vulnerabilities: { minSeverity: 'LOW', maxAgeDays: 3 } });
    assert.deepEqual(resolveConfig(editor, { vulnerabilities: { minSeverity: 'CRITICAL' } }).vulnerabilities, { minSeverity: 'CRITICAL', maxAgeDays: 3 });
  });
});

describe('effectiveSeverity', () => {
  const meta = (id: string): RuleMeta => {
    const definition = REGISTRY.get(id);
    assert.ok(definition, `${id} is registered`);
    return definition.meta;
  };
  const rule = meta(RULE); // restricted; warning, and error for an explicit true
  const engineFinding = meta('parse-error');
  const under = (layer: ConfigLayer) => resolveConfig(layer);

  it('turns rules on from their profile upwards', () => {
    assert.equal(effectiveSeverity(rule, under({ profile: 'baseline' }), 'warning'), undefined);
    for (const profile of ['restricted', 'recommended', 'strict'] as const) {
      assert.equal(effectiveSeverity(rule, under({ profile }), 'warning'), 'warning');
      assert.equal(effectiveSeverity(rule, under({ profile }), 'error'), 'error');
    }
  });

  it('an override turns the rule on whatever the profile and replaces both severities', () => {
    const config = under({ profile: 'baseline', rules: { [RULE]: 'info' } });
    assert.equal(effectiveSeverity(rule, config, 'warning'), 'info');
    assert.equal(effectiveSeverity(rule, config, 'error'), 'info');
    assert.equal(effectiveSeverity(rule, under({ profile: 'strict', rules: { [RULE]: 'error' } }), 'warning'), 'error');
  });

  it('a finding that belongs to a larger profile than its rule waits for that profile, unless overridden', () => {
    const procMount = meta('proc-mount-unmasked'); // baseline; in a user namespace, restricted
    assert.equal(effectiveSeverity(procMount, under({ profile: 'baseline' }), 'warning', 'restricted'), undefined);
    assert.equal(effectiveSeverity(procMount, under({ profile: 'baseline' }), 'error'), 'error');
    assert.equal(effectiveSeverity(procMount, under({ profile: 'restricted' }), 'warning', 'restricted'), 'warning');
    assert.equal(effectiveSeverity(procMount, under({ profile: 'baseline', rules: { 'proc-mount-unmasked': 'info' } }), 'warning', 'restricted'), 'info');
  });

  it('off turns the rule off in every profile', () => {
    assert.equal(effectiveSeverity(rule, under({ profile: 'strict', rules: { [RULE]: 'off' } }), 'error'), undefined);
  });

  it('engine findings are on in every profile and cannot be turned off', () => {
    assert.equal(effectiveSeverity(engineFinding, under({ profile: 'baseline' }), 'error'), 'error');
    assert.equal(effectiveSeverity(engineFinding, under({ rules: { 'parse-error': 'off' } }), 'error'), 'error');
  });
});

describe('parseByteSize', () => {
  const KIB = 1024;
  const valid: [string | number, number][] = [
    [5, 5],
    [1.9, 1],
    ['512', 512],
    ['512b', 512],
    ['1KB', KIB],
    ['1kib', KIB],
    ['5MB', 5 * KIB * KIB],
    ['5 MiB', 5 * KIB * KIB],
    ['1.5mb', 1.5 * KIB * KIB],
    ['2GB', 2 * KIB * KIB * KIB],
    [' 3gib ', 3 * KIB * KIB * KIB],
  ];
  for (const [input, bytes] of valid) it(`reads ${JSON.stringify(input)}`, () => assert.equal(parseByteSize(input), bytes));

  for (const input of [0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '', '0', '0MB', '-5MB', '5XB', '5M', 'MB', '1e3', '1,000']) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.equal(parseByteSize(input), undefined));
  }
});

describe('schemas/shipshape.schema.json', () => {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const schema: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
  assert.ok(isRecord(schema));
  const validate = new Ajv({ allErrors: true }).compile(schema);

  it('lists exactly the registry\'s rule ids (run `npm run docs` after adding a rule)', () => {
    const definitions = schema.definitions;
    const ruleId = isRecord(definitions) ? definitions.ruleId : undefined;
    assert.deepEqual(isRecord(ruleId) ? ruleId.enum : undefined, [...RULE_IDS]);
  });

  it('is generated from the settings definition (run `npm run docs` after changing a setting)', () => {
    assert.equal(readFileSync(SCHEMA_PATH, 'utf8'), schemaText());
  });

  it('has exactly the settings the parser knows', () => {
    const properties = isRecord(schema.properties) ? Object.keys(schema.properties) : [];
    assert.deepEqual(properties, ['profile', 'rules', 'trustedRegistries', 'exclude', 'nonRootId', 'defaults', 'maxFileSize', 'ignore', 'images', 'vulnerabilityReports', 'vulnerabilities']);
    assert.equal(schema.additionalProperties, false);
  });

  // The schema and parseConfigText must agree on what a valid file is.
  const texts = [
    'profile: strict\n',
    'profile: strictest\n',
    `rules: {${RULE}: warning, parse-error: off}\n`,
    `rules: {${RULE}: loud}\n`,
    'rules: {no-such-rule: off}\n',
    'trustedRegistries: [ghcr.io/acme, registry.example.com]\n',
    'trustedRegistries: [5]\n',
    'nonRootId: 10001\n',
    'nonRootId: 0\n',
    'nonRootId: 1.5\n',
    'defaults: {limits: {cpu: 500m, memory: 512Mi}, requests: {cpu: 0.1, memory: 1e9}}\n',
    'defaults: {limits: {cpu: 500MB}}\n',
    'defaults: {limits: {gpu: 1}}\n',
    'defaults: {limits: {cpu: 100n, memory: "+1Gi"}}\n',
    'defaults: {limits: {cpu: "-1"}}\n',
    'defaults: {limits: {cpu: -1}}\n',
    'defaults: {limit: {cpu: 1}}\n',
    'exclude: ["vendor/**"]\n',
    'exclude: vendor\n',
    'maxFileSize: 5MB\n',
    'maxFileSize: 1.5 mib\n',
    'maxFileSize: 1024\n',
    'maxFileSize: 0\n',
    'maxFileSize: 0MB\n',
    'maxFileSize: 5XB\n',
    `ignore: [{path: "charts/**", rules: [${RULE}], reason: CNI}]\n`,
    `ignore: [{path: "charts/**", rules: [${RULE}], reason: 42}]\n`,
    'ignore: [{path: "charts/**"}]\n',
    `ignore: [{path: "charts/**", rules: [${RULE}], why: x}]\n`,
    'images: {"registry.example.com/app": services/app/Dockerfile}\n',
    'images: {"registry.example.com/app": 5}\n',
    'vulnerabilityReports: [reports/*.trivy.json, "../scans/grype.json"]\n',
    'vulnerabilityReports: [/tmp/report.json]\n',
    'vulnerabilityReports: ["C:/reports/a.json"]\n',
    'vulnerabilityReports: [""]\n',
    'vulnerabilityReports: reports/a.json\n',
    'vulnerabilities: {minSeverity: MEDIUM, maxAgeDays: 14}\n',
    'vulnerabilities: {minSeverity: high}\n',
    'vulnerabilities: {maxAgeDays: 0}\n',
    'vulnerabilities: {stale: 3}\n',
    'allowInlineIgnores: false\n',
    'unknown: 1\n',
  ];
  for (const text of texts) {
    it(`agrees with the parser on ${JSON.stringify(text.trim())}`, () => {
      const parserAccepts = parseConfigText(text, RULE_IDS).problems.length === 0;
      assert.equal(validate(parse(text)), parserAccepts, JSON.stringify(validate.errors));
    });
  }
});

describe('package.json settings contribution', () => {
  it('is generated from the settings definition (run `npm run docs` after changing a setting)', () => {
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    assert.equal(manifest, packageJsonWithSettings(manifest));
  });
});
