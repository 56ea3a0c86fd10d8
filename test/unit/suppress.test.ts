import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, resolveConfig, type ConfigLayer } from '../../server/src/engine';
import { parseIgnoreArguments } from '../../server/src/engine/suppression/comments';
import { TEST_TODAY } from '../harness/rule-tester';

const RULE = 'privilege-escalation-allowed';

interface Options {
  path?: string;
  config?: ConfigLayer;
  today?: Date;
  configRelativePath?: string;
}

/** What a test needs to see of each finding of RULE: 1-based line, how it is suppressed, and the message. */
interface Seen {
  line: number;
  suppressedBy?: string;
  justification?: string;
  message: string;
}

function seen(text: string, options: Options = {}): Seen[] {
  const result = analyze({
    path: options.path ?? 'pod.yaml',
    text,
    config: resolveConfig({ profile: 'strict' }, options.config ?? {}),
    today: options.today ?? TEST_TODAY,
    configRelativePath: options.configRelativePath ?? options.path ?? 'pod.yaml',
    configSource: 'repo/.shipshape.yaml',
  });
  assert.deepEqual(result.failures, []);
  return result.findings
    .filter((finding) => finding.ruleId === RULE)
    .map((finding) => ({
      line: finding.range.start.line + 1,
      ...(finding.suppression ? { suppressedBy: finding.suppression.kind } : {}),
      ...(finding.suppression?.justification ? { justification: finding.suppression.justification } : {}),
      message: finding.message,
    }));
}

const UNSET = 'Container "web" does not set allowPrivilegeEscalation: false; setuid binaries can gain privileges.';

