/**
 * Measures Helm template analysis on a folder of chart templates (by default the real-world
 * corpus next to the repository): how many files are analysed, how many are skipped and why,
 * and how many findings each rule reports. The numbers in docs/helm.md come from this script.
 *
 *   npx tsx scripts/helm-report.ts [folder] [--profile strict] [--rule <id> --show N]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, PROFILES_LIST, resolveConfig, type Profile } from '../server/src/engine';
import { prepareHelmTemplate } from '../server/src/engine/parse/helm';
import { parseYamlSection, splitYamlSections } from '../server/src/engine/parse/yaml';
import { YamlView } from '../server/src/engine/source/yaml-view';
import { findPodSpecs, findResources } from '../server/src/engine/kubernetes/walker';

interface Shape {
  podSpecs: number;
  containers: number;
  /** Containers whose securityContext (or the pod's) a Helm action supplies: missing-setting rules stay silent. */
  unknownSecurity: number;
}

/** How many pod specs and containers the walker finds in a template, and how many are unknown. */
function shapeOf(path: string, text: string, shape: Shape): void {
  const prepared = prepareHelmTemplate(path, text);
  for (const section of splitYamlSections(prepared.text)) {
    const doc = parseYamlSection(section.text);
    if (doc.errors.length > 0) continue;
    const view = new YamlView(doc, section.text);
    for (const resource of findResources(view, section.text, '')) {
      for (const pod of findPodSpecs(resource)) {
        shape.podSpecs++;
        shape.containers += pod.containers.length;
        shape.unknownSecurity += pod.containers.filter((container) => container.security.effectiveUnknown).length;
      }
    }
  }
}

const DEFAULT_FOLDER = join(__dirname, '..', '..', 'shared', 'corpus', 'realworld', 'helm');

interface Options {
  folder: string;
  profile: Profile;
  rule?: string;
  show: number;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { folder: DEFAULT_FOLDER, profile: 'strict', show: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = argv[i + 1] ?? '';
    const profile = PROFILES_LIST.find((name) => name === value);
    if (arg === '--profile' && profile !== undefined) {
      options.profile = profile;
      i++;
    } else if (arg === '--rule') {
      options.rule = value;
      i++;
    } else if (arg === '--show') {
      options.show = Number(value);
      i++;
    } else if (!arg.startsWith('--')) {
      options.folder = arg;
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

function yamlFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(entry)) found.push(path);
  }
  return found;
}

/** The reason without its line number, so equal reasons group together. */
function reasonKind(reason: string): string {
  return reason.replace(/line \d+/g, 'line N').replace(/ \(.*\)/, (detail) => detail.replace(/"[^"]*"/g, '"…"'));
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function printCounts(title: string, counts: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    console.log(`${String(count).padStart(6)}  ${key}`);
  }
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const config = resolveConfig({ profile: options.profile });
  const files = yamlFiles(options.folder);
  let templates = 0;
  let analysed = 0;
  let withKubernetes = 0;
  let findingsTotal = 0;
  const skipped = new Map<string, number>();
  const perRule = new Map<string, number>();
  const filesPerRule = new Map<string, number>();
  const failures: string[] = [];
  const samples: string[] = [];
  const shape: Shape = { podSpecs: 0, containers: 0, unknownSecurity: 0 };
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const name = relative(options.folder, path);
    if (prepareHelmTemplate(path, text).isTemplate) templates++;
    const result = analyze({ path, text, config });
    failures.push(...result.failures.map((failure) => `${name}: ${failure.split('\n')[0] ?? failure}`));
    if (result.skipped !== undefined) {
      increment(skipped, reasonKind(result.skipped));
      if (options.show > 0) console.log(`skipped ${name}: ${result.skipped}`);
      continue;
    }
    analysed++;
    shapeOf(path, text, shape);
    if (result.fileKind !== undefined) withKubernetes++;
    const rulesHere = new Set<string>();
    for (const finding of result.findings) {
      if (finding.suppression) continue;
      findingsTotal++;
      increment(perRule, finding.ruleId);
      rulesHere.add(finding.ruleId);
      if (finding.ruleId === options.rule && samples.length < options.show) {
        const line = finding.range.start.line;
        const source = text.split(/\r?\n/)[line]?.trim() ?? '';
        samples.push(`${name}:${line + 1}:${finding.range.start.character + 1} ${finding.message}\n      ${source}`);
      }
    }
    for (const rule of rulesHere) increment(filesPerRule, rule);
  }
  console.log(`folder: ${options.folder}`);
  console.log(`profile: ${options.profile}`);
  console.log(`files: ${files.length} (with {{ }} actions: ${templates})`);
  console.log(`analysed: ${analysed} (with Kubernetes objects: ${withKubernetes})`);
  console.log(`skipped: ${files.length - analysed}`);
  console.log(`pod specs: ${shape.podSpecs}, containers: ${shape.containers} (securityContext supplied by an action: ${shape.unknownSecurity})`);
  console.log(`findings: ${findingsTotal}`);
  console.log(`engine failures: ${failures.length}`);
  printCounts('skipped, by reason:', skipped);
  printCounts('findings per rule (findings, then files):', new Map([...perRule].map(([rule, count]) => [`${rule} (${filesPerRule.get(rule) ?? 0} files)`, count])));
  for (const failure of failures) console.log(`FAILURE ${failure}`);
  if (samples.length > 0) console.log(`\nsample of ${options.rule ?? ''}:\n${samples.join('\n')}`);
}

main();
