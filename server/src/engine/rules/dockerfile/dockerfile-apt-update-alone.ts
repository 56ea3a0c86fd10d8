import { defineDockerfileRule } from '../define';
import { allInvocations, firstOperand, type Invocation } from '../../shell/commands';

/** Package managers, the subcommand that refreshes their index, and the ones that install from it. */
const MANAGERS: ReadonlyMap<string, { refresh: ReadonlySet<string>; install: ReadonlySet<string> }> = new Map([
  ...['apt-get', 'apt', 'aptitude'].map((name) => [name, { refresh: new Set(['update']), install: new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep', 'reinstall', 'safe-upgrade']) }] as const),
  ['apk', { refresh: new Set(['update']), install: new Set(['add', 'upgrade', 'fix']) }],
  ...['yum', 'dnf', 'microdnf', 'tdnf'].map((name) => [name, { refresh: new Set(['makecache']), install: new Set(['install', 'update', 'upgrade', 'groupinstall', 'reinstall', 'localinstall', 'builddep', 'distro-sync']) }] as const),
]);

export default defineDockerfileRule({
  meta: {
    id: 'dockerfile-apt-update-alone',
    title: 'Refresh the package index in the RUN that installs',
    description:
      'A RUN that only refreshes the package index caches it in its own layer. Later RUNs reuse that layer from the build cache and install from an index that can be months old, missing security updates. Refresh and install in one RUN.',
    severity: 'warning',
    profile: 'recommended',
    messages: {
      alone: '"{command}" runs in a RUN that installs nothing; the cached index goes stale. Install in the same RUN.',
    },
  },
  checkRun(_run, scripts, { report }) {
    const invocations = scripts.flatMap((script) => allInvocations(script));
    if (invocations.some((invocation) => subcommandIn(invocation, 'install'))) return;
    for (const invocation of invocations) {
      const refresh = subcommandIn(invocation, 'refresh');
      if (!refresh) continue;
      report({
        messageId: 'alone',
        data: { command: `${invocation.name} ${refresh.value}` },
        at: { start: invocation.nameWord.span.start, end: refresh.span.end },
      });
    }
  },
});

function subcommandIn(invocation: Invocation, kind: 'refresh' | 'install'): ReturnType<typeof firstOperand> {
  const manager = MANAGERS.get(invocation.name);
  const subcommand = firstOperand(invocation.args);
  return manager && subcommand && manager[kind].has(subcommand.value) ? subcommand : undefined;
}
