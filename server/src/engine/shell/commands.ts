/**
 * What a parsed shell script runs: the command behind wrappers (`sudo`, `env`, ...), option
 * reading, and every script nested in another (`$(…)`, `<(…)`, `sh -c '…'`), so rules see
 * `sh -c "curl -k …"` as the `curl` it runs.
 */
import { parseShell, wordSource, type ShellCommand, type ShellScript, type ShellWord } from './parse';
import { InputLimitError, MAX_SHELL_NESTING } from '../limits';

/** A command that runs another command given as its arguments. */
export interface ShellWrapper {
  word: ShellWord;
  /** The wrapper's own options and operands (`-u app`, `NAME=value`), before the wrapped command. */
  options: ShellWord[];
}

export interface Invocation {
  command: ShellCommand;
  /** Outermost first: `sudo env X=1 curl` has `sudo` and `env`. */
  wrappers: ShellWrapper[];
  /** The command proper. */
  nameWord: ShellWord;
  /** Its base name, `curl` for `/usr/bin/curl`. */
  name: string;
  args: ShellWord[];
}

const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);

/** Options of each wrapper that take a separate value. */
const WRAPPER_OPTIONS_WITH_VALUE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['sudo', new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R'])],
  ['env', new Set(['-u', '-C', '-S'])],
  ['nice', new Set(['-n'])],
  ['exec', new Set(['-a'])],
  ['command', new Set<string>()],
  ['nohup', new Set<string>()],
  ['time', new Set(['-f', '-o'])],
  ['timeout', new Set(['-s', '-k'])],
  // `find … | xargs chmod 777`: xargs runs the command after its options with the piped words.
  ['xargs', new Set(['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a'])],
]);

export function isShellName(name: string): boolean {
  return SHELLS.has(name);
}

/** `curl` for `/usr/bin/curl`, and for `C:\tools\curl.exe` in Windows images. */
export function baseName(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return /\.exe$/i.test(name) ? name.slice(0, -4) : name;
}

/**
 * Every rule about RUN asks what the same commands run; read once per command (null: a bare
 * assignment). A command of an unchanged RUN is shared by analyses until an edit above moves it.
 */
const invocationCache = new WeakMap<ShellCommand, Invocation | null>();

/** The command a simple command runs, looking through wrappers; undefined for bare assignments. */
export function invocationOf(command: ShellCommand): Invocation | undefined {
  let invocation = invocationCache.get(command);
  if (invocation === undefined) {
    invocation = readInvocation(command) ?? null;
    invocationCache.set(command, invocation);
  }
  return invocation ?? undefined;
}

function readInvocation(command: ShellCommand): Invocation | undefined {
  const wrappers: ShellWrapper[] = [];
  let index = 0;
  for (;;) {
    const word = command.words[index];
    if (word === undefined) return undefined;
    const name = baseName(word.value);
    const withValue = WRAPPER_OPTIONS_WITH_VALUE.get(name);
    const next = command.words[index + 1];
    if (withValue === undefined || next === undefined) {
      return { command, wrappers, nameWord: word, name, args: command.words.slice(index + 1) };
    }
    const options: ShellWord[] = [];
    index++;
    while (index < command.words.length) {
      const option = command.words[index];
      if (option === undefined) break;
      const isOption = option.value.startsWith('-') && option.value !== '-';
      const isEnvAssignment = name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(option.value);
      if (option.value === '--') {
        options.push(option);
        index++;
        break;
      }
      if (!isOption && !isEnvAssignment) break;
      options.push(option);
      index++;
      if (withValue.has(option.value) && command.words[index] !== undefined) {
        options.push(command.words[index] as ShellWord);
        index++;
      }
    }
    // `timeout 30 cmd`: the duration comes before the command.
    if (name === 'timeout' && command.words[index] !== undefined) {
      options.push(command.words[index] as ShellWord);
      index++;
    }
    wrappers.push({ word, options });
  }
}

/** The script word of `sh -c 'script'` (also `bash -ec`, `sh -o pipefail -c`), if any. */
export function shellScriptWord(invocation: Invocation): ShellWord | undefined {
  if (!isShellName(invocation.name)) return undefined;
  const args = invocation.name === 'busybox' && invocation.args[0]?.value === 'sh' ? invocation.args.slice(1) : invocation.args;
  let seenC = false;
  for (let i = 0; i < args.length; i++) {
    const value = args[i]?.value ?? '';
    if (value === '-o' || value === '+o' || value === '-O' || value === '+O') {
      i++;
      continue;
    }
    if (/^-[A-Za-z]+$/.test(value)) {
      seenC ||= value.includes('c');
      continue;
    }
    if (value.startsWith('--')) continue;
    return seenC ? args[i] : undefined;
  }
  return undefined;
}

/**
 * The script and every script inside it, outermost first: command and process substitutions
 * in any word, and the scripts that `sh -c` runs.
 */
export function allScripts(root: ShellScript): ShellScript[] {
  const cached = nestedCache.get(root);
  if (cached) return cached;
  const found: ShellScript[] = [];
  const visit = (script: ShellScript, depth: number): void => {
    found.push(script);
    // `sh -c "$(sh -c …)"` nests scripts the reader sees one level at a time; bound them together.
    if (depth > MAX_SHELL_NESTING) throw new InputLimitError(`A RUN instruction nests shell scripts more than ${MAX_SHELL_NESTING} deep`, firstOffset(script));
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        const words = [...command.assignments, ...command.words, ...command.redirects.flatMap((r) => (r.target ? [r.target] : []))];
        for (const word of words) for (const nested of word.substitutions) visit(nested, depth + 1);
        const invocation = invocationOf(command);
        const scriptWord = invocation ? shellScriptWord(invocation) : undefined;
        if (scriptWord) visit(parseShell(wordSource(scriptWord)), depth + 1);
      }
    }
  };
  visit(root, 0);
  nestedCache.set(root, found);
  return found;
}

function firstOffset(script: ShellScript): number | undefined {
  return script.pipelines[0]?.commands[0]?.words[0]?.span.start;
}

/** Every rule about RUN walks the same scripts: `sh -c` words are read once per script. */
const nestedCache = new WeakMap<ShellScript, ShellScript[]>();

const invocationsCache = new WeakMap<ShellScript, readonly Invocation[]>();

/** Every command the script runs, nested scripts included, with what it runs. */
export function allInvocations(root: ShellScript): readonly Invocation[] {
  const cached = invocationsCache.get(root);
  if (cached) return cached;
  const invocations: Invocation[] = [];
  for (const script of allScripts(root)) {
    for (const pipeline of script.pipelines) {
      for (const command of pipeline.commands) {
        const invocation = invocationOf(command);
        if (invocation) invocations.push(invocation);
      }
    }
  }
  invocationsCache.set(root, invocations);
  return invocations;
}

/** The first argument that is not an option (`apt-get -y install` → `install`). */
export function firstOperand(args: readonly ShellWord[]): ShellWord | undefined {
  return args.find((arg) => !arg.value.startsWith('-'));
}

/** Every simple command of the script, nested scripts included (bare assignments too). */
export function allCommands(root: ShellScript): ShellCommand[] {
  return allScripts(root).flatMap((script) => script.pipelines.flatMap((pipeline) => pipeline.commands));
}
