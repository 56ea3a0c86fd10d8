import { defineDockerfileRule } from '../define';
import { effectiveUser, type DockerfileModel } from '../../parse/dockerfile';
import type { DockerfileEditor } from '../../fix/dockerfile-edits';
import { isWindowsAdministrator, windowsDefaultUser, WINDOWS_USER } from '../../dockerfile/windows';

const INSERT_AFTER: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-root-user',
    title: 'The final image must not run as root',
    description:
      'A container runs as the image\'s last USER, and as root when there is none. A process running as root that is compromised owns the whole container filesystem and is one kernel or runtime bug away from the host.',
    severity: 'warning',
    alternateSeverity: 'error',
    profile: 'restricted',
    fix: 'Run as a non-root user',
    messages: {
      missing: 'The final stage sets no USER, so the container runs as root.',
      root: 'The final stage runs as "{user}", which is root.',
      missingWindows: 'The final stage sets no USER, so the container runs as ContainerAdministrator, the administrator of a Windows container.',
      windowsAdministrator: 'The final stage runs as "{user}", the administrator of a Windows container; use ContainerUser.',
    },
  },
  check(dockerfile, { config, report }) {
    const finalStage = dockerfile.finalStage;
    if (!finalStage) return;
    // Windows has no numeric users: its unprivileged account is ContainerUser (RULES.md).
    const windowsUser = windowsDefaultUser(finalStage);
    const isWindows = windowsUser !== undefined;
    const nonRootUser = isWindows ? WINDOWS_USER : String(config.nonRootId);
    const insertUser = (edit: DockerfileEditor): void => insertUserLine(dockerfile, edit, nonRootUser);
    const found = effectiveUser(dockerfile);
    if (!found) {
      // Nano Server images already run as ContainerUser; Server Core ones as ContainerAdministrator.
      if (windowsUser === WINDOWS_USER) return;
      report({ messageId: isWindows ? 'missingWindows' : 'missing', at: finalStage.keywordSpan, fix: { apply: insertUser } });
      return;
    }
    const argument = found.argument;
    // A USER that names an ARG without a default is decided at build time: nothing to judge.
    const name = argument?.user === undefined ? undefined : argument.name;
    const isAdministrator = isWindows && name !== undefined && isWindowsAdministrator(name);
    if (argument === undefined || name === undefined || (name !== 'root' && name !== '0' && !isAdministrator)) return;
    const { span: at, user } = argument;
    // A `USER root` that later RUNs of the final stage still need (package installs) stays; so
    // does one in a parent stage, which governs that stage's RUNs: the fix then adds a USER after them.
    const position = finalStage.instructions.indexOf(found.instruction);
    const buildStepsFollow = position >= 0 && finalStage.instructions.slice(position + 1).some((i) => i.getKeyword() === 'RUN');
    const replaceable = found.stage === finalStage && !buildStepsFollow;
    report({
      messageId: isAdministrator ? 'windowsAdministrator' : 'root',
      severity: 'error',
      data: { user: user ?? name },
      at,
      fix: { apply: replaceable ? (edit) => edit.replace(at, nonRootUser) : insertUser },
    });
  },
});

/** `USER <id>` (`USER ContainerUser` on Windows) after the final stage's last RUN, COPY or ADD (files it creates are still root's), else after its FROM. */
function insertUserLine(dockerfile: DockerfileModel, edit: DockerfileEditor, nonRootUser: string): void {
  const finalStage = dockerfile.finalStage;
  if (!finalStage) return;
  const anchors = finalStage.instructions.filter((instruction) => INSERT_AFTER.has(instruction.getKeyword()));
  const anchor = anchors[anchors.length - 1] ?? finalStage.from;
  const end = dockerfile.spanOf(anchor.getRange()).end;
  const keyword = finalStage.from.getInstruction();
  const userKeyword = keyword === keyword.toLowerCase() ? 'user' : 'USER';
  edit.insertLineAfter(dockerfile.lines.positionAt(end).line, `${userKeyword} ${nonRootUser}`);
}
