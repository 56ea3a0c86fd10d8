import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeKustomizeBuilds, DEFAULT_CONFIG, extractFacts, WorkspaceModel, type KustomizeBuildsResult } from '../../server/src/engine';

const DEPLOYMENT = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', '      containers:', '        - name: web', '          image: nginx:1.27', ''].join('\n');

function run(files: Record<string, string>): KustomizeBuildsResult {
  const texts = new Map(Object.entries(files));
  const model = new WorkspaceModel();
  for (const [path, text] of texts) model.setFacts(path, extractFacts(path, text));
  return analyzeKustomizeBuilds({ builds: model.kustomizeBuilds(), files: texts, settingsFor: () => ({ config: DEFAULT_CONFIG }), today: new Date('2026-06-01') });
}

function problems(result: KustomizeBuildsResult, path: string): string[] {
  return (result.files.get(path)?.findings ?? []).filter((f) => f.ruleId === 'kustomize-error').map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`);
}

const ALIAS_BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]', ''].join('\n');

describe('Kustomize builds of hostile or half-typed input', () => {
  it('an alias bomb in a resource is reported, not expanded', () => {
    const result = run({ '/w/kustomization.yaml': 'resources:\n  - bomb.yaml\n', '/w/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\n${ALIAS_BOMB}` });
    assert.deepEqual(problems(result, '/w/kustomization.yaml'), ['2:5 Resource bomb.yaml does not parse (expanding its aliases makes more than 200000 nodes); the build is analysed without the rest of it.']);
  });

  it('a kustomization that is not a mapping, or lists of the wrong shape, build nothing and do not throw', () => {
    for (const text of ['- a\n- b\n', 'resources: 42\npatches: {}\nimages: "x"\n', 'resources:\n  - 42\n  - null\n  - {a: b}\n', '', '\t\tresources: [\n', `${'['.repeat(5000)}`]) {
      const result = run({ '/w/kustomization.yaml': text, '/w/deployment.yaml': DEPLOYMENT });
      assert.ok(result.failures.length === 0, `${JSON.stringify(text.slice(0, 20))}: ${result.failures.join('; ')}`);
    }
  });

  it('a kustomization that does not parse says so on its line', () => {
    const result = run({ '/w/kustomization.yaml': 'resources:\n  - deployment.yaml\n  bad: [\n' });
    assert.deepEqual(problems(result, '/w/kustomization.yaml').map((p) => p.replace(/\(.*\)/, '(…)')), ['3:1 This kustomization does not parse (…); it is not built.']);
  });

  it('CRLF, a BOM and an inline patch keep exact positions', () => {
    const kustomization = '\uFEFFresources:\r\n  - deployment.yaml\r\npatches:\r\n  - patch: |-\r\n      apiVersion: apps/v1\r\n      kind: Deployment\r\n      metadata:\r\n        name: web\r\n      spec:\r\n        template:\r\n          spec:\r\n            hostNetwork: true\r\n';
    const result = run({ '/w/kustomization.yaml': kustomization, '/w/deployment.yaml': DEPLOYMENT.replace(/\n/g, '\r\n') });
    const hostNetwork = result.files.get('/w/kustomization.yaml')?.findings.find((f) => f.ruleId === 'host-network');
    assert.deepEqual(hostNetwork?.range, { start: { line: 11, character: 25 }, end: { line: 11, character: 29 } });
  });

  it('a patch that is a scalar, a JSON patch without target, and a failing JSON operation are reported', () => {
    const result = run({
      '/w/kustomization.yaml': [
        'resources: [deployment.yaml]',
        'patches:',
        '  - patch: "just text"',
        '  - patch: |-',
        '      - op: remove',
        '        path: /spec/nothing',
        '    target: {kind: Deployment}',
        '  - patch: "[{op: add, path: /spec/x, value: 1}]"',
        '',
      ].join('\n'),
      '/w/deployment.yaml': DEPLOYMENT,
    });
    assert.deepEqual(problems(result, '/w/kustomization.yaml'), [
      '3:5 This patch is neither an object to merge nor a list of JSON patch operations; it is not applied.',
      '4:5 This JSON patch fails on Deployment web: remove /spec/nothing: the path does not exist.',
      '8:5 A JSON patch needs a `target`; it is not applied.',
    ]);
  });
});
