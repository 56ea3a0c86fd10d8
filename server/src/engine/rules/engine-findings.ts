import { defineEngineFinding } from './define';

/** Findings the engine reports itself (RULES.md, "Findings that are not rules"). */

export const parseError = defineEngineFinding({
  id: 'parse-error',
  title: 'The file has a YAML or Dockerfile syntax error',
  description:
    'A document that does not parse cannot be checked, and Kubernetes or Docker would reject it too. The rest of the file is still analysed.',
  severity: 'error',
  messages: {},
});

export const configError = defineEngineFinding({
  id: 'config-error',
  title: 'The .shipshape.yaml configuration is invalid',
  description:
    'An unknown key or a wrong type in the configuration is reported instead of being ignored, so a typo cannot silently weaken the checks. The CLI stops with exit code 2; the editor uses defaults for the bad keys.',
  severity: 'error',
  messages: {},
});

export const fileSkipped = defineEngineFinding({
  id: 'file-skipped',
  title: 'The file was not analysed',
  description:
    'Files that are too large, binary, not UTF-8, or templates that cannot be read are reported with the reason instead of being passed over in silence.',
  severity: 'info',
  messages: {},
});
