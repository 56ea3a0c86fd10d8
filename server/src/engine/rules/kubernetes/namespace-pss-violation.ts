import { defineWorkloadRule, type KubernetesSubject } from '../define';
import type { Severity } from '../../types';
import { containsAnyMask } from '../../parse/helm-mask';
import type { AdmissionMode, NamespaceFact } from '../../workspace/facts';

/** The modes a Namespace label sets, strongest first, with the severity of their finding (RULES.md). */
const MODES: ReadonlyArray<readonly [AdmissionMode, Severity]> = [
  ['enforce', 'error'],
  ['warn', 'warning'],
  ['audit', 'info'],
];

const LEVELS = ['baseline', 'restricted'] as const;

export default defineWorkloadRule({
  meta: {
    id: 'namespace-pss-violation',
    title: 'Workloads must meet the Pod Security Standards level their namespace enforces',
    description:
      'A Namespace labelled pod-security.kubernetes.io/enforce: baseline or restricted makes Pod Security Admission reject every pod that breaks that level. The Deployment applies, but its pods are never created; warn and audit labels report them instead.',
    severity: 'error',
    profile: 'baseline',
    crossFile: true,
    // Offered as an editor action over the workload's containers (Finding.hardenAll), not as one edit.
    fix: 'Harden all containers',
    messages: {
      enforce: '{kind} "{name}" breaks the Pod Security Standards {level} level that namespace "{namespace}" enforces{version}: {controls}. Pod Security Admission will reject its pods.',
      warn: '{kind} "{name}" breaks the Pod Security Standards {level} level that namespace "{namespace}" warns about{version}: {controls}. kubectl will warn when it is applied.',
      audit: '{kind} "{name}" breaks the Pod Security Standards {level} level that namespace "{namespace}" audits{version}: {controls}. The audit log will record it.',
    },
  },
  check(workload, { report, workspace }) {
    const { resource, pods } = workload;
    if (pods.length === 0) return;
    const field = resource.view.field(resource.metadata, 'namespace');
    const namespace = field ? resource.view.getString(resource.metadata, 'namespace') : undefined;
    // A namespace a Helm action writes (`{{ .Release.Namespace }}`) is not known until install.
    if (!field || namespace === undefined || containsAnyMask(namespace)) return;
    const namespaces = workspace.namespaces(namespace);
    for (const [mode, severity] of MODES) {
      for (const fact of namespaces) {
        const found = violationsUnder(fact, mode, workload.admissionViolations);
        if (!found) continue;
        const { label, level, version, violations } = found;
        report({
          messageId: mode,
          severity,
          data: {
            kind: resource.kind,
            name: resource.name ?? resource.kind,
            level,
            namespace,
            version: label.version && label.version !== 'latest' ? ` (version ${version})` : '',
            controls: [...new Set(violations.map((violation) => violation.control))].join(', '),
          },
          at: field.valueSpan,
          related: [{ in: label.at, message: `Namespace "${namespace}" ${mode === 'enforce' ? 'enforces' : mode === 'warn' ? 'warns about' : 'audits'} the ${level} level here.` }],
          // Harden all containers, only when every control broken has a hardening fix (RULES.md).
          ...(violations.every((violation) => violation.fixable && violation.containerKey !== undefined)
            ? { hardenAll: { containerKeys: [...new Set(violations.flatMap((violation) => (violation.containerKey === undefined ? [] : [violation.containerKey])))], profile: level } }
            : {}),
        });
        return;
      }
    }
  },
});

/** What the label's level and version reject of this workload, or undefined when nothing. */
function violationsUnder(fact: NamespaceFact, mode: AdmissionMode, evaluate: KubernetesSubject['admissionViolations']) {
  const label = fact.admission[mode];
  // `privileged` admits everything; any other value is one the API server refuses on the Namespace.
  const level = LEVELS.find((candidate) => candidate === label?.level);
  if (!label || !level) return undefined;
  // No version, `latest` or one we cannot read: the newest controls, as PSA reads `latest`.
  const pinned = minorOf(label.version);
  const violations = evaluate(level, pinned).filter((violation) => pinned === undefined || violation.since === undefined || (minorOf(violation.since) ?? 0) <= pinned);
  return violations.length > 0 ? { label, level, version: label.version, violations } : undefined;
}

function minorOf(version: string | undefined): number | undefined {
  const match = /^v1\.(\d+)$/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}
