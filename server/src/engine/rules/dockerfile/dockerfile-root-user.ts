import { defineDockerfileRule } from '../define';
import { effectiveUser, type DockerfileModel } from '../../parse/dockerfile';
import type { DockerfileEditor } from '../../fix/dockerfile-edits';

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
    },
  },
  check(dockerfile, { config, report }) {
    const finalStage = dockerfile.finalStage;
    if (!finalStage) return;
    const insertUser = (edit: DockerfileEditor): void => insertUserLine(dockerfile, edit, config.nonRootId);
    const found = effectiveUser(dockerfile);
    if (!found) {
      report({ messageId: 'missing', at: finalStage.keywordSpan, fix: { apply: insertUser } });
      return;
    }
    const argument = found.argument;
    // A USER that names an ARG without a default is decided at build time: nothing to judge.
    if (argument?.user === undefined || (argument.name !== 'root' && argument.name !== '0')) return;
    const { span: at, user } = argument;
    // A `USER root` that later RUNs of the final stage still need (package installs) stays; so
    // does one in a parent stage, which governs that stage's RUNs: the fix then adds a USER after them.
    const position = finalStage.instructions.indexOf(found.instruction);
    const buildStepsFollow = position >= 0 && finalStage.instructions.slice(position + 1).some((i) => i.getKeyword() === 'RUN');
    const replaceable = found.stage === finalStage && !buildStepsFollow;
    report({
      messageId: 'root',
      severity: 'error',
      data: { user },
      at,
      fix: { apply: replaceable ? (edit) => edit.replace(at, String(config.nonRootId)) : insertUser },
    });
  },
});

/** `USER <id>` after the final stage's last RUN, COPY or ADD (files it creates are still root's), else after its FROM. */
function insertUserLine(dockerfile: DockerfileModel, edit: DockerfileEditor, nonRootId: number): void {
  const finalStage = dockerfile.finalStage;
  if (!finalStage) return;
  const anchors = finalStage.instructions.filter((instruction) => INSERT_AFTER.has(instruction.getKeyword()));
  const anchor = anchors[anchors.length - 1] ?? finalStage.from;
  const end = dockerfile.spanOf(anchor.getRange()).end;
  const keyword = finalStage.from.getInstruction();
  const userKeyword = keyword === keyword.toLowerCase() ? 'user' : 'USER';
  edit.insertLineAfter(dockerfile.lines.positionAt(end).line, `${userKeyword} ${nonRootId}`);
}
