import type { Finding, ReportData, Span } from '../types';
import type { LineIndex } from '../source/text';
import { FILE_SKIPPED_MESSAGES, type SkipReason } from '../skip';
import { CONFIG_ERROR_MESSAGES, type ConfigErrorMessageId } from '../settings/messages';
import { KUSTOMIZE_ERROR_MESSAGES } from '../kustomize/messages';
import { defineEngineFinding } from './define';

/**
 * Findings the engine reports itself (RULES.md, "Findings that are not rules"), with their
 * messages; `at()` is the one way any part of Shipshape builds one.
 */

export const parseError = defineEngineFinding({
  id: 'parse-error',
  title: 'The file has a YAML or Dockerfile syntax error',
  description:
    'A document that does not parse cannot be checked, and Kubernetes or Docker would reject it too. The rest of the file is still analysed.',
  severity: 'error',
  messages: {
    yamlSyntax: 'YAML syntax error: {reason}. This document is not analysed until it parses.',
    yamlSyntaxWhileEditing: 'YAML syntax error: {reason}. The document is not analysed again until it parses.',
    yamlSyntaxRecovered: 'YAML syntax error: {reason}. Until it parses, the document is analysed without this line.',
    dockerfileEscape: 'Dockerfile syntax error: the escape directive must be \\ or ` (got "{value}"); Docker refuses to build this file.',
    dockerfileUnknownInstruction: 'Dockerfile syntax error: unknown instruction "{keyword}"; Docker refuses to build this file.',
    dockerfileUnknownInstructions:
      'Dockerfile syntax error: unknown instruction "{keyword}" (and {more} more lines that are not instructions); Docker refuses to build this file.',
    dockerfileUnclosedHeredoc: 'Dockerfile syntax error: the heredoc <<{name} is never closed, so every later line is read as its content.',
  },
});

export const configError = defineEngineFinding({
  id: 'config-error',
  title: 'The .shipshape.yaml configuration is invalid',
  description:
    'An unknown key or a wrong type in the configuration is reported instead of being ignored, so a typo cannot silently weaken the checks. The CLI stops with exit code 2; the editor uses defaults for the bad keys.',
  severity: 'error',
  messages: CONFIG_ERROR_MESSAGES,
});

export const fileSkipped = defineEngineFinding({
  id: 'file-skipped',
  title: 'The file was not analysed',
  description:
    'Files that are too large, binary, not UTF-8, or templates that cannot be read are reported with the reason instead of being passed over in silence.',
  severity: 'info',
  messages: FILE_SKIPPED_MESSAGES,
});

export const kustomizeError = defineEngineFinding({
  id: 'kustomize-error',
  title: 'A kustomization cannot be built as written',
  description:
    'A missing resource, a cycle between kustomizations or a patch that matches nothing means the build is not what the files say; it is reported on the kustomization line that causes it, and the rest of the build is still analysed. A remote resource is noted at info severity and skipped (Shipshape never fetches), as are generators it does not build.',
  severity: 'warning',
  alternateSeverity: 'info',
  messages: KUSTOMIZE_ERROR_MESSAGES,
});

/** A file-skipped finding at the top of the file, saying why. */
export function skippedFinding(reason: SkipReason): Finding {
  return { ...fileSkipped.at({ start: 0, end: 0 }, reason.messageId, reason.data), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

/** A config-error finding on a config file's text. */
export function configErrorFinding(lines: LineIndex, span: Span, messageId: ConfigErrorMessageId, data: ReportData): Finding {
  return { ...configError.at(span, messageId, data), range: lines.rangeOf(span) };
}
