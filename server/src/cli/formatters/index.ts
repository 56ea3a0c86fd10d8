import { formatGithub } from './github';
import { formatGitlab } from './gitlab';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';
import type { ScanReport } from './types';

export interface FormatOptions {
  color: boolean;
  quiet: boolean;
}

/** Every `--format`, by name. Only `text` reads the options: the others are machine-read. */
export const FORMATTERS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  gitlab: formatGitlab,
} satisfies Record<string, (report: ScanReport, options: FormatOptions) => string>;

export type FormatName = keyof typeof FORMATTERS;

export const FORMAT_NAMES = Object.keys(FORMATTERS) as FormatName[];

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATTERS, name);
}
