import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sectionNeedsAnalysis } from '../../server/src/engine/analysis/kubernetes';

describe('which YAML sections are composed', () => {
  it('composes every kind a rule reads, and kind: List', () => {
    for (const kind of ['Pod', 'Deployment', 'CronJob', 'Secret', 'ClusterRole', 'RoleBinding', 'List', 'DeploymentList']) {
      assert.equal(sectionNeedsAnalysis(`apiVersion: v1\nkind: ${kind}\n`), true, kind);
    }
  });

  it('skips built-in kinds that never hold pods, even when their text mentions containers', () => {
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  versions:\n    - schema:\n        properties:\n          containers:\n            type: array\n';
    assert.equal(sectionNeedsAnalysis(crd), false);
    assert.equal(sectionNeedsAnalysis('apiVersion: v1\nkind: ConfigMap\ndata:\n  pod.yaml: |\n    containers: []\n'), false);
    assert.equal(sectionNeedsAnalysis('apiVersion: v1\nkind: Service\nspec:\n  ports: [{port: 80}]\n'), false);
  });

  it('composes any kind whose text holds a credential (hardcoded-credential), not one that only names one', () => {
    assert.equal(sectionNeedsAnalysis('apiVersion: v1\nkind: ConfigMap\ndata:\n  aws: AKIAIOSFODNN7EXAMPLE\n'), true);
    assert.equal(sectionNeedsAnalysis('apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  annotations: {k: AKIAIOSFODNN7EXAMPLE}\n'), true);
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  description: The secret holding the PRIVATE KEY and the AKIA… key id.\n';
    assert.equal(sectionNeedsAnalysis(crd), false);
  });

  it('composes a custom resource that shares a built-in name when it holds containers', () => {
    const knative = 'apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containers:\n        - image: app:1\n';
    assert.equal(sectionNeedsAnalysis(knative), true);
    assert.equal(sectionNeedsAnalysis('apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  template:\n    spec:\n      containers: []\n'), true);
    assert.equal(sectionNeedsAnalysis('apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nspec:\n  endpoints: []\n'), false);
  });

  it('composes when the kind cannot be read without parsing (JSON, flow style)', () => {
    assert.equal(sectionNeedsAnalysis('{"apiVersion": "v1", "kind": "Pod"}'), true);
    assert.equal(sectionNeedsAnalysis('name: ci\non: [push]\n'), false);
  });
});
