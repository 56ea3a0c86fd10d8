/**
 * Kubernetes' own Pod Security Admission conformance fixtures (../shared/corpus/psa, read in
 * place; SOURCES.md there explains the layout) judge the Pod Security Standards rules: with the
 * newest version, `--profile baseline` must flag every `baseline/<v>/fail` pod and no `pass` pod,
 * and `--profile restricted` the same for `restricted/<v>/`. When the fixtures are refreshed with
 * a Kubernetes release that changes a control, this test fails until the rules follow.
 *
 * "Flags" means a finding of a rule that enforces a PSS control (`meta.pssControl`). The profiles
 * could one day hold rules that go beyond PSS (hygiene such as read-only-root-filesystem lives in
 * recommended today); those judge nothing here. A fail pod must be flagged for the control its
 * file names (`hostnamespaces1.yaml` by a Host Namespaces rule), so a pod rejected for one reason
 * and reported for another does not pass by accident.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze, REGISTRY, resolveConfig, type Finding } from '../server/src/engine';

const PSA = join(__dirname, '..', '..', 'shared', 'corpus', 'psa');
const LEVELS = ['baseline', 'restricted'] as const;

/**
 * The PSS control each PSA check enforces, as our rules name it in `meta.pssControl`. A volume
 * type outside the restricted list is reported by restricted-volume-types, except hostPath, which
 * host-path-volume reports (RULES.md).
 */
const CONTROLS_BY_CHECK: Record<string, readonly string[]> = {
  hostnamespaces: ['Host Namespaces'],
  privileged: ['Privileged Containers'],
  capabilities_baseline: ['Capabilities'],
  capabilities_restricted: ['Capabilities (restricted)'],
  hostpathvolumes: ['HostPath Volumes'],
  hostports: ['Host Ports'],
  apparmorprofile: ['AppArmor'],
  selinuxoptions: ['SELinux'],
  procmount: ['/proc Mount Type'],
  procmount_restricted: ['/proc Mount Type'],
  seccompprofile_baseline: ['Seccomp'],
  seccompprofile_restricted: ['Seccomp'],
  sysctls: ['Sysctls'],
  windowshostprocess: ['HostProcess'],
  hostprobesandhostlifecycle: ['Host Probes / Lifecycle Hooks'],
  allowprivilegeescalation: ['Privilege Escalation'],
  runasnonroot: ['Running as Non-root'],
  runasuser: ['Running as Non-root user'],
  restrictedvolumes: ['Volume Types', 'HostPath Volumes'],
};

/** `v1.37` > `v1.9`: versions compare by number, not as text. */
function newestVersion(levelDir: string): string | undefined {
  const versions = readdirSync(levelDir).filter((name) => /^v\d+\.\d+$/.test(name));
  const key = (version: string): number[] => version.slice(1).split('.').map(Number);
  return versions.sort((a, b) => {
    const [aMajor = 0, aMinor = 0] = key(a);
    const [bMajor = 0, bMinor = 0] = key(b);
    return bMajor - aMajor || bMinor - aMinor;
  })[0];
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort() : [];
}

/** The PSA check a fixture file exercises: `capabilities_baseline3.yaml` → `capabilities_baseline`. */
function checkOf(file: string): string {
  return file.replace(/\d*\.yaml$/, '');
}

function pssFindings(path: string, level: (typeof LEVELS)[number]): { findings: Finding[]; all: Finding[] } {
  const result = analyze({ path, text: readFileSync(path, 'utf8'), config: resolveConfig({ profile: level }) });
  assert.deepEqual(result.failures, [], 'the engine reported internal failures');
  const findings = result.findings.filter((finding) => REGISTRY.get(finding.ruleId)?.meta.pssControl !== undefined);
  return { findings, all: result.findings };
}

function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}: ${f.message}`);
}

describe('Pod Security Admission conformance fixtures, newest version', () => {
  if (!existsSync(PSA)) {
    it('needs ../shared/corpus/psa', (t) => {
      t.skip('../shared/corpus/psa is not beside the repository: the PSA conformance fixtures were not run');
    });
    return;
  }
  for (const level of LEVELS) {
    const version = newestVersion(join(PSA, level));
    describe(`${level} ${version ?? '(no version)'}`, () => {
      it('has fixtures on both sides', () => {
        assert.ok(version, `no version folder under ${join(PSA, level)}`);
        assert.ok(yamlFiles(join(PSA, level, version, 'fail')).length > 0, 'no fail pods');
        assert.ok(yamlFiles(join(PSA, level, version, 'pass')).length > 0, 'no pass pods');
      });
      if (!version) return;
      for (const file of yamlFiles(join(PSA, level, version, 'fail'))) {
        it(`flags fail/${file}`, () => {
          const { findings, all } = pssFindings(join(PSA, level, version, 'fail', file), level);
          const controls = CONTROLS_BY_CHECK[checkOf(file)];
          assert.ok(controls, `PSA check "${checkOf(file)}" maps to no PSS control here: add it to CONTROLS_BY_CHECK`);
          const forCheck = findings.filter((f) => controls.includes(REGISTRY.get(f.ruleId)?.meta.pssControl ?? ''));
          assert.ok(forCheck.length > 0, `PSA ${level} rejects this pod (${controls.join(' / ')}); Shipshape reported: ${JSON.stringify(describeFindings(all))}`);
        });
      }
      for (const file of yamlFiles(join(PSA, level, version, 'pass'))) {
        it(`does not flag pass/${file}`, () => {
          const { findings, all } = pssFindings(join(PSA, level, version, 'pass', file), level);
          assert.deepEqual(describeFindings(findings), [], `PSA ${level} admits this pod`);
          // Nothing else either: the fixtures are valid, well-formed pods.
          assert.deepEqual(describeFindings(all.filter((f) => f.ruleId === 'parse-error' || f.ruleId === 'file-skipped' || f.ruleId === 'invalid-image-reference')), []);
        });
      }
    });
  }
});
