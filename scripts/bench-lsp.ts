/**
 * Editor latency of the built language server next to its peers, with the shared harness
 * (`../shared/bench`, dependency-free): keystroke → diagnostics, open, bursts, code actions and
 * RSS on generated manifests (100, 1,000, 10,000 lines) and Dockerfiles (50, 500 lines), plus the
 * parse-only floor (a fresh process making the engine's parser calls with the same options).
 * Peers are installed into `.bench-cache/peers`, outside the project's dependency tree.
 * Run with `npm run bench:lsp`; figures are benchmarks, never asserted (STYLE.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../test/protocol/lsp-client';

const REPO = resolve(__dirname, '..');
const HARNESS = resolve(REPO, '..', 'shared', 'bench');
const CACHE = join(REPO, '.bench-cache');
const DOCS = join(CACHE, 'docs');
const PEERS = join(CACHE, 'peers');
const PEER_PACKAGES = ['yaml-language-server@1.25.0', 'dockerfile-language-server-nodejs@0.15.0'];
const EDITS = process.env.BENCH_EDITS ?? '30';

const YAML_FILES = ['k8s-100.yaml', 'k8s-1000.yaml', 'k8s-10000.yaml'];
const DOCKERFILES = ['Dockerfile.50', 'Dockerfile.500'];
/** A file where nearly every document is insecure: what a keystroke costs when thousands of diagnostics are published. */
const FINDINGS_FILE = 'k8s-13000-findings.yaml';
const FINDINGS_FILE_LINES = 13_000;

/** Targets (issues 6 and 20): keystroke medians in ms, RSS in MiB, cold open over the parse floor. */
const KEYSTROKE_TARGETS: Record<string, number> = { 'k8s-1000.yaml': 3, 'k8s-10000.yaml': 10, 'Dockerfile.500': 3, [FINDINGS_FILE]: 30 };
const RSS_TARGET_MIB = 120;
const COLD_OPEN_OVER_FLOOR = 1.3;

function installPeers(): void {
  const marker = join(PEERS, 'node_modules', '.bin', 'yaml-language-server');
  if (existsSync(marker) && existsSync(join(PEERS, 'node_modules', '.bin', 'docker-langserver'))) return;
  mkdirSync(PEERS, { recursive: true });
  writeFileSync(join(PEERS, 'package.json'), '{"private": true}\n');
  console.log(`installing ${PEER_PACKAGES.join(', ')} into ${PEERS}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...PEER_PACKAGES], { cwd: PEERS, stdio: 'inherit' });
}

function makeDocs(): void {
  if (![...YAML_FILES, ...DOCKERFILES].every((name) => existsSync(join(DOCS, name)))) {
    execFileSync(process.execPath, [join(HARNESS, 'make-docs.mjs'), '--out', DOCS], { stdio: 'inherit' });
  }
  writeFileSync(join(DOCS, FINDINGS_FILE), findingsDoc());
}

/**
 * 13,000 lines of `---` documents, each the insecure example Deployment under its own name with
 * one more literal secret: about 18 findings a document, 5,000 in the file under the recommended profile.
 */
function findingsDoc(): string {
  const example = readFileSync(join(REPO, 'examples', 'kubernetes', 'insecure', 'deployment.yaml'), 'utf8')
    .replace(/\n$/, '')
    .replace('            - name: LOG_LEVEL', '            - name: API_TOKEN\n              value: "tok-123"\n            - name: LOG_LEVEL');
  const lines: string[] = [];
  for (let index = 0; lines.length + example.split('\n').length + 1 <= FINDINGS_FILE_LINES; index++) {
    lines.push(...example.replace(/storefront/g, `storefront-${index}`).split('\n'), '---');
  }
  while (lines.length < FINDINGS_FILE_LINES) lines.push('# padding');
  return `${lines.join('\n')}\n`;
}

interface FloorFigures {
  cold: number;
  warm: number;
}

/**
 * The parse-only floor, in a fresh process: the engine's own split and parser calls (YAML
 * sections no rule reads are not parsed by the engine either), timed cold and warm.
 */
function parseFloor(file: string): FloorFigures {
  const script = `
    const { readFileSync } = require('node:fs');
    const { splitYamlSections, parseYamlSection } = require(${JSON.stringify(join(REPO, 'server/src/engine/parse/yaml'))});
    const { sectionNeedsAnalysis } = require(${JSON.stringify(join(REPO, 'server/src/engine/analysis/kubernetes'))});
    const { parseDockerfile } = require(${JSON.stringify(join(REPO, 'server/src/engine/parse/dockerfile'))});
    const text = readFileSync(${JSON.stringify(file)}, 'utf8');
    const isDockerfile = ${JSON.stringify(file.includes('Dockerfile'))};
    const parse = () => {
      if (isDockerfile) return parseDockerfile(text);
      for (const section of splitYamlSections(text)) if (sectionNeedsAnalysis(section.text)) parseYamlSection(section.text);
    };
    let start = performance.now();
    parse();
    const cold = performance.now() - start;
    const warm = [];
    for (let i = 0; i < 5; i++) { start = performance.now(); parse(); warm.push(performance.now() - start); }
    warm.sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({ cold, warm: warm[2] }));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`parse floor failed for ${file}: ${run.stderr}`);
  const parsed: unknown = JSON.parse(run.stdout);
  if (typeof parsed === 'object' && parsed !== null && 'cold' in parsed && 'warm' in parsed && typeof parsed.cold === 'number' && typeof parsed.warm === 'number') {
    return { cold: parsed.cold, warm: parsed.warm };
  }
  throw new Error(`parse floor for ${file} printed ${run.stdout}`);
}

