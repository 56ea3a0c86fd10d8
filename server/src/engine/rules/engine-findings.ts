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

export const kustomizeError = defineEngineFinding({
  id: 'kustomize-error',
  title: 'A kustomization cannot be built as written',
  description:
    'A missing resource, a cycle between kustomizations or a patch that matches nothing means the build is not what the files say; it is reported on the kustomization line that causes it, and the rest of the build is still analysed. A remote resource is noted at info severity and skipped (Shipshape never fetches), as are generators it does not build.',
  severity: 'warning',
  alternateSeverity: 'info',
  messages: {},
});
