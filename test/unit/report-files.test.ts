import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { skippedFinding } from '../../server/src/engine';
import { findReportFiles, readReportFile } from '../../server/src/host/vulnerability-reports';

function skipMessage(path: string): string | undefined {
  const read = readReportFile(path);
  return 'skipped' in read ? skippedFinding(read.skipped).message : undefined;
}

describe('report files a config lists (host)', () => {
  let dir: string;
  let repo: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-reports-'));
    repo = join(dir, 'repo');
    for (const folder of ['.git', 'deploy/reports', 'scans', 'node_modules/x']) mkdirSync(join(repo, folder), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'secret.json'), '{"token": "hunter2"}');
    for (const file of ['deploy/reports/a.trivy.json', 'deploy/reports/b.trivy.json', 'scans/grype.json', 'node_modules/x/c.trivy.json']) writeFileSync(join(repo, file), '{}');
    symlinkSync(join(dir, 'elsewhere', 'secret.json'), join(repo, 'deploy', 'reports', 'link.trivy.json'));
    symlinkSync(join(dir, 'elsewhere'), join(repo, 'deploy', 'linked-dir'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds files by glob relative to the config file, inside its repository, following no link out of it', () => {
    const config = join(repo, 'deploy', '.shipshape.yaml');
    const found = findReportFiles(config, ['reports/*.trivy.json', '../scans/*.json', '**/*.trivy.json', 'linked-dir/secret.json']);
    assert.deepEqual(
      found.files.map((file) => file.slice(repo.length + 1)),
      ['deploy/reports/a.trivy.json', 'deploy/reports/b.trivy.json', 'scans/grype.json'],
    );
    assert.deepEqual(found.notices, [`"vulnerabilityReports" entry "linked-dir/secret.json" in ${config} matches no report file.`]);
  });

  it('refuses a glob whose fixed part leads out of the repository, and says when one matches nothing', () => {
    const config = join(repo, '.shipshape.yaml');
    const found = findReportFiles(config, ['../elsewhere/*.json', 'missing/*.json']);
    assert.deepEqual(found.files, []);
    assert.deepEqual(found.notices, [
      `"vulnerabilityReports" entry "../elsewhere/*.json" in ${config} leads out of the repository (${repo}); it is ignored.`,
      `"vulnerabilityReports" entry "missing/*.json" in ${config} matches no report file.`,
    ]);
  });

  it('does not read a report over 50 MB, or one that is not UTF-8', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 51 * 1024 * 1024);
    assert.equal(skipMessage(big), 'The vulnerability report is larger than 50.0 MB (51.0 MB); it was not read, so image-vulnerable does not use it.');
    const binary = join(dir, 'latin1.json');
    writeFileSync(binary, Buffer.from([0x7b, 0xe9, 0x7d]));
    assert.equal(skipMessage(binary), 'The vulnerability report cannot be used: it is not UTF-8 text. image-vulnerable does not use it.');
  });
});