/** A Pod whose one container `web` (line 7) lacks allowPrivilegeEscalation. */
function pod(options: { name?: string; annotations?: string[]; nameLine?: string } = {}): string {
  const annotations = options.annotations?.length ? ['  annotations:', ...options.annotations.map((a) => `    ${a}`)] : [];
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${options.name ?? 'app'}`,
    ...annotations,
    'spec:',
    '  containers:',
    options.nameLine ?? '    - name: web',
    '      image: registry.example.com/web:1.0',
    '',
  ].join('\n');
}

/** A Deployment whose pod template carries `annotations` (the container is on line 12 without them). */
function deployment(templateAnnotations: string[]): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: app',
    'spec:',
    '  template:',
    '    metadata:',
    '      annotations:',
    ...templateAnnotations.map((a) => `        ${a}`),
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: registry.example.com/web:1.0',
    '',
  ].join('\n');
}

describe('suppression comments', () => {
  it('reports the finding when nothing suppresses it', () => {
    assert.deepEqual(seen(pod()), [{ line: 7, message: UNSET }]);
  });

  it('a comment on the line above suppresses that line', () => {
    const text = pod({ nameLine: `    # shipshape-ignore ${RULE}\n    - name: web` });
    assert.deepEqual(seen(text), [{ line: 8, suppressedBy: 'comment', message: UNSET }]);
  });

  it('a comment that names no rule suppresses nothing', () => {
    assert.deepEqual(seen(pod({ nameLine: '    # shipshape-ignore -- looks fine to me\n    - name: web' })), [{ line: 8, message: UNSET }]);
    assert.deepEqual(seen(`# shipshape-ignore-file\n${pod()}`), [{ line: 8, message: UNSET }]);
  });

  it('blank lines and other comments between the comment and the line are skipped', () => {
    const text = pod({ nameLine: `    # shipshape-ignore ${RULE}\n\n    # the web server\n    - name: web` });
    assert.deepEqual(seen(text), [{ line: 10, suppressedBy: 'comment', message: UNSET }]);
  });

  it('a trailing comment suppresses its own line, and only that line', () => {
    assert.deepEqual(seen(pod({ nameLine: `    - name: web # shipshape-ignore ${RULE}` })), [{ line: 7, suppressedBy: 'comment', message: UNSET }]);
    const onImageLine = pod().replace('web:1.0', `web:1.0 # shipshape-ignore ${RULE}`);
    assert.deepEqual(seen(onImageLine), [{ line: 7, message: UNSET }]);
  });

  it('takes ids separated by commas or spaces, and ignores comments for other ids', () => {
    for (const ids of [`host-pid,${RULE}`, `host-pid, ${RULE}`, `host-pid ${RULE}`, `${RULE},host-ipc`]) {
      const text = pod({ nameLine: `    - name: web # shipshape-ignore ${ids}` });
      assert.deepEqual(seen(text), [{ line: 7, suppressedBy: 'comment', message: UNSET }], ids);
    }
    assert.deepEqual(seen(pod({ nameLine: '    - name: web # shipshape-ignore host-pid' })), [{ line: 7, message: UNSET }]);
  });

  it('a comment above a document\'s first key suppresses the whole document, and only it', () => {
    const first = `# shipshape-ignore ${RULE} -- legacy app\n${pod({ name: 'a' })}---\n${pod({ name: 'b' })}`;
    assert.deepEqual(seen(first), [
      { line: 8, suppressedBy: 'comment', justification: 'legacy app', message: UNSET },
      { line: 17, message: UNSET },
    ]);
    const second = `${pod({ name: 'a' })}---\n# shipshape-ignore ${RULE}\n${pod({ name: 'b' })}`;
    assert.deepEqual(seen(second), [
      { line: 7, message: UNSET },
      { line: 17, suppressedBy: 'comment', message: UNSET },
    ]);
  });

  it('shipshape-ignore-file anywhere suppresses the id in every document of the file', () => {
    const text = `${pod({ name: 'a' })}---\n${pod({ name: 'b' })}# shipshape-ignore-file ${RULE} -- generated\n`;
    assert.deepEqual(seen(text), [
      { line: 7, suppressedBy: 'comment', justification: 'generated', message: UNSET },
      { line: 16, suppressedBy: 'comment', justification: 'generated', message: UNSET },
    ]);
    assert.deepEqual(seen(`# shipshape-ignore-file host-pid\n${pod()}`), [{ line: 8, message: UNSET }]);
  });

  it('keeps the reason after -- as the justification', () => {
    const text = pod({ nameLine: `    - name: web # shipshape-ignore ${RULE} until=2026-12-31 -- needs setuid ping -- see TICKET-1` });
    assert.deepEqual(seen(text), [{ line: 7, suppressedBy: 'comment', justification: 'needs setuid ping -- see TICKET-1', message: UNSET }]);
  });

  describe('until= expiry', () => {
    const withUntil = (date: string): string => pod({ nameLine: `    - name: web # shipshape-ignore ${RULE} until=${date} -- waiting for v2` });

    it('still suppresses on the expiry day itself (inclusive)', () => {
      assert.deepEqual(seen(withUntil('2026-06-15')), [{ line: 7, suppressedBy: 'comment', justification: 'waiting for v2', message: UNSET }]);
    });

    it('lapses the day after, and the finding says why it is back', () => {
      assert.deepEqual(seen(withUntil('2026-06-14')), [
        { line: 7, message: `${UNSET} (Reported again: the suppression on line 7 expired on 2026-06-14.)` },
      ]);
    });

    it('judges the date in UTC', () => {
      // 23:30 on the 15th at UTC-2 is already the 16th in UTC.
      const lateEvening = new Date('2026-06-15T23:30:00-02:00');
      assert.equal(seen(withUntil('2026-06-15'), { today: lateEvening })[0]?.suppressedBy, undefined);
      // 00:30 on the 16th at UTC+2 is still the 15th in UTC.
      const earlyMorning = new Date('2026-06-16T00:30:00+02:00');
      assert.equal(seen(withUntil('2026-06-15'), { today: earlyMorning })[0]?.suppressedBy, 'comment');
    });

    it('an expiry that is not a real date does not suppress', () => {
      assert.deepEqual(seen(withUntil('2026-02-30')), [
        { line: 7, message: `${UNSET} (Reported again: the suppression on line 7 has an invalid expiry "until=2026-02-30" (write until=YYYY-MM-DD).)` },
      ]);
      assert.equal(seen(withUntil('2026-6-1'))[0]?.suppressedBy, undefined);
    });

    it('a lapsed comment gives way to another comment that still covers the finding', () => {
      const text = `${withUntil('2026-01-01')}# shipshape-ignore-file ${RULE} -- accepted\n`;
      assert.deepEqual(seen(text), [{ line: 7, suppressedBy: 'comment', justification: 'accepted', message: UNSET }]);
    });

    it('also lapses document-level comments', () => {
      assert.deepEqual(seen(`# shipshape-ignore ${RULE} until=2026-01-31\n${pod()}`), [
        { line: 8, message: `${UNSET} (Reported again: the suppression on line 1 expired on 2026-01-31.)` },
      ]);
    });
  });

  it('parses the directive\'s arguments', () => {
    assert.deepEqual(parseIgnoreArguments(' a,b  c until=2027-03-31 -- why -- more'), {
      ids: ['a', 'b', 'c'],
      until: '2027-03-31',
      reason: 'why -- more',
    });
    assert.deepEqual(parseIgnoreArguments(' a --'), { ids: ['a'] });
    assert.deepEqual(parseIgnoreArguments(' a until=tomorrow'), { ids: ['a'], invalidUntil: 'until=tomorrow' });
  });
});