interface Sample {
  server: string;
  file: string;
  metric: string;
  median: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Medians from the harness's JSON: `summary[] = {name, files[] = {file, "<metric>": {median}}}`. */
function readMedians(jsonFile: string): Sample[] {
  const doc: unknown = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const samples: Sample[] = [];
  const summary = isRecord(doc) && Array.isArray(doc.summary) ? doc.summary : [];
  for (const server of summary) {
    if (!isRecord(server) || typeof server.name !== 'string' || !Array.isArray(server.files)) continue;
    for (const file of server.files) {
      if (!isRecord(file) || typeof file.file !== 'string') continue;
      for (const [metric, stats] of Object.entries(file)) {
        if (isRecord(stats) && typeof stats.median === 'number') samples.push({ server: server.name, file: file.file, metric, median: stats.median });
      }
    }
  }
  return samples;
}

function runHarness(servers: Array<{ command: string; name: string }>, files: string[], jsonFile: string): void {
  const args = [join(HARNESS, 'lsp-latency.mjs')];
  for (const server of servers) args.push('--server', server.command, '--name', server.name);
  for (const file of files) args.push('--file', join(DOCS, file));
  args.push('--edits', EDITS, '--json', jsonFile, '--settings', JSON.stringify({ shipshape: { profile: 'recommended' } }));
  const run = spawnSync(process.execPath, args, { cwd: REPO, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`the harness failed (exit ${run.status ?? 'signal'})`);
}

/** Issue 15's target: a keystroke in a base that 10 overlays build re-publishes within this (median, ms). */
const KUSTOMIZE_KEYSTROKE_TARGET = 30;
const KUSTOMIZE_OVERLAYS = 10;

/** A base (two Deployments and a Service) and overlays that each patch and rename it, like an environments repository. */
function makeKustomizeWorkspace(dir: string, overlays: number): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'base'), { recursive: true });
  const deployment = (name: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  labels:\n    app: ${name}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: ${name}\n          image: registry.example.com/shop/${name}:1.4.2\n          ports:\n            - containerPort: 8080\n          env:\n            - name: LOG_LEVEL\n              value: info\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n`;
  writeFileSync(join(dir, 'base', 'deployment.yaml'), `${deployment('web')}---\n${deployment('api')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n`);
  writeFileSync(join(dir, 'base', 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
  for (let i = 1; i <= overlays; i++) {
    const overlay = join(dir, 'overlays', `env-${i}`);
    mkdirSync(overlay, { recursive: true });
    writeFileSync(join(overlay, 'kustomization.yaml'), `namespace: env-${i}\nnamePrefix: env-${i}-\nresources:\n  - ../../base\npatches:\n  - path: harden.yaml\nimages:\n  - name: registry.example.com/shop/api\n    newTag: 1.5.${i}\n`);
    const hardening = i % 2 === 0 ? '          securityContext:\n            readOnlyRootFilesystem: true\n' : '';
    writeFileSync(join(overlay, 'harden.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n${hardening}          env:\n            - name: ENVIRONMENT\n              value: env-${i}\n`);
  }
  return join(dir, 'base', 'deployment.yaml');
}

/**
 * Keystroke → diagnostics in a base that 10 overlays build (every build rebuilt and judged
 * again), next to the same edit in the same file when no kustomization includes it.
 */
