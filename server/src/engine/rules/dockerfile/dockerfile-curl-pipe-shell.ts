import { defineDockerfileRule } from '../define';
import { allInvocations, allScripts, invocationOf, isShellName, shellScriptWord, type Invocation } from '../../shell/commands';
import type { ShellWord } from '../../shell/parse';

const DOWNLOADERS: ReadonlySet<string> = new Set(['curl', 'wget']);
/** Commands that run the text of their arguments as a script: `bash <(curl …)`, `eval "$(curl …)"`. */
const SCRIPT_RUNNERS: ReadonlySet<string> = new Set(['source', '.', 'eval']);

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-curl-pipe-shell',
    title: 'Downloaded scripts must not be piped into a shell',
    description:
      'Piping a download into a shell runs whatever the server sends at build time, unreviewed and unverified, with the build\'s privileges; a truncated download can even run half a script. Download to a file, verify its checksum or signature, then run it.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      piped: '{shell} runs a script downloaded by {downloader} without verifying it; download it to a file, check its checksum, then run it.',
    },
  },
  checkRun(_run, scripts, { report }) {
    const reportShell = (shell: Invocation, downloader: string): void =>
      report({ messageId: 'piped', data: { shell: shell.name, downloader }, at: shell.nameWord.span });
    for (const root of scripts) {
      // `curl … | sh`, `wget -O- … | tee x | sudo bash`: a later stage of the pipeline is a shell reading stdin.
      for (const script of allScripts(root)) {
        for (const pipeline of script.pipelines) {
          let downloader: string | undefined;
          for (const command of pipeline.commands) {
            const invocation = invocationOf(command);
            if (!invocation) continue;
            if (downloader && isShellName(invocation.name) && !shellScriptWord(invocation)) reportShell(invocation, downloader);
            if (DOWNLOADERS.has(invocation.name)) downloader ??= invocation.name;
          }
        }
      }
      // `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget -O- …)"`.
      for (const invocation of allInvocations(root)) {
        if (!isShellName(invocation.name) && !SCRIPT_RUNNERS.has(invocation.name)) continue;
        const downloader = invocation.args.map(downloadIn).find((name) => name !== undefined);
        if (downloader) reportShell(invocation, downloader);
      }
    }
  },
});

/** The downloader a word's substitutions run, if any. */
function downloadIn(word: ShellWord): string | undefined {
  for (const substitution of word.substitutions) {
    const found = allInvocations(substitution).find((invocation) => DOWNLOADERS.has(invocation.name));
    if (found) return found.name;
  }
  return undefined;
}