describe('suppression annotations', () => {
  const cases: { name: string; annotation: string; justification?: string }[] = [
    { name: 'shipshape.dev/ignore', annotation: `shipshape.dev/ignore: "host-pid, ${RULE}"` },
    { name: 'kube-linter per check', annotation: 'ignore-check.kube-linter.io/privilege-escalation-container: "needs ping"', justification: 'needs ping' },
    { name: 'kube-linter ignore-all', annotation: 'kube-linter.io/ignore-all: "managed by OLM"', justification: 'managed by OLM' },
    { name: 'Polaris per check', annotation: 'polaris.fairwinds.com/privilegeEscalationAllowed-exempt: "true"' },
    { name: 'Polaris blanket exempt', annotation: 'polaris.fairwinds.com/exempt: "TRUE"' },
    { name: 'Checkov skip with a reason', annotation: 'checkov.io/skip1: CKV_K8S_20=legacy, setuid ping=needed', justification: 'legacy, setuid ping=needed' },
    { name: 'Checkov skip without a reason', annotation: 'checkov.io/skip7: CKV_K8S_20' },
  ];

  for (const { name, annotation, justification } of cases) {
    it(`${name} on the resource's metadata`, () => {
      assert.deepEqual(seen(pod({ annotations: [annotation] })), [
        { line: 9, suppressedBy: 'annotation', ...(justification ? { justification } : {}), message: UNSET },
      ]);
    });
    it(`${name} on the pod template's metadata`, () => {
      assert.deepEqual(seen(deployment([annotation])), [
        { line: 12, suppressedBy: 'annotation', ...(justification ? { justification } : {}), message: UNSET },
      ]);
    });
  }

  it('annotations for other checks, or not set to true, do not suppress', () => {
    for (const annotation of [
      'shipshape.dev/ignore: host-pid',
      'ignore-check.kube-linter.io/run-as-non-root: "x"',
      'polaris.fairwinds.com/privilegeEscalationAllowed-exempt: "false"',
      'polaris.fairwinds.com/exempt: "no"',
      'checkov.io/skip1: CKV_K8S_16=privileged is fine',
      'checkov.io/skipper: CKV_K8S_20',
    ]) {
      assert.deepEqual(seen(pod({ annotations: [annotation] })), [{ line: 9, message: UNSET }], annotation);
    }
  });

  it('an annotation covers only its own resource', () => {
    const text = `${pod({ name: 'a', annotations: [`shipshape.dev/ignore: ${RULE}`] })}---\n${pod({ name: 'b' })}`;
    assert.deepEqual(seen(text), [
      { line: 9, suppressedBy: 'annotation', message: UNSET },
      { line: 18, message: UNSET },
    ]);
  });
});

describe('config-side ignore', () => {
  const ignore = (path: string): ConfigLayer => ({ ignore: [{ path, rules: [RULE], reason: 'vendored chart' }] });
  const suppressedByConfig = [{ line: 7, suppressedBy: 'config', justification: 'vendored chart', message: UNSET }];

  it('matches globs relative to the config folder', () => {
    const options = { config: ignore('charts/vendor/**'), configRelativePath: 'charts/vendor/cni/templates/ds.yaml' };
    assert.deepEqual(seen(pod(), options), suppressedByConfig);
    assert.deepEqual(seen(pod(), { ...options, config: ignore('./charts/vendor/**') }), suppressedByConfig);
    assert.deepEqual(seen(pod(), { ...options, configRelativePath: 'charts/own/ds.yaml' }), [{ line: 7, message: UNSET }]);
  });

  it('a pattern without a slash matches the file name in any folder', () => {
    assert.deepEqual(seen(pod(), { config: ignore('*.gen.yaml'), configRelativePath: 'deploy/app.gen.yaml' }), suppressedByConfig);
  });

  it('names the config file as the source', () => {
    const result = analyze({
      path: 'pod.yaml',
      text: pod(),
      config: resolveConfig({ profile: 'strict' }, ignore('**')),
      configRelativePath: 'pod.yaml',
      configSource: 'repo/.shipshape.yaml',
    });
    assert.deepEqual(result.findings.find((f) => f.ruleId === RULE)?.suppression, {
      kind: 'config',
      source: 'repo/.shipshape.yaml',
      justification: 'vendored chart',
    });
  });

  it('only applies to the rules it lists', () => {
    const config: ConfigLayer = { ignore: [{ path: '**', rules: ['host-network'] }] };
    assert.deepEqual(seen(pod(), { config }), [{ line: 7, message: UNSET }]);
  });
});

