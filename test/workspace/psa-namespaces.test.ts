import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, extractFacts, resolveConfig, WorkspaceModel } from '../../server/src/engine';

/**
 * Kubernetes' own Pod Security Admission fixtures, every version (../shared/corpus/psa, read in
 * place): each pod placed in a namespace labelled `enforce: <level>` and `enforce-version:
 * <version>` gets namespace-pss-violation exactly when PSA rejects it.
 */
const PSA = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'psa');

function namespaced(pod: string): string {
  return pod.replace(/^metadata:\n/m, 'metadata:\n  namespace: psa-test\n');
}

describe('namespace-pss-violation agrees with Pod Security Admission, every level and version', () => {
  if (!existsSync(PSA)) {
    it('needs ../shared/corpus/psa', (t) => t.skip('../shared/corpus/psa is not beside the repository; CI always has it'));
    return;
  }
  const config = resolveConfig({ profile: 'baseline', rules: {} });
  for (const level of ['baseline', 'restricted']) {
    const versions = readdirSync(join(PSA, level)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    for (const version of versions) {
      it(`${level} ${version}`, () => {
        const namespacePath = '/psa/namespace.yaml';
        const model = new WorkspaceModel();
        const namespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: psa-test\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n    pod-security.kubernetes.io/enforce-version: ${version}\n`;
        model.setFacts(namespacePath, extractFacts(namespacePath, namespace));
        const wrong: string[] = [];
        for (const verdict of ['pass', 'fail']) {
          const dir = join(PSA, level, version, verdict);
          for (const file of readdirSync(dir)) {
            const text = namespaced(readFileSync(join(dir, file), 'utf8'));
            const findings = analyze({ path: join(dir, file), text, config, workspace: model.view() }).findings.filter((f) => f.ruleId === 'namespace-pss-violation');
            if ((findings.length > 0) !== (verdict === 'fail')) wrong.push(`${verdict}/${file}: ${findings.map((f) => f.message).join(' | ') || 'admitted'}`);
          }
        }
        assert.deepEqual(wrong, []);
      });
    }
  }
});
