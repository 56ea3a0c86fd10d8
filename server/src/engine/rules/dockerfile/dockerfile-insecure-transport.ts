import { Arg, Env } from 'dockerfile-ast';
import { defineDockerfileRule, type DockerfileRuleContext } from '../define';
import { allCommands, firstOperand, invocationOf, type Invocation } from '../../shell/commands';
import { wordOffset, type ShellCommand, type ShellWord } from '../../shell/parse';
import type { Span } from '../../types';

const TLS = 'TLS certificate verification';
const SIGNATURES = 'package signature verification';

/** Flags that turn a check off, by command. */
const INSECURE_FLAGS: ReadonlyArray<{ commands: RegExp; flags: ReadonlySet<string>; check: string }> = [
  { commands: /^curl$/, flags: new Set(['-k', '--insecure']), check: TLS },
  { commands: /^wget$/, flags: new Set(['--no-check-certificate']), check: TLS },
  { commands: /^(?:npm|pnpm|yarn)$/, flags: new Set(['--strict-ssl=false']), check: TLS },
  { commands: /^(?:apt-get|apt|aptitude)$/, flags: new Set(['--allow-unauthenticated', '--force-yes', '--allow-insecure-repositories']), check: SIGNATURES },
  { commands: /^apk$/, flags: new Set(['--allow-untrusted']), check: SIGNATURES },
  { commands: /^(?:yum|dnf|microdnf|tdnf)$/, flags: new Set(['--nogpgcheck']), check: SIGNATURES },
  { commands: /^zypper$/, flags: new Set(['--no-gpg-checks']), check: SIGNATURES },
  { commands: /^rpm$/, flags: new Set(['--nosignature', '--nodigest']), check: SIGNATURES },
];

/** yum and dnf repository options (`--setopt=[repo.]option=value`) that turn a check off when false. */
const SETOPT_COMMANDS = /^(?:yum|dnf|microdnf|tdnf|yum-config-manager)$/;
const SETOPT_CHECKS: ReadonlyArray<{ option: RegExp; check: string }> = [
  { option: /(?:^|\.)sslverify$/i, check: TLS },
  { option: /(?:^|\.)(?:repo_)?gpgcheck$/i, check: SIGNATURES },
];

/** curl short options that take a value: in `-fsSLo`, what follows `o` is a file name, not flags. */
const CURL_OPTIONS_WITH_VALUE = new Set('AbcCdDeEFHKmoPQrtTuUwxXyYz'.split(''));

const FALSE_WORDS: ReadonlySet<string> = new Set(['false', '0', 'no', 'off']);
const GIT_SSL_VERIFY = /^http\.(?:.*\.)?sslverify$/i;

/**
 * Environment variables that turn a check off for the RUNs that see them, and the values that do:
 * git skips certificate checks when GIT_SSL_NO_VERIFY is set to anything (git(1), ENVIRONMENT
 * VARIABLES); Node.js with NODE_TLS_REJECT_UNAUTHORIZED=0; Python's urllib with PYTHONHTTPSVERIFY=0
 * (PEP 493); npm with npm_config_strict_ssl=false; pip trusts PIP_TRUSTED_HOST without valid
 * HTTPS; Go fetches GOINSECURE modules without certificate checks.
 */
const INSECURE_VARIABLES: ReadonlyArray<{ name: RegExp; disables: (value: string) => boolean; command: string }> = [
  { name: /^GIT_SSL_NO_VERIFY$/, disables: () => true, command: 'git' },
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, disables: (value) => value === '0', command: 'node' },
  { name: /^PYTHONHTTPSVERIFY$/, disables: (value) => value === '0', command: 'python' },
  { name: /^npm_config_strict_ssl$/i, disables: (value) => FALSE_WORDS.has(value.toLowerCase()), command: 'npm' },
  { name: /^PIP_TRUSTED_HOST$/, disables: (value) => value !== '', command: 'pip' },
  { name: /^GOINSECURE$/, disables: (value) => value !== '', command: 'go' },
];

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-insecure-transport',
    title: 'RUN must not turn off TLS or signature checks',
    description:
      'Turning off certificate or signature verification lets anyone on the network path, or a compromised mirror, swap what the build downloads, and the result ships in the image. Fix the trust store or the repository key instead.',
    severity: 'error',
    profile: 'recommended',
    fix: 'Remove the insecure flag',
    safeFix: true,
    safeFixOnlyWhen: 'the command installs no `.apk` file, which cannot install unsigned without the flag',
    messages: {
      flag: '"{flag}" turns off {check} for {command}; anyone on the network path can tamper with the download.',
      setting: 'Setting {flag} turns off {check} for {command} in this build; anyone on the network path can tamper with the download.',
    },
  },
  checkRun(_run, scripts, { report }) {
    const found = reporterOf(report);
    for (const script of scripts) {
      for (const command of allCommands(script)) {
        checkInsecureAssignments(command, found);
        const invocation = invocationOf(command);
        if (invocation) checkInvocation(invocation, found);
      }
    }
  },
  check(dockerfile, { report }) {
    const found = reporterOf(report);
    // `ENV GIT_SSL_NO_VERIFY=…` (or an ARG default, which RUN sees as a variable too) turns
    // verification off for every later RUN of the stage.
    for (const stage of dockerfile.stages) {
      for (const instruction of stage.instructions) {
        if (!(instruction instanceof Env) && !(instruction instanceof Arg)) continue;
        for (const property of instruction.getProperties()) {
          const value = property.getValue();
          if (instruction instanceof Arg && value === null) continue;
          const variable = insecureVariable(property.getName(), value ?? '');
          if (variable) found(dockerfile.spanOf(property.getNameRange()), property.getName(), TLS, variable.command);
        }
      }
    }
  },
});

