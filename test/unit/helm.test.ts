import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixInPasses, resolveConfig, type Finding } from '../../server/src/engine';
import { prepareHelmTemplate } from '../../server/src/engine/parse/helm';
import { CONTROL_MASK, controlLines, controlMask, LINE_MASK, VALUE_MASK } from '../../server/src/engine/parse/helm-mask';

const config = resolveConfig({ profile: 'strict' });
const CHART_PATH = 'charts/app/templates/deployment.yaml';

function mask(text: string, path = CHART_PATH): string {
  const prepared = prepareHelmTemplate(path, text);
  assert.equal(prepared.skipped, undefined, JSON.stringify(prepared.skipped));
  assert.equal(prepared.text.length, text.length, 'masking keeps every offset');
  return prepared.text;
}

/** The comment a line of actions becomes: `#`, then `fill` up to the action text's length. */
function comment(actionText: string, fill: string): string {
  return `#${fill.repeat(actionText.length - 1)}`;
}

function findings(text: string, path = CHART_PATH): Finding[] {
  const result = analyze({ path, text, config });
  assert.deepEqual(result.failures, []);
  return result.findings;
}

function ruleIds(text: string, path = CHART_PATH): string[] {
  return findings(text, path).map((finding) => finding.ruleId);
}

/** A Deployment whose single container is `containerBody` (lines indented by 10 spaces). */
function deployment(containerBody: string, podBody = ''): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ include "app.fullname" . }}',
    'spec:',
    '  template:',
    '    spec:',
    podBody,
    '      containers:',
    '        - name: app',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    containerBody,
    '',
  ]
    .filter((line, index, all) => line !== '' || index === all.length - 1)
    .join('\n');
}

describe('Helm masking', () => {
  it('masks an action where a value is written as one scalar of the same length', () => {
    assert.equal(mask('image: {{ .Values.image }}\n'), `image: ${VALUE_MASK.repeat(19)}\n`);
  });

  it('masks actions inside quoted strings, as keys and as list items', () => {
    assert.equal(mask('image: "{{ .a }}:{{ .b }}"\n'), `image: "${VALUE_MASK.repeat(8)}:${VALUE_MASK.repeat(8)}"\n`);
    assert.equal(mask('{{ $k }}: v\n'), `${VALUE_MASK.repeat(8)}: v\n`);
    assert.equal(mask('args:\n  - {{ .x }}\n'), `args:\n  - ${VALUE_MASK.repeat(8)}\n`);
  });

  it('turns control actions on a line of their own into comments that hide nothing', () => {
    const text = 'a: 1\n  {{- if .Values.x }}\nb: 2\n{{- end -}}\n';
    // After the `if`, one conditional block is open: its fill says so (see controlMask).
    assert.equal(mask(text), `a: 1\n  ${comment('{{- if .Values.x }}', controlMask(1))}\nb: 2\n${comment('{{- end -}}', CONTROL_MASK)}\n`);
  });

  it('turns actions that write text on a line of their own into comments that may hide keys', () => {
    const text = 'metadata:\n  labels:\n    a: b\n    {{- include "labels" . | nindent 4 }}\n';
    const masked = mask(text);
    assert.equal(masked.split('\n')[3], `    ${comment('{{- include "labels" . | nindent 4 }}', LINE_MASK)}`);
  });

  it('masks a template comment spanning lines, keeping the line breaks', () => {
    const text = 'a: 1\n{{/* first\n   second */}}\r\nb: 2\n';
    assert.equal(mask(text), `a: 1\n${comment('{{/* first', CONTROL_MASK)}\n   ${comment('second */}}', CONTROL_MASK)}\r\nb: 2\n`);
  });

  it('reads `}}` inside a Go string as part of the action', () => {
    assert.equal(mask('a: {{ "}}" }}\n'), `a: ${VALUE_MASK.repeat(10)}\n`);
  });

  it('makes an action on the line below an empty key that key\'s value', () => {
    const text = 'spec:\n  resources:\n{{ toYaml .Values.resources | indent 4 }}\n  image: x\n';
    const masked = mask(text).split('\n')[2] ?? '';
    assert.equal(masked, `   ${VALUE_MASK.repeat(38)}`);
  });

  it('lets keys below `labels: {{- include … | nindent 4 }}` stay the value of labels', () => {
    const text = 'metadata:\n  labels: {{- include "l" . | nindent 4 }}\n    extra: x\n';
    assert.equal(mask(text).split('\n')[1], `  labels: ${comment('{{- include "l" . | nindent 4 }}', LINE_MASK)}`);
  });

  it('puts the comment of a line of actions at the column the action writes at', () => {
    const text = 'env:\n  - name: A\n{{- toYaml .Values.extraEnv | nindent 2 }}\nb:\n  c: 1\n    {{- with .x }}{{- toYaml . | nindent 2 }}{{- end }}\n';
    const lines = mask(text).split('\n');
    assert.equal(lines[2], `  ${comment('{{- toYaml .Values.extraEnv | nindent 2 }}'.slice(2), LINE_MASK)}`);
    assert.equal(lines[5]?.indexOf('#'), 2, 'the writing action in a with-block on one line counts');
  });

  it('reports an unterminated action in a chart template once, as skipped, with the line', () => {
    const result = analyze({ path: CHART_PATH, text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name\n', config });
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0]?.ruleId, 'file-skipped');
    assert.match(result.skipped ?? '', /Helm template: a \{\{ action is never closed with \}\} at line 4/);
  });

  it('reads a file outside a chart whose `{{` is not a Helm action as plain YAML', () => {
    assert.deepEqual(prepareHelmTemplate('config/app.yaml', 'a: {{b: 1}: c}\n'), { text: 'a: {{b: 1}: c}\n', isTemplate: false });
  });

  it('reads a file outside a chart as written when masking its `{{ … }}` makes it unreadable', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  n{{ame: x\nspec: {hostPID: true, containers: [{name: a, securityContext: {privileged: true}}]}\n';
    const result = analyze({ path: 'manifests/pod.yaml', text, config });
    assert.equal(result.skipped, undefined);
    assert.ok(result.findings.some((finding) => finding.ruleId === 'host-pid'));
    assert.equal(analyze({ path: CHART_PATH, text, config }).findings[0]?.ruleId, 'file-skipped');
  });

  it('reports a template that still does not parse once, as skipped, naming the line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n{{ if .x -}} a: {{- else -}} b: {{- end }}\n  c: d\n';
    const result = analyze({ path: CHART_PATH, text, config });
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), ['file-skipped']);
    assert.match(result.skipped ?? '', /^Helm template: with its \{\{ \}\} actions masked, line 4 is not valid YAML \(/);
  });
});

