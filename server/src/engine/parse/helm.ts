import { isChartTemplatePath } from '../file-kind';

export interface PreparedYaml {
  /** The text to parse: the file itself, or a masked template of the same length. */
  text: string;
  /** Why the file cannot be analysed, when it cannot. */
  skipped?: string;
}

/**
 * Helm chart templates are analysed as written (RULES.md, "Helm templates"). Until action
 * masking lands, a template is reported as skipped with that reason rather than mis-read.
 */
export function prepareHelmTemplate(path: string, text: string): PreparedYaml {
  if (text.includes('{{') || (isChartTemplatePath(path) && text.includes('{{'))) {
    return { text, skipped: 'Helm template ({{ }} actions): template analysis is not available yet; the file was not analysed.' };
  }
  return { text };
}