/**
 * What the fix removes: whole words (a flag and its value), or one letter of bundled options
 * (`k` of `-fsSLk`). `breaksBuild`: the command then fails for sure (an unsigned package file), so
 * a person decides how to sign it; the fix is no part of fix-all.
 */
type Removal = ({ words: Span } | { letter: Span }) & { breaksBuild?: boolean };

type Found = (at: Span, flag: string, check: string, command: string, removal?: Removal) => void;

/** Reports a flag (with a fix removing it) or a setting (left to the author). */
function reporterOf(report: DockerfileRuleContext['report']): Found {
  return (at, flag, check, command, removal) =>
    report({
      // A flag can be dropped (fix); a setting (ENV, `npm config set`, `export`) is left to the author.
      messageId: removal ? 'flag' : 'setting',
      data: { flag, check, command },
      at,
      ...(removal
        ? {
            fix: {
              apply: (edit) => ('words' in removal ? edit.removeWords(removal.words) : edit.replace(removal.letter, '')),
              ...(removal.breaksBuild ? { safe: false } : {}),
            },
          }
        : {}),
    });
}

function checkInvocation(invocation: Invocation, found: Found): void {
  const { name, args } = invocation;
  const isPip = /^pip[0-9.]*$/.test(name) || (/^python[0-9.]*$/.test(name) && args[0]?.value === '-m' && args[1]?.value === 'pip') || (name === 'uv' && args[0]?.value === 'pip');
  const flagChecks = INSECURE_FLAGS.filter((entry) => entry.commands.test(name));
  const takesSetopt = SETOPT_COMMANDS.test(name);
  // Packages built in an earlier stage carry no signature: `apk add --allow-untrusted /pkgs/*.apk`
  // installs only those, which no signature check could cover (RULES.md). apk reads no other flag
  // of INSECURE_FLAGS, so the whole invocation is skipped.
  const apkFiles = name === 'apk' ? apkPackageFiles(args) : undefined;
  if (apkFiles?.allLocal) return;
  args.forEach((arg, index) => {
    const value = arg.value;
    for (const entry of flagChecks) {
      if (entry.flags.has(value)) found(arg.span, value, entry.check, name, { words: arg.span, ...(apkFiles?.any ? { breaksBuild: true } : {}) });
    }
    if (name === 'curl' && /^-[A-Za-z0-9#:]{2,}$/.test(value)) {
      // Bundled short options: `-fsSLk` holds `-k`; remove just that letter.
      for (let i = 1; i < value.length; i++) {
        const letter = value[i] ?? '';
        if (letter === 'k') {
          const at = wordOffset(arg, i);
          found(arg.span, '-k', TLS, name, { letter: { start: at, end: at + 1 } });
          break;
        }
        if (CURL_OPTIONS_WITH_VALUE.has(letter)) break;
      }
    }
    if (isPip && (value === '--trusted-host' || value.startsWith('--trusted-host='))) {
      const next = value === '--trusted-host' ? args[index + 1] : undefined;
      found(arg.span, '--trusted-host', TLS, 'pip', { words: { start: arg.span.start, end: (next ?? arg).span.end } });
    }
    if (takesSetopt && value.startsWith('--setopt=')) {
      const [option, setValue] = splitSetting(value.slice('--setopt='.length));
      const disabled = FALSE_WORDS.has(setValue.toLowerCase()) ? SETOPT_CHECKS.find((entry) => entry.option.test(option)) : undefined;
      if (disabled) found(arg.span, value, disabled.check, name, { words: arg.span });
    }
    if (name === 'git' && value === '-c') {
      const setting = args[index + 1];
      const [key, setValue] = splitSetting(setting?.value ?? '');
      if (setting && GIT_SSL_VERIFY.test(key) && FALSE_WORDS.has(setValue.toLowerCase())) {
        found({ start: arg.span.start, end: setting.span.end }, `-c ${setting.value}`, TLS, 'git', { words: { start: arg.span.start, end: setting.span.end } });
      }
    }
  });
  checkConfigCommands(invocation, found);
}

/** apk options that take the next word as their value (apk(8)). */
const APK_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '-X', '--repository', '-t', '--virtual', '-p', '--root', '--keys-dir', '--repositories-file', '--arch', '--cache-dir', '--cache-max-age', '--timeout',
]);

