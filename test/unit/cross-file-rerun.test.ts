import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, extractFacts, resolveConfig, WorkspaceModel, type CachedOutcome, type Finding } from '../../server/src/engine';

/**
 * A section's findings are cached by its text; when only the workspace changes under it (its
 * Namespace's labels, its service account, a binding), the cached outcome reruns its cross-file
 * rules alone. Whatever the order of changes, that must give exactly what a fresh analysis gives.
 */
const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: cart
      containers:
        - name: web
          image: registry.example.com/web:1.0
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: shop}
spec:
  containers:
    - name: tool
      image: busybox:1.36
`;

const namespace = (labels: string): string => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${labels}`;
const WORKSPACE_STATES: Array<[string, string]> = [
  ['/ws/ns.yaml', namespace('    pod-security.kubernetes.io/enforce: restricted\n')],
  ['/ws/ns.yaml', namespace('    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n')],
  ['/ws/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: cart, namespace: shop}\nautomountServiceAccountToken: false\n'],
  ['/ws/ns.yaml', namespace('    pod-security.kubernetes.io/enforce: privileged\n')],
  ['/ws/sa.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: cart, namespace: shop}\n'],
  ['/ws/ns.yaml', namespace('    pod-security.kubernetes.io/audit: restricted\n    pod-security.kubernetes.io/audit-version: v1.22\n')],
];

const config = resolveConfig({ profile: 'strict' });
const summary = (findings: readonly Finding[]): string[] => findings.map((finding) => `${finding.ruleId} ${finding.range.start.line}:${finding.range.start.character} ${finding.message}`);

function analyseWith(model: WorkspaceModel, cache?: Map<string, CachedOutcome>): Finding[] {
  const workspace = model.view();
  return analyze({ path: '/ws/workloads.yaml', text: WORKLOADS, config, workspace, withFixes: false, ...(cache ? { cache } : {}) }).findings;
}

describe('cached sections when only the workspace changes', () => {
  it('rerun their cross-file rules and agree with a fresh analysis after every change', () => {
    const model = new WorkspaceModel();
    const cache = new Map<string, CachedOutcome>();
    assert.deepEqual(summary(analyseWith(model, cache)), summary(analyseWith(model)));
    for (const [path, text] of WORKSPACE_STATES) {
      model.setFacts(path, extractFacts(path, text));
      const cached = analyseWith(model, cache);
      assert.deepEqual(summary(cached), summary(analyseWith(model)), `after ${path} became:\n${text}`);
    }
    assert.ok(summary(analyseWith(model)).some((line) => line.startsWith('namespace-pss-violation')), 'the last state is still judged by its Namespace');
  });

  it('keep what was parsed: the outcome is rerun, not analysed anew', () => {
    const model = new WorkspaceModel();
    const cache = new Map<string, CachedOutcome>();
    analyseWith(model, cache);
    const before = [...cache.values()];
    assert.ok(before.every((outcome) => 'rerunCrossFile' in outcome && typeof outcome.rerunCrossFile === 'function'), 'every section can rerun its cross-file rules');
    const [path, text] = WORKSPACE_STATES[0] ?? ['', ''];
    model.setFacts(path, extractFacts(path, text));
    analyseWith(model, cache);
    const after = [...cache.values()];
    assert.equal(after.length, before.length);
    after.forEach((outcome, index) => {
      const previous = before[index];
      assert.ok(outcome !== previous, 'a stale outcome is replaced');
      assert.ok('rerunCrossFile' in outcome && previous && 'rerunCrossFile' in previous && outcome.rerunCrossFile === previous.rerunCrossFile, 'by a rerun of the same parse');
    });
  });

  it('leave outcomes whose reads did not change as they are', () => {
    const model = new WorkspaceModel();
    const cache = new Map<string, CachedOutcome>();
    analyseWith(model, cache);
    const before = [...cache.values()];
    model.setFacts('/ws/other.yaml', extractFacts('/ws/other.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: elsewhere\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n'));
    analyseWith(model, cache);
    assert.deepEqual([...cache.values()], before);
    [...cache.values()].forEach((outcome, index) => assert.ok(outcome === before[index]));
  });
});