describe('allowInlineIgnores: false', () => {
  const strict: ConfigLayer = { allowInlineIgnores: false };

  it('disregards comments and annotations', () => {
    assert.deepEqual(seen(pod({ nameLine: `    - name: web # shipshape-ignore ${RULE}` }), { config: strict }), [{ line: 7, message: UNSET }]);
    assert.deepEqual(seen(`# shipshape-ignore-file ${RULE}\n${pod()}`, { config: strict }), [{ line: 8, message: UNSET }]);
    assert.deepEqual(seen(pod({ annotations: [`shipshape.dev/ignore: ${RULE}`] }), { config: strict }), [{ line: 9, message: UNSET }]);
    assert.deepEqual(seen(pod({ annotations: ['checkov.io/skip1: CKV_K8S_20'] }), { config: strict }), [{ line: 9, message: UNSET }]);
  });

  it('keeps config-side ignores', () => {
    const config: ConfigLayer = { ...strict, ignore: [{ path: '**', rules: [RULE] }] };
    assert.deepEqual(seen(pod({ annotations: [`shipshape.dev/ignore: ${RULE}`] }), { config }), [{ line: 9, suppressedBy: 'config', message: UNSET }]);
  });
});

describe('JSON manifests', () => {
  const json = (annotations: Record<string, string>, extraLine = ''): string =>
    `${JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'app', annotations },
        spec: { containers: [{ name: 'web', image: 'registry.example.com/web:1.0' }] },
      },
      null,
      2,
    )}\n${extraLine}`;

  it('honour annotations', () => {
    const found = seen(json({ 'shipshape.dev/ignore': RULE }), { path: 'pod.json' });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.suppressedBy, 'annotation');
  });

  it('have no comments: a shipshape-ignore line is not a suppression', () => {
    const found = seen(json({}, `# shipshape-ignore-file ${RULE}\n`), { path: 'pod.json' });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.suppressedBy, undefined);
  });
});

describe('Dockerfile comments', () => {
  const sudo = (text: string): { line: number; suppressedBy?: string; justification?: string }[] =>
    analyze({ path: 'Dockerfile', text, config: resolveConfig({ profile: 'strict' }), today: TEST_TODAY })
      .findings.filter((f) => f.ruleId === 'dockerfile-sudo')
      .map((f) => ({
        line: f.range.start.line + 1,
        ...(f.suppression ? { suppressedBy: f.suppression.kind } : {}),
        ...(f.suppression?.justification ? { justification: f.suppression.justification } : {}),
      }));
  const BASE = 'FROM registry.example.com/base:1.2@sha256:0f0c5d3a1b7e2c4d6f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e\n';

  it('a comment above an instruction covers all of its lines, and only that instruction', () => {
    const text = `${BASE}# shipshape-ignore dockerfile-sudo -- vendor installer\nRUN apt-get update && \\\n    sudo /opt/vendor/install.sh\nRUN sudo make install\n`;
    assert.deepEqual(sudo(text), [
      { line: 4, suppressedBy: 'comment', justification: 'vendor installer' },
      { line: 5 },
    ]);
  });

  it('shipshape-ignore-file below the parser directives covers the file', () => {
    const text = `# syntax=docker/dockerfile:1\n# shipshape-ignore-file dockerfile-sudo\n${BASE}RUN sudo make install\n`;
    assert.deepEqual(sudo(text), [{ line: 4, suppressedBy: 'comment' }]);
  });
});
