import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeKustomizeBuilds, applyEdits, DEFAULT_CONFIG, extractFacts, WorkspaceModel, type Finding, type KustomizeBuildsResult } from '../../server/src/engine';
import { kubectlAvailable, KUSTOMIZE_FIXTURES, readTree, relativeToFixtures } from '../harness/kustomize';

const TODAY = new Date('2026-06-01T00:00:00Z');

function analyse(files: ReadonlyMap<string, string>): { model: WorkspaceModel; result: KustomizeBuildsResult } {
  const model = new WorkspaceModel();
  for (const [path, text] of files) model.setFacts(path, extractFacts(path, text));
  const result = analyzeKustomizeBuilds({ builds: model.kustomizeBuilds(), files, settingsFor: () => ({ config: DEFAULT_CONFIG }), today: TODAY });
  return { model, result };
}

function buildsOf(finding: Finding): string[] {
  return (finding.related ?? []).filter((r) => r.message.startsWith('Occurs in')).map((r) => r.message.replace('Occurs in the Kustomize build of ', '').replace(/\.$/, ''));
}

/** `file:line:col-line:col rule [builds] +overlay fixes`, 1-based, as a reader would check them. */
function listing(result: KustomizeBuildsResult): string[] {
  return [...result.files]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([path, analysis]) =>
      analysis.findings.map((f) => {
        const at = `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;
        return `${relativeToFixtures(path)}:${at} ${f.ruleId} [${buildsOf(f).join(', ')}]${f.moreFixes ? ` +${f.moreFixes.length}` : ''}`;
      }),
    );
}

const EXPECTED: Record<string, string[]> = {
  shop: [
    'shop/base/deployment.yaml:24:17-24:20 read-only-root-filesystem [staging] +1',
    'shop/overlays/production/kustomization.yaml:22:5-22:13 plaintext-secret-manifest [production]',
    'shop/overlays/staging/debug-port.yaml:11:30-11:32 ssh-port-exposed [staging]',
    'shop/overlays/staging/debug-port.yaml:12:25-12:29 host-port [staging]',
  ],
  platform: [
    'platform/base/api.yaml:24:17-24:28 capabilities-not-dropped [dev] +1',
    'platform/base/api.yaml:24:17-24:28 privilege-escalation-allowed [dev]',
    'platform/base/api.yaml:24:17-24:28 read-only-root-filesystem [dev] +1',
    'platform/base/api.yaml:24:17-24:28 resource-limits-missing [dev] +1',
    'platform/base/api.yaml:24:17-24:28 resource-requests-missing [dev] +1',
    'platform/base/api.yaml:27:25-27:29 privileged-container [dev] +1',
    'platform/base/worker.yaml:10:9-10:13 automount-service-account-token [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 capabilities-not-dropped [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 privilege-escalation-allowed [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 read-only-root-filesystem [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 resource-limits-missing [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 resource-requests-missing [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 run-as-non-root-unset [dev, prod]',
    'platform/base/worker.yaml:13:21-13:28 seccomp-profile-missing [dev, prod]',
    'platform/components/debug-sidecar/add-debugger.yaml:10:17-10:25 capabilities-not-dropped [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:10:17-10:25 privilege-escalation-allowed [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:10:17-10:25 read-only-root-filesystem [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:10:17-10:25 resource-limits-missing [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:10:17-10:25 resource-requests-missing [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:11:18-11:25 image-tag-mutable [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:14:21-14:33 capabilities-not-dropped [dev]',
    'platform/components/debug-sidecar/add-debugger.yaml:14:21-14:33 dangerous-capabilities [dev]',
    'platform/overlays/dev/kustomization.yaml:11:13-11:19 image-tag-mutable [dev]',
  ],
  nested: [
    'nested/base/statefulset.yaml:14:5-14:9 automount-service-account-token [eu-north, eu-west]',
    'nested/base/statefulset.yaml:17:17-17:23 capabilities-not-dropped [eu-west] +1',
    'nested/base/statefulset.yaml:17:17-17:23 privilege-escalation-allowed [eu-west]',
    'nested/base/statefulset.yaml:17:17-17:23 read-only-root-filesystem [eu-west] +1',
    'nested/base/statefulset.yaml:17:17-17:23 resource-limits-missing [eu-west] +1',
    'nested/base/statefulset.yaml:17:17-17:23 resource-requests-missing [eu-west] +1',
    'nested/base/statefulset.yaml:17:17-17:23 run-as-non-root-unset [eu-west] +1',
    'nested/base/statefulset.yaml:17:17-17:23 seccomp-profile-missing [eu-west] +1',
    'nested/base/statefulset.yaml:21:25-21:29 privileged-container [eu-west] +1',
    'nested/base/statefulset.yaml:23:17-23:22 capabilities-not-dropped [eu-north, eu-west]',
    'nested/base/statefulset.yaml:23:17-23:22 privilege-escalation-allowed [eu-north, eu-west]',
    'nested/base/statefulset.yaml:23:17-23:22 read-only-root-filesystem [eu-north, eu-west]',
    'nested/base/statefulset.yaml:23:17-23:22 resource-limits-missing [eu-north, eu-west]',
    'nested/base/statefulset.yaml:23:17-23:22 resource-requests-missing [eu-north, eu-west]',
    'nested/base/statefulset.yaml:23:17-23:22 seccomp-profile-missing [eu-north, eu-west]',
  ],
  // $patch: replace / delete and null undo the base's host PID, root user, SYS_ADMIN, token and hostPath.
  directives: [
    'directives/base/app.yaml:13:5-13:9 automount-service-account-token [overlay]',
    'directives/base/app.yaml:21:17-21:22 privilege-escalation-allowed [overlay]',
    'directives/base/app.yaml:21:17-21:22 read-only-root-filesystem [overlay]',
    'directives/base/app.yaml:21:17-21:22 resource-limits-missing [overlay]',
    'directives/base/app.yaml:21:17-21:22 resource-requests-missing [overlay]',
    'directives/base/app.yaml:21:17-21:22 seccomp-profile-missing [overlay]',
  ],
  broken: [
    'broken/app/kustomization.yaml:3:5-3:17 kustomize-error [app]',
    'broken/app/kustomization.yaml:4:5-4:58 kustomize-error [app]',
    'broken/app/kustomization.yaml:6:11-6:30 kustomize-error [app]',
    'broken/app/kustomization.yaml:7:1-7:11 kustomize-error [app]',
    'broken/base/deployment.yaml:7:5-7:9 automount-service-account-token [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 capabilities-not-dropped [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 privilege-escalation-allowed [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 read-only-root-filesystem [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 resource-limits-missing [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 resource-requests-missing [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 run-as-non-root-unset [app, loop-a]',
    'broken/base/deployment.yaml:9:17-9:20 seccomp-profile-missing [app, loop-a]',
    'broken/base/deployment.yaml:10:18-10:28 image-eol [app, loop-a]',
    'broken/loop-b/kustomization.yaml:2:5-2:14 kustomize-error [loop-a]',
  ],
};

const layout = (name: string): Map<string, string> => readTree(join(KUSTOMIZE_FIXTURES, name));
const fixture = (path: string): string => join(KUSTOMIZE_FIXTURES, path);

describe('Kustomize builds: findings at the line that causes them', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: exact findings, ranges and builds`, () => {
      assert.deepEqual(listing(analyse(layout(name)).result), expected);
    });
  }

  it('finds the builds: top-level kustomizations, not bases, components or cycles twice', () => {
    assert.deepEqual(analyse(layout('shop')).model.kustomizeBuilds().map(relativeToFixtures), ['shop/overlays/production/kustomization.yaml', 'shop/overlays/staging/kustomization.yaml']);
    assert.deepEqual(analyse(layout('platform')).model.kustomizeBuilds().map(relativeToFixtures), ['platform/overlays/dev/kustomization.yaml', 'platform/overlays/prod/kustomization.yaml']);
    assert.deepEqual(analyse(layout('broken')).model.kustomizeBuilds().map(relativeToFixtures), ['broken/app/kustomization.yaml', 'broken/loop-a/kustomization.yaml']);
  });

  it('a patch file is never judged as a workload of its own', () => {
    const { model, result } = analyse(layout('shop'));
    const patch = fixture('shop/overlays/staging/debug-port.yaml');
    assert.equal(model.isKustomizePatch(patch), true);
    // Alone, this partial Deployment would have a dozen findings (no securityContext, no image, ...).
    assert.deepEqual(result.files.get(patch)?.findings.map((f) => f.ruleId), ['ssh-port-exposed', 'host-port']);
  });

  it('says what is wrong with a build, on the kustomization line', () => {
    const { result } = analyse(layout('broken'));
    const messages = (path: string): string[] => (result.files.get(fixture(path))?.findings ?? []).map((f) => `${f.severity} ${f.message}`);
    assert.deepEqual(messages('broken/app/kustomization.yaml'), [
      'warning Resource missing.yaml is not in the workspace (no such file, or a folder without a kustomization); the build is analysed without it.',
      'info Remote resource https://github.com/example/manifests//base?ref=v1.0.0 is not fetched; the build is analysed without it.',
      'warning Patch no-such-target.yaml matches no resource of the build; it changes nothing.',
      'info Shipshape does not build helmCharts (Helm chart inflation); what it generates is not analysed.',
    ]);
    assert.deepEqual(messages('broken/loop-b/kustomization.yaml'), ['warning Kustomizations include each other in a cycle (loop-a → loop-b → loop-a); the cycle is not built.']);
  });

  it('a finding every build has is fixed in the base, and re-analysis no longer reports it', () => {
    const files = layout('nested');
    const base = fixture('nested/base/statefulset.yaml');
    const finding = analyse(files).result.files.get(base)?.findings.find((f) => f.ruleId === 'read-only-root-filesystem' && buildsOf(f).length === 2);
    assert.ok(finding?.fix);
    assert.equal(finding.fix.title, 'Set readOnlyRootFilesystem: true');
    assert.equal(finding.moreFixes, undefined);
    const fixed = applyEdits(files.get(base) ?? '', finding.fix.edits);
    assert.match(fixed, /runAsUser: 0\n {12}readOnlyRootFilesystem: true\n/);
    files.set(base, fixed);
    const after = analyse(files).result.files.get(base)?.findings ?? [];
    assert.deepEqual(after.filter((f) => f.ruleId === 'read-only-root-filesystem').map(buildsOf), [['eu-west']]);
  });

  it('a finding some builds have is offered as a fix in the overlay, as a patch there', () => {
    const files = layout('shop');
    const base = fixture('shop/base/deployment.yaml');
    const overlay = fixture('shop/overlays/staging/kustomization.yaml');
    const finding = analyse(files).result.files.get(base)?.findings.find((f) => f.ruleId === 'read-only-root-filesystem');
    assert.equal(finding?.fix?.title, 'Set readOnlyRootFilesystem: true (in deployment.yaml, for every build)');
    const inOverlay = finding?.moreFixes?.[0];
    assert.equal(inOverlay?.title, 'Set readOnlyRootFilesystem: true in overlay staging');
    assert.deepEqual(inOverlay?.edits, []);
    const edit = inOverlay?.otherFiles?.[0];
    assert.equal(edit?.path, overlay);
    const patched = applyEdits(files.get(overlay) ?? '', edit?.edits ?? []);
    assert.equal(
      patched,
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: shop-staging',
        'namePrefix: staging-',
        'resources:',
        '  - ../../base',
        'patches:',
        '  - path: debug-port.yaml',
        '  - patch: |-',
        '      apiVersion: apps/v1',
        '      kind: Deployment',
        '      metadata:',
        '        name: web',
        '      spec:',
        '        template:',
        '          spec:',
        '            containers:',
        '              - name: web',
        '                securityContext:',
        '                  readOnlyRootFilesystem: true',
        '',
      ].join('\n'),
    );
    files.set(overlay, patched);
    const after = analyse(files).result;
    assert.equal(after.files.get(base)?.findings.some((f) => f.ruleId === 'read-only-root-filesystem'), false);
    assert.deepEqual(after.files.get(overlay)?.findings, []);
  });

  it('the overlay patch it writes is one kubectl kustomize applies', { skip: !kubectlAvailable() && 'kubectl is not on the PATH' }, () => {
    const files = layout('shop');
    const base = fixture('shop/base/deployment.yaml');
    const finding = analyse(files).result.files.get(base)?.findings.find((f) => f.ruleId === 'read-only-root-filesystem');
    const edit = finding?.moreFixes?.[0]?.otherFiles?.[0];
    assert.ok(edit);
    const copy = mkdtempSync(join(tmpdir(), 'shipshape-kustomize-'));
    try {
      for (const [path, text] of files) {
        const target = join(copy, relative(KUSTOMIZE_FIXTURES, path));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, path === edit.path ? applyEdits(text, edit.edits) : text);
      }
      const output = execFileSync('kubectl', ['kustomize', join(copy, 'shop/overlays/staging')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.match(output, /readOnlyRootFilesystem: true/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});


