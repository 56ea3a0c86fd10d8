import { defineDockerfileRule } from '../define';
import { allInvocations, baseName } from '../../shell/commands';

/** sudo options that only change how sudo runs, not as whom: removing sudo with them changes nothing else. */
const NEUTRAL_OPTIONS: ReadonlySet<string> = new Set(['-E', '-H', '-n', '-S', '--preserve-env', '--non-interactive', '--set-home', '--']);

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-sudo',
    title: 'RUN should not use sudo',
    description:
      'RUN already executes as the current USER: sudo there only makes sense when that user may become root, which leaves a root path open in the final image, and its TTY and environment handling makes builds behave unpredictably. Switch with USER instead.',
    severity: 'warning',
    profile: 'recommended',
    fix: 'Remove sudo',
    messages: {
      sudo: 'RUN uses sudo; switch users with USER instead, and do not leave sudo in the image.',
      sudoAs: 'RUN uses sudo with options ({options}); switch users with USER instead, and do not leave sudo in the image.',
    },
  },
  checkRun(_run, scripts, { report }) {
    for (const script of scripts) {
      for (const invocation of allInvocations(script)) {
        for (const wrapper of invocation.wrappers) {
          if (baseName(wrapper.word.value) !== 'sudo') continue;
          const last = wrapper.options[wrapper.options.length - 1] ?? wrapper.word;
          const removable = wrapper.options.every((option) => NEUTRAL_OPTIONS.has(option.value));
          report({
            messageId: removable ? 'sudo' : 'sudoAs',
            data: { options: wrapper.options.map((option) => option.value).join(' ') },
            at: wrapper.word.span,
            // `sudo -u app cmd` runs as app: without sudo it would run as someone else.
            ...(removable ? { fix: { apply: (edit) => edit.removeWords({ start: wrapper.word.span.start, end: last.span.end }) } } : {}),
          });
        }
        if (invocation.name === 'sudo') report({ messageId: 'sudo', at: invocation.nameWord.span });
      }
    }
  },
});
