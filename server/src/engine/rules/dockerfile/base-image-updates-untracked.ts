import { isAbsolute, relative } from 'node:path';
import { defineDockerfileRule } from '../define';
import { dependabotWatches, renovateWatches, type NotWatched } from '../../updaters/coverage';
import type { DependabotFact, RenovateFact, UpdaterFact } from '../../workspace/facts';
import type { WorkspaceView } from '../../workspace/model';

/** A path as both tools write them: relative to the repository root, with `/`. */
function repositoryPath(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : rel.replace(/\\/g, '/');
}

/** The repository the file is in (the innermost root the host looked at that holds it), with its updater configurations. */
function updatersOf(
  workspace: WorkspaceView,
  path: string,
): { root: string; versionControlled: boolean; file: string; dependabot?: DependabotFact; renovate?: RenovateFact } | undefined {
  const repository = workspace
    .repositories()
    .filter((candidate) => repositoryPath(candidate.root, path) !== undefined)
    .sort((a, b) => b.root.length - a.root.length)[0];
  const file = repository === undefined ? undefined : repositoryPath(repository.root, path);
  if (!repository || file === undefined) return undefined;
  const own = workspace.updaters().filter((fact) => fact.root === repository.root);
  const dependabot = own.find((fact): fact is DependabotFact => fact.tool === 'dependabot');
  // Renovate reads the first config file it finds, in its documented order.
  const renovate = own.filter((fact): fact is RenovateFact => fact.tool === 'renovate').sort((a, b) => a.precedence - b.precedence)[0];
  return { root: repository.root, versionControlled: repository.versionControlled, file, ...(dependabot ? { dependabot } : {}), ...(renovate ? { renovate } : {}) };
}

export default defineDockerfileRule({
  meta: {
    id: 'base-image-updates-untracked',
    title: 'A dependency updater must watch the base images of every Dockerfile',
    description:
      'Base images get security fixes as new tags and digests. Without Dependabot or Renovate watching the Dockerfile, nobody is told when one comes out, and the image keeps shipping the old, vulnerable base until someone happens to look.',
    severity: 'info',
    profile: 'strict',
    crossFile: true,
    messages: {
      none: 'No dependency updater watches this Dockerfile, so nothing proposes a newer base image when one is published: add to .github/dependabot.yml an entry with `package-ecosystem: docker` and `directory: "/{folder}"`, or configure Renovate (renovate.json: its dockerfile manager is on by default).',
      dependabot: 'Dependabot does not watch this Dockerfile: {reason}. To have it propose base image updates, {fix} in {config}.',
      renovate: 'Renovate does not watch this Dockerfile: {reason}. To have it propose base image updates, {fix} in {config}.',
      neither: 'Neither updater watches this Dockerfile: in {dependabotConfig}, {dependabotReason}; in {renovateConfig}, {renovateReason}. To have base image updates proposed, {dependabotFix} in {dependabotConfig}, or {renovateFix} in {renovateConfig}.',
    },
  },
  check(dockerfile, { report, workspace, path }) {
    const first = dockerfile.stages[0];
    if (!first) return;
    const at = first.image?.span ?? first.keywordSpan;
    // Analysed without its workspace (a single file, an editor that has not read the workspace): nothing to say.
    const found = updatersOf(workspace, path);
    if (!found) return;
    if (!found.dependabot && !found.renovate) {
      // Outside a repository no updater runs, and where its configuration would go is unknown.
      if (!found.versionControlled) return;
      report({ messageId: 'none', data: { folder: found.file.slice(0, Math.max(0, found.file.lastIndexOf('/'))) }, at });
      return;
    }
    const { dependabot, renovate, root, file } = found;
    const dependabotGap: NotWatched = dependabot ? dependabotWatches(dependabot, file) : undefined;
    const renovateGap: NotWatched = renovate ? renovateWatches(renovate, file) : undefined;
    if ((dependabot && !dependabotGap) || (renovate && !renovateGap)) return;
    const configName = (fact: UpdaterFact): string => repositoryPath(root, fact.at.path) ?? fact.at.path;
    const related = [dependabot, renovate].flatMap((fact) => (fact ? [{ in: fact.at, message: `${fact.tool === 'dependabot' ? 'Dependabot' : 'Renovate'} configuration` }] : []));
    if (dependabot && dependabotGap && renovate && renovateGap) {
      report({
        messageId: 'neither',
        data: {
          dependabotConfig: configName(dependabot),
          dependabotReason: dependabotGap.reason,
          dependabotFix: dependabotGap.fix,
          renovateConfig: configName(renovate),
          renovateReason: renovateGap.reason,
          renovateFix: renovateGap.fix,
        },
        at,
        related,
      });
      return;
    }
    const [tool, fact, gap] = dependabot && dependabotGap ? (['dependabot', dependabot, dependabotGap] as const) : (['renovate', renovate, renovateGap] as const);
    if (!fact || !gap) return;
    report({ messageId: tool, data: { reason: gap.reason, fix: gap.fix, config: configName(fact) }, at, related });
  },
});
