import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractUpdaterFacts } from '../../server/src/engine';
import { dependabotWatches, renovateWatches } from '../../server/src/engine/updaters/coverage';
import type { DependabotFact, RenovateFact } from '../../server/src/engine/workspace/facts';

function dependabot(text: string): DependabotFact {
  const [fact] = extractUpdaterFacts('/repo/.github/dependabot.yml', '/repo', '.github/dependabot.yml', text);
  assert.ok(fact?.tool === 'dependabot');
  return fact;
}

function renovate(text: string, name = 'renovate.json'): RenovateFact {
  const [fact] = extractUpdaterFacts(`/repo/${name}`, '/repo', name, text);
  assert.ok(fact?.tool === 'renovate');
  return fact;
}

describe('Dependabot docker entries', () => {
  const config = dependabot(`version: 2
updates:
  - package-ecosystem: docker
    directory: "/services/*"    # directory is literal: no globs
    schedule: {interval: weekly}
  - package-ecosystem: docker
    directories: ["*", "/apps/**", "/lib-*"]
    exclude-paths: ["apps/legacy", "**/*.test.Dockerfile"]
    schedule: {interval: weekly}
`);
  const cases: Array<[string, boolean]> = [
    ['Dockerfile', true], // `*` covers the root
    ['tools/Dockerfile', true], // and the root's folders
    ['tools/sub/Dockerfile', false],
    ['apps/web/api/Dockerfile', true],
    ['apps/legacy/Dockerfile', false], // exclude-paths
    ['apps/web/app.test.Dockerfile', false],
    ['lib-core/Dockerfile', true],
    ['services/*/Dockerfile', true], // the literal folder named `*`
    ['services/api/Dockerfile', false],
  ];
  for (const [file, watched] of cases) {
    it(`${watched ? 'watch' : 'do not watch'} ${file}`, () => assert.equal(dependabotWatches(config, file) === undefined, watched));
  }
  it('a file Dependabot cannot read configures nothing', () => {
    assert.deepEqual(dependabotWatches(dependabot('updates: [\n'), 'Dockerfile')?.reason, 'it has no `package-ecosystem: docker` entry');
  });
});

describe('Renovate configurations', () => {
  it('read JSON5 with comments, and the presets that set ignorePaths', () => {
    const fact = renovate("{\n  // docs\n  extends: ['config:recommended', ':includeNodeModules'],\n}\n", 'renovate.json5');
    assert.deepEqual([fact.ignorePaths, fact.ignorePathsFrom], [[], 'the ":includeNodeModules" preset']);
    assert.equal(renovateWatches(fact, 'node_modules/x/Dockerfile'), undefined);
    assert.equal(renovate('{}').ignorePathsFrom, "Renovate's default");
  });
  const off: Array<[string, string]> = [
    ['{"enabled": false}', '"enabled": false turns Renovate off for the repository'],
    ['{"enabledManagers": ["npm"]}', '"enabledManagers" does not list "dockerfile"'],
    ['{"dockerfile": {"enabled": false}}', '"dockerfile": {"enabled": false} turns the dockerfile manager off'],
    ['{"extends": ["docker:disable"]}', 'the "docker:disable" preset turns the dockerfile manager off'],
    ['{"packageRules": [{"matchManagers": ["dockerfile"], "enabled": false}]}', 'a "packageRules" entry matching the dockerfile manager sets "enabled": false'],
    ['{"enabled": fals', 'the file is not valid JSON5, and Renovate stops on it'],
  ];
  for (const [text, reason] of off) {
    it(`know ${text} watches nothing`, () => assert.equal(renovateWatches(renovate(text), 'Dockerfile')?.reason, reason));
  }
  it('leave the manager on for rules that match fewer dependencies', () => {
    assert.equal(renovateWatches(renovate('{"packageRules": [{"matchManagers": ["dockerfile"], "matchPackageNames": ["node"], "enabled": false}]}'), 'Dockerfile'), undefined);
  });
  it('apply includePaths, ignorePaths (substring or glob) and extra file patterns as Renovate does', () => {
    const fact = renovate('{"includePaths": ["services/**"], "ignorePaths": ["old/"], "dockerfile": {"managerFilePatterns": ["/\\\\.df$/", "**/*.image"], "fileMatch": ["^build/Imagefile$"]}}');
    assert.equal(renovateWatches(fact, 'services/api/Dockerfile'), undefined);
    assert.equal(renovateWatches(fact, 'tools/Dockerfile')?.reason, '"includePaths" does not list `tools/Dockerfile`');
    assert.equal(renovateWatches(fact, 'services/old/Dockerfile')?.reason, '"ignorePaths" leaves it out ("old/")');
    assert.equal(renovateWatches(fact, 'services/api/app.df'), undefined);
    assert.equal(renovateWatches(fact, 'services/api/app.image'), undefined);
    assert.equal(renovateWatches(renovate('{"dockerfile": {"fileMatch": ["^build/Imagefile$"]}}'), 'build/Imagefile'), undefined);
  });
  it('never run a file pattern that could backtrack for ever (it counts as no match)', () => {
    const fact = renovate('{"dockerfile": {"managerFilePatterns": ["/^(a+)+$/"]}}');
    assert.match(renovateWatches(fact, `${'a'.repeat(40)}b`)?.reason ?? '', /file patterns do not match/);
  });
});
