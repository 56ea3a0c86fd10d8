import { defineDockerfileRule } from '../define';
import { allCopies, flagsOf } from '../../parse/dockerfile';
import { allInvocations, baseName, type Invocation } from '../../shell/commands';
import { wordWithout, type ShellWord } from '../../shell/parse';

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-world-writable',
    title: 'Files must not be writable by everyone',
    description:
      'A file or directory that others can write lets any process in the container, whatever its user, replace programs, configuration or data the application trusts. Give write access to the owner (or group) only.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      worldWritable: 'Mode "{mode}" lets every user write here; give write access to the owner or group only.',
    },
  },
  checkRun(_run, scripts, { report }) {
    for (const script of scripts) {
      for (const invocation of allInvocations(script)) {
        const mode = modeWord(invocation);
        if (mode && givesOthersWrite(mode.value)) report({ messageId: 'worldWritable', data: { mode: mode.value }, at: mode.span });
      }
    }
  },
  check(dockerfile, { report }) {
    for (const instruction of allCopies(dockerfile)) {
      for (const flag of flagsOf(instruction)) {
        const value = flag.getValue();
        const range = flag.getValueRange();
        if (flag.getName() !== 'chmod' || value === null || range === null || !givesOthersWrite(value)) continue;
        report({ messageId: 'worldWritable', data: { mode: value }, at: dockerfile.spanOf(range) });
      }
    }
  },
});

/** The mode argument of `chmod MODE`, `find … -exec chmod MODE {} +`, `mkdir -m MODE` and `install -m MODE`. */
function modeWord(invocation: Invocation): ShellWord | undefined {
  const { args, name } = invocation;
  if (name === 'chmod') return chmodMode(args);
  if (name === 'find') {
    const exec = args.findIndex((arg, i) => /^-(?:exec|execdir|ok|okdir)$/.test(arg.value) && baseName(args[i + 1]?.value ?? '') === 'chmod');
    return exec < 0 ? undefined : chmodMode(args.slice(exec + 2));
  }
  if (name !== 'mkdir' && name !== 'install') return undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === undefined) break;
    if (arg.value === '-m' || arg.value === '--mode') return args[i + 1];
    if (/^(?:-m|--mode=)./.test(arg.value)) {
      const prefix = arg.value.startsWith('-m') ? 2 : 7;
      return wordWithout(arg, prefix);
    }
  }
  return undefined;
}

/** chmod's options (-R, -v, -f, -c, --recursive, --reference=…) come before the mode; `-w` is a mode, not an option. */
function chmodMode(args: readonly ShellWord[]): ShellWord | undefined {
  return args.find((arg) => !/^-[RHLPcfv]+$/.test(arg.value) && !arg.value.startsWith('--'));
}

/**
 * Whether the mode grants write to others: octal with the others-write bit (`777`, `0666`,
 * `2777`), or symbolic `o+w`, `a+w`, `+w`, `ugo+w`, `o=rwx`. Sticky-bit modes (`1777`, `+t`)
 * are shared directories such as /tmp, where others may write but not delete each other's files.
 */
function givesOthersWrite(mode: string): boolean {
  if (mode.includes('$')) return false;
  if (/^[0-7]{1,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const others = Number(digits[3]);
    const special = Number(digits[0]);
    return (others & 2) !== 0 && (special & 1) === 0;
  }
  let writes = false;
  let sticky = false;
  for (const clause of mode.split(',')) {
    const match = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!match) return false;
    const who = match[1] ?? '';
    const forOthers = who === '' || who.includes('o') || who.includes('a');
    for (const action of (match[2] ?? '').match(/[-+=][rwxXstugo]*/g) ?? []) {
      const grants = action[0] !== '-';
      if (grants && forOthers && action.includes('w')) writes = true;
      if (grants && action.includes('t')) sticky = true;
    }
  }
  return writes && !sticky;
}
