/**
 * Compose files (`compose.yaml`, `docker-compose.yml`): each `---` document parsed, its services
 * read, then the compose rules run through the one rule runner. A syntax error is a parse-error
 * (`docker compose` refuses the file too).
 */
import type { Span } from '../types';
import type { ComposeRule, RuleEnvironment } from '../rules/define';
import { runRules, type SectionFinding } from '../run';
import { parseYamlSection, splitYamlSections } from '../parse/yaml';
import { YamlView } from '../source/yaml-view';
import { YamlEditor } from '../fix/yaml-edits';
import { readComposeServices } from '../compose/services';
import type { RawAnalysis } from './raw-analysis';
import { shiftFinding, syntaxErrorOutcome } from './kubernetes';

export interface ComposeFileInput {
  environment: RuleEnvironment;
  rules: readonly ComposeRule[];
  /** False for files only shown, never fixed (closed files in the editor): no fix is computed. */
  withFixes: boolean;
}

/** `text` has no BOM. */
export function analyzeComposeFile(text: string, input: ComposeFileInput): RawAnalysis {
  const findings: SectionFinding[] = [];
  const failures: string[] = [];
  const blocks: Span[] = [];
  // YAML 1.2 reads a lone CR as a line break but the parser does not; LF has the same length.
  const parseText = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  splitYamlSections(parseText).forEach((section, index) => {
    blocks.push({ start: section.start, end: section.start + section.text.length });
    const doc = parseYamlSection(section.text);
    const error = doc.errors[0];
    if (error) {
      const broken = syntaxErrorOutcome(section.text, error, 'yamlSyntax', input.environment.today);
      for (const finding of broken.findings) findings.push(shiftFinding(finding, section.start, index));
      return;
    }
    const view = new YamlView(doc, section.text);
    const root = view.asMap(view.root);
    if (!root) return;
    const compose = { view, text: section.text, services: readComposeServices(view, root) };
    failures.push(
      ...runRules(input.rules, compose, {
        environment: input.environment,
        newEditor: () => new YamlEditor(section.text, view, false),
        withFixes: input.withFixes,
        sink: (finding) => findings.push(shiftFinding(finding, section.start, index)),
        describeSubject: () => 'the compose file',
      }),
    );
  });
  return { isKubernetes: false, findings, failures, blocks };
}
