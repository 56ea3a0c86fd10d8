import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiProblems, introducedApiProblems } from '../harness/api-validity';

const pod = (container: string, podLevel = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
${podLevel}  containers:
    - name: c
      image: app:1.0
${container}`;

describe('the API-validity checker of the fix tests', () => {
  it('finds what kube-apiserver rejects beside allowPrivilegeEscalation: false', () => {
    assert.deepEqual(apiProblems('p.yaml', pod('      securityContext: {allowPrivilegeEscalation: false, privileged: true}\n')), [
      'document 1: Pod/p containers[0]: allowPrivilegeEscalation: false with privileged: true',
    ]);
    assert.deepEqual(apiProblems('p.yaml', pod('      securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [CAP_SYS_ADMIN]}}\n')), [
      'document 1: Pod/p containers[0]: allowPrivilegeEscalation: false with SYS_ADMIN added',
    ]);
  });
  it('finds requests above limits, runAsNonRoot without a usable user, and values of the wrong type', () => {
    assert.deepEqual(apiProblems('p.yaml', pod('      resources: {limits: {cpu: 500m}, requests: {cpu: "1"}}\n')), [
      'document 1: Pod/p containers[0]: requests.cpu above limits.cpu',
    ]);
    assert.deepEqual(apiProblems('p.yaml', pod('      securityContext: {runAsNonRoot: true}\n', '  securityContext: {runAsUser: 0}\n')), [
      'document 1: Pod/p containers[0]: runAsNonRoot: true without a non-zero numeric runAsUser',
    ]);
    assert.deepEqual(apiProblems('p.yaml', pod('      securityContext: {runAsNonRoot: true, runAsUser: 10001}\n')), []);
    assert.deepEqual(apiProblems('p.yaml', pod('      securityContext: {privileged: "false", runAsUser: "1000", capabilities: {drop: ALL}}\n')), [
      'document 1: Pod/p containers[0]: privileged is not a boolean',
      'document 1: Pod/p containers[0]: runAsUser is not an integer',
      'document 1: Pod/p containers[0]: capabilities.drop is not a list of names',
    ]);
  });
  it('reports only what a change introduced, and a file that no longer parses', () => {
    const before = pod('      securityContext: {runAsNonRoot: true}\n');
    assert.deepEqual(introducedApiProblems('p.yaml', before, before.replace('runAsNonRoot: true', 'runAsNonRoot: true, privileged: true')), []);
    assert.deepEqual(introducedApiProblems('p.yaml', before, `${before}      securityContext: {}\n`), ['document 1: does not parse (DUPLICATE_KEY)']);
  });
});