describe('Helm templates under the rules', () => {
  it('stays silent about settings a securityContext action may supply', () => {
    const text = deployment('          securityContext: {{- toYaml .Values.securityContext | nindent 12 }}');
    const ids = ruleIds(text);
    for (const id of ['privilege-escalation-allowed', 'run-as-non-root-unset', 'read-only-root-filesystem', 'capabilities-not-dropped']) {
      assert.ok(!ids.includes(id), `${id} must stay silent: ${ids.join(', ')}`);
    }
  });

  it('stays silent when the securityContext comes from an action on the next line', () => {
    const text = deployment('          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}');
    assert.ok(!ruleIds(text).includes('privilege-escalation-allowed'));
  });

  it('stays silent when an include on a line of its own may add keys to the container', () => {
    const text = deployment('          {{- include "app.securityContext" . | nindent 10 }}');
    assert.ok(!ruleIds(text).includes('privilege-escalation-allowed'));
  });

  it('lets an action inside env fill env only, never the container around it (RULES.md, Helm templates)', () => {
    const missingSettingRules = [
      'privilege-escalation-allowed', 'run-as-non-root-unset', 'read-only-root-filesystem', 'capabilities-not-dropped',
      'seccomp-profile-missing', 'resource-limits-missing', 'resource-requests-missing', 'liveness-probe-missing',
      'readiness-probe-missing', 'apparmor-profile-missing',
    ];
    const idioms = [
      '          env:\n            {{- with .Values.extraEnv }}\n            {{- toYaml . | nindent 12 }}\n            {{- end }}',
      '          env:\n          {{- with .Values.extraEnv }}{{- toYaml . | nindent 12 }}{{- end }}',
      '          env:\n            - name: A\n              value: b\n          {{- if .Values.extraEnvs }}\n            {{- toYaml .Values.extraEnvs | nindent 12 }}\n          {{- end }}',
    ];
    for (const idiom of idioms) {
      const ids = ruleIds(deployment(idiom));
      for (const id of missingSettingRules) assert.ok(ids.includes(id), `${id} must still report the container:\n${idiom}`);
    }
  });

  it('fills securityContext from an action below it even when another action below writes for the pod', () => {
    const text = deployment('          securityContext:\n            {{- toYaml .Values.securityContext | nindent 12 }}\n      {{- with .Values.extraContainers }}\n      {{- toYaml . | nindent 6 }}\n      {{- end }}');
    assert.ok(!ruleIds(text).includes('privilege-escalation-allowed'));
  });

  it('treats a probe filled by an action as present', () => {
    const text = deployment('          livenessProbe:\n            {{- toYaml .Values.livenessProbe | nindent 12 }}\n          readinessProbe: {{ toYaml .Values.readinessProbe | nindent 12 }}');
    const ids = ruleIds(text);
    assert.ok(!ids.includes('liveness-probe-missing'), ids.join(', '));
    assert.ok(!ids.includes('readiness-probe-missing'), ids.join(', '));
  });

  it('still reports missing settings around control actions, which add nothing', () => {
    const text = deployment('          {{- if .Values.resources }}\n          resources: {{ toYaml .Values.resources | nindent 12 }}\n          {{- end }}');
    assert.ok(ruleIds(text).includes('privilege-escalation-allowed'));
  });

  it('reports literal insecure values, at the text really there, with no fix into masked text', () => {
    const text = deployment(
      [
        '          securityContext:',
        '            {{- if .Values.debug }}',
        '            privileged: true',
        '            {{- end }}',
        '            allowPrivilegeEscalation: {{ .Values.allowPrivilegeEscalation }}',
      ].join('\n'),
    );
    const privileged = findings(text).find((finding) => finding.ruleId === 'privileged-container');
    assert.ok(privileged, 'privileged: true is written in the template');
    assert.equal(text.slice(privileged.span.start, privileged.span.end), 'true');
    assert.equal(privileged.range.start.line, 12);
    assert.ok(!ruleIds(text).includes('privilege-escalation-allowed'), 'a templated value is unknown');
  });

  it('never lets a fix touch masked text, and keeps fixed templates readable', () => {
    const text = deployment('          securityContext:\n            runAsUser: 0\n          {{- include "extra" . | nindent 10 }}');
    const fixed = fixInPasses(text, (current) => analyze({ path: CHART_PATH, text: current, config }).findings, () => true).text;
    for (const action of text.match(/\{\{[^}]*\}\}/g) ?? []) assert.ok(fixed.includes(action), `${action} survives`);
    assert.equal(analyze({ path: CHART_PATH, text: fixed, config }).skipped, undefined);
  });

  it('reads both branches of an if/else that write the same key', () => {
    const text = deployment('', '      {{- if .Values.hostNetwork }}\n      hostNetwork: true\n      {{- else }}\n      hostNetwork: false\n      {{- end }}');
    assert.ok(ruleIds(text).includes('host-network'));
  });

  it('shows a container name written with actions as the actions\' source in messages', () => {
    const text = deployment('').replace('- name: app', '- name: "{{ .Chart.Name }}-{{ .Values.suffix }}"');
    const finding = findings(text).find((f) => f.ruleId === 'privilege-escalation-allowed');
    assert.match(finding?.message ?? '', /Container "\{\{ \.Chart\.Name \}\}-\{\{ \.Values\.suffix \}\}"/);
  });

  it('shows resource, env, Secret and volume names and images written with actions as their source', () => {
    const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {{ include "app.fullname" . }}\nrules:\n  - apiGroups: [""]\n    resources: [secrets]\n    verbs: [list]\n';
    assert.match(findings(role).find((f) => f.ruleId === 'rbac-secrets-access')?.message ?? '', /^Role "\{\{ include "app\.fullname" \. \}\}" grants/);
    const env = deployment(
      [
        '          env:',
        '            - name: {{ .Values.tokenVariable }}',
        '              valueFrom: {secretKeyRef: {name: "{{ .Release.Name }}-creds", key: token}}',
        '          volumeMounts: [{name: sock, mountPath: /sock}]',
      ].join('\n'),
      '      volumes:\n        - name: {{ .Values.volumeName }}\n          hostPath: {path: /var/run/docker.sock}',
    );
    const messages = findings(env).map((f) => f.message);
    assert.ok(messages.includes('Container "app" reads Secret "{{ .Release.Name }}-creds" into the environment variable {{ .Values.tokenVariable }}; mount it as a file instead.'), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('Volume "{{ .Values.volumeName }}" mounts the host path /var/run/docker.sock')), messages.join('\n'));
    assert.ok(messages.every((m) => !/[\uE000-\uE002]/.test(m)), 'no mask character in any message');
    const image = deployment('').replace(/image: .*/, 'image: "docker.io/acme/app:{{ .Values.tag }}"');
    const untrusted = analyze({ path: CHART_PATH, text: image, config: resolveConfig({ profile: 'strict', trustedRegistries: ['ghcr.io'] }) });
    assert.match(untrusted.findings.find((f) => f.ruleId === 'untrusted-registry')?.message ?? '', /^Image "docker\.io\/acme\/app:\{\{ \.Values\.tag \}\}" /);
  });
});

describe('Helm conditional blocks in the masked text', () => {
  it('fills each control line with the number of if/with blocks open after it', () => {
    const template = [
      '{{- if .Values.enabled }}',
      'a: 1',
      '{{- range .Values.items }}',
      '{{- with .Values.sc }}',
      'b: 2',
      '{{- else }}',
      'c: 3',
      '{{- end }}',
      '{{- end }}',
      '{{- end }}',
      '',
    ].join('\n');
    const masked = prepareHelmTemplate('chart/templates/x.yaml', template).text;
    assert.equal(masked.length, template.length);
    assert.deepEqual(
      controlLines(masked).map((line) => line.depth),
      [1, 1, 2, 2, 1, 1, 0],
    );
  });
});