async function kustomizeKeystroke(): Promise<void> {
  const edits = Number(EDITS);
  const measure = async (withOverlays: boolean): Promise<number> => {
    const dir = join(CACHE, withOverlays ? 'kustomize-overlays' : 'kustomize-alone');
    const base = makeKustomizeWorkspace(dir, withOverlays ? KUSTOMIZE_OVERLAYS : 0);
    if (!withOverlays) rmSync(join(dir, 'base', 'kustomization.yaml'));
    const client = new LspClient();
    try {
      await client.initialize({ rootPath: dir });
      const uri = pathToFileURL(base).href;
      const opened = client.diagnostics(uri, 1);
      client.open(uri, 'yaml', readFileSync(base, 'utf8'));
      await opened;
      const times: number[] = [];
      const line = 18; // `          image: registry.example.com/shop/web:1.4.2`
      for (let i = 0; i < edits; i++) {
        const version = i + 2;
        const published = client.diagnostics(uri, version);
        const start = performance.now();
        client.notify('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line, character: 50 + i }, end: { line, character: 50 + i } }, text: String(i % 10) }],
        });
        await published;
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)] ?? Number.NaN;
    } finally {
      await client.shutdown();
    }
  };
  const alone = await measure(false);
  const built = await measure(true);
  console.log(`\n== Kustomize: keystroke in a base built by ${KUSTOMIZE_OVERLAYS} overlays (medians of ${edits} edits; ratio within this run)`);
  console.log(`alone ${alone.toFixed(1)} ms   through ${KUSTOMIZE_OVERLAYS} builds ${built.toFixed(1)} ms (target ≤ ${KUSTOMIZE_KEYSTROKE_TARGET})   ratio ${(built / alone).toFixed(1)}x`);
}

async function main(): Promise<void> {
  if (!existsSync(join(REPO, 'server', 'out', 'server.js'))) throw new Error('build first: node esbuild.mjs');
  mkdirSync(CACHE, { recursive: true });
  // BENCH_ONLY=kustomize runs the Kustomize scenario alone (no peers to install).
  if (process.env.BENCH_ONLY === 'kustomize') {
    await kustomizeKeystroke();
    return;
  }
  makeDocs();
  installPeers();
  const shipshape = { command: `node ${join(REPO, 'server', 'out', 'server.js')} --stdio`, name: 'shipshape' };
  const yamlJson = join(CACHE, 'lsp-yaml.json');
  const dockerJson = join(CACHE, 'lsp-dockerfile.json');
  runHarness([shipshape, { command: `${join(PEERS, 'node_modules', '.bin', 'yaml-language-server')} --stdio`, name: 'yaml-ls' }], YAML_FILES, yamlJson);
  runHarness([shipshape, { command: `${join(PEERS, 'node_modules', '.bin', 'docker-langserver')} --stdio`, name: 'docker-ls' }], DOCKERFILES, dockerJson);
  const findingsJson = join(CACHE, 'lsp-findings.json');
  runHarness([shipshape], [FINDINGS_FILE], findingsJson);

  const samples = [...readMedians(yamlJson), ...readMedians(dockerJson), ...readMedians(findingsJson)];
  const median = (server: string, file: string, metric: RegExp): number | undefined =>
    samples.find((s) => s.server === server && s.file.endsWith(file) && metric.test(s.metric))?.median;
  console.log('\n== Shipshape against issue 6 targets (medians; ratios within this run)');
  console.log('file                     keystroke ms  target  peer ms   ratio  cold open ms  parse floor cold/warm ms  cold/floor  RSS MiB');
  for (const file of [...YAML_FILES, ...DOCKERFILES, FINDINGS_FILE]) {
    const peer = file.startsWith('k8s') ? 'yaml-ls' : 'docker-ls';
    const ours = median('shipshape', file, /keystroke/);
    const theirs = median(peer, file, /keystroke/);
    const cold = median('shipshape', file, /open cold/);
    const rss = median('shipshape', file, /RSS/);
    const floor = parseFloor(join(DOCS, file));
    const format = (value: number | undefined, digits = 1): string => (value === undefined ? '-' : value.toFixed(digits));
    console.log(
      [
        file.padEnd(24),
        format(ours).padStart(12),
        (KEYSTROKE_TARGETS[file] === undefined ? '' : `≤${KEYSTROKE_TARGETS[file]}`).padStart(7),
        format(theirs).padStart(8),
        (ours !== undefined && theirs !== undefined ? `${(ours / theirs).toFixed(3)}x` : '-').padStart(7),
        format(cold).padStart(13),
        `${floor.cold.toFixed(1)} / ${floor.warm.toFixed(1)}`.padStart(26),
        (cold !== undefined ? `${(cold / floor.cold).toFixed(2)}x` : '-').padStart(11),
        format(rss).padStart(8),
      ].join(' '),
    );
  }
  console.log(`targets: keystroke as listed; cold open of k8s-10000 ≤ ${COLD_OPEN_OVER_FLOOR}x the cold parse floor; RSS after k8s-10000 ≤ ${RSS_TARGET_MIB} MiB`);
  await kustomizeKeystroke();
  // A keystroke in a Deployment whose image a report scanned (BENCH_BASELINE_SERVER adds another build).
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'bench-vulnerability-reports.ts')], { cwd: REPO, stdio: 'inherit' });
  // A Namespace keystroke re-publishing its 200 closed workloads (issue 19).
  spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'scripts', 'bench-workspace.ts')], { cwd: REPO, stdio: 'inherit' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
