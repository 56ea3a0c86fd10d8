import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLI = join(__dirname, '..', '..', 'server', 'out', 'cli.js');

function shipshape(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web # the storefront
          image: registry.example.com/web:1.0
          securityContext:
            readOnlyRootFilesystem: true
`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-fix-'));
  writeFileSync(join(dir, 'web.yaml'), DEPLOYMENT);
  chmodSync(join(dir, 'web.yaml'), 0o640);
  return dir;
}

describe('shipshape scan --fix', () => {
  it('lists every fix it applied (file:line, rule, title), ends with the counts, and keeps the file mode', () => {
    const dir = workspace();
    const run = shipshape(['scan', '.', '--fix', '--fail-on', 'none'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stderr,
      [
        'web.yaml:7  automount-service-account-token  Set automountServiceAccountToken: false',
        'web.yaml:9  privilege-escalation-allowed  Set allowPrivilegeEscalation: false',
        'web.yaml:9  seccomp-profile-missing  Add seccompProfile.type: RuntimeDefault to the pod',
        'Fixed 3 findings in 1 file; 4 findings remain.',
        '',
      ].join('\n'),
    );
    assert.ok(readFileSync(join(dir, 'web.yaml'), 'utf8').includes('        - name: web # the storefront\n'), 'comments survive');
    assert.equal(statSync(join(dir, 'web.yaml')).mode & 0o777, 0o640, 'the file keeps its mode');
  });

  it('marks the fixes of --fix-unsafe and warns that they change what the workload may do', () => {
    const dir = workspace();
    const run = shipshape(['scan', '.', '--fix', '--fix-unsafe', '--fail-on', 'none'], dir);
    const lines = run.stderr.trimEnd().split('\n');
    assert.ok(lines.includes('web.yaml:9  capabilities-not-dropped  Drop ALL capabilities  (unsafe)'), run.stderr);
    assert.ok(lines.includes('web.yaml:9  privilege-escalation-allowed  Set allowPrivilegeEscalation: false'), run.stderr);
    assert.ok(lines.includes('web.yaml:9  run-as-non-root-unset  Add runAsNonRoot: true and runAsUser: 10001  (unsafe)'), run.stderr);
    assert.match(run.stderr, /3 unsafe fixes changed what a workload may do at run time: dropping capabilities stops a server binding port 80/);
    assert.equal(lines[lines.length - 1], 'Fixed 6 findings in 1 file; 0 findings remain.');
  });

  it('--fix-dry-run prints a unified diff and writes nothing', () => {
    const dir = workspace();
    const run = shipshape(['scan', '.', '--fix-dry-run', '--fail-on', 'none'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(join(dir, 'web.yaml'), 'utf8'), DEPLOYMENT);
    assert.equal(
      run.stdout,
      `--- a/web.yaml
+++ b/web.yaml
@@ -10,3 +10,8 @@
           image: registry.example.com/web:1.0
           securityContext:
             readOnlyRootFilesystem: true
+            allowPrivilegeEscalation: false
+      automountServiceAccountToken: false
+      securityContext:
+        seccompProfile:
+          type: RuntimeDefault
`,
    );
    assert.match(run.stderr, /Would fix 3 findings in 1 file \(nothing was written\); 4 findings would remain\.\n$/);
  });

  it('refuses --fix with --fix-dry-run, and a --format with --fix-dry-run', () => {
    const dir = workspace();
    assert.equal(shipshape(['scan', '.', '--fix', '--fix-dry-run'], dir).status, 2);
    assert.match(shipshape(['scan', '.', '--fix-dry-run', '--format', 'json'], dir).stderr, /--fix-dry-run prints a diff/);
  });
});