const APK_FILE = /\.apk$/;
/** A package file on the build's own file system (`/pkgs/*.apk`, `./app.apk`), not a URL. */
const LOCAL_APK = /^[^:]*\.apk$/;

/**
 * The package files an `apk add` names: `any` when some operand is an `.apk` file (local or a
 * URL), `allLocal` when every package operand is a local one.
 */
function apkPackageFiles(args: readonly ShellWord[]): { any: boolean; allLocal: boolean } {
  const operands: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const value = args[index]?.value ?? '';
    if (APK_OPTIONS_WITH_VALUE.has(value)) index++;
    else if (!value.startsWith('-')) operands.push(value);
  }
  const [subcommand, ...packages] = operands;
  if (subcommand !== 'add' || packages.length === 0) return { any: false, allLocal: false };
  return { any: packages.some((operand) => APK_FILE.test(operand)), allLocal: packages.every((operand) => LOCAL_APK.test(operand)) };
}

/** `npm config set strict-ssl false`, `git config --global http.sslVerify false`: no flag to drop, so no fix. */
function checkConfigCommands(invocation: Invocation, found: Found): void {
  const { name, args } = invocation;
  const isPackageManager = /^(?:npm|pnpm|yarn)$/.test(name);
  if (!isPackageManager && name !== 'git') return;
  const operands = args.filter((arg) => !arg.value.startsWith('-'));
  if (isPackageManager) {
    const setAt = operands[0]?.value === 'config' ? 1 : 0;
    if (operands[setAt]?.value !== 'set') return;
    const keyWord = operands[setAt + 1];
    if (!keyWord) return;
    const [key, inlineValue] = splitSetting(keyWord.value);
    const valueWord = inlineValue === '' ? operands[setAt + 2] : undefined;
    const value = valueWord?.value ?? inlineValue;
    if (key === 'strict-ssl' && FALSE_WORDS.has(value.toLowerCase())) {
      found({ start: keyWord.span.start, end: (valueWord ?? keyWord).span.end }, `${key} ${value}`, TLS, name);
    }
  }
  if (name === 'git' && firstOperand(args)?.value === 'config') {
    const keyIndex = operands.findIndex((operand) => GIT_SSL_VERIFY.test(operand.value));
    const keyWord = operands[keyIndex];
    const valueWord = operands[keyIndex + 1];
    if (keyWord && valueWord && FALSE_WORDS.has(valueWord.value.toLowerCase())) {
      found({ start: keyWord.span.start, end: valueWord.span.end }, `${keyWord.value} ${valueWord.value}`, TLS, 'git');
    }
  }
}

/** `VAR=value cmd`, `env VAR=value cmd` and `export VAR=value` for the variables of INSECURE_VARIABLES. */
function checkInsecureAssignments(command: ShellCommand, found: Found): void {
  const invocation = invocationOf(command);
  const report = (word: ShellWord, removable: boolean): void => {
    const [name, value] = splitSetting(word.value);
    const variable = word.value.includes('=') ? insecureVariable(name, value) : undefined;
    if (variable) found(word.span, name, TLS, variable.command, removable ? { words: word.span } : undefined);
  };
  // `GIT_SSL_NO_VERIFY=1 git clone …` loses the prefix cleanly; a bare assignment would leave a dangling `&&`.
  for (const word of command.assignments) report(word, invocation !== undefined);
  for (const wrapper of invocation?.wrappers ?? []) for (const option of wrapper.options) report(option, true);
  if (invocation?.name === 'export') for (const arg of invocation.args) report(arg, false);
}

function insecureVariable(name: string, value: string): (typeof INSECURE_VARIABLES)[number] | undefined {
  return INSECURE_VARIABLES.find((variable) => variable.name.test(name) && variable.disables(value));
}

function splitSetting(text: string): [string, string] {
  const equals = text.indexOf('=');
  return equals === -1 ? [text, ''] : [text.slice(0, equals), text.slice(equals + 1)];
}
