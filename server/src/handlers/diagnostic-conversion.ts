import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Finding, Severity } from '../engine';
import { ruleDocumentationUri } from './rule-docs';
import { pathToUri } from './uris';

/** LSP's DiagnosticSeverity values; type-only import so the scan worker loads no server code. */
const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, info: 3 };

/** A finding as an LSP diagnostic; `code` is the rule id and links to the rule's page. */
export function toDiagnostic(finding: Finding, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: 'shipshape',
    code: finding.ruleId,
    codeDescription: { href: ruleDocumentationUri(finding.ruleId) },
    message: finding.message,
  };
  if (finding.related) {
    diagnostic.relatedInformation = finding.related.map((related) => ({
      location: { uri: related.file === undefined ? uri : pathToUri(related.file), range: related.range },
      message: related.message,
    }));
  }
  return diagnostic;
}

/**
 * Diagnostics already made, by the finding's range object. The engine keeps a finding's range
 * object while the finding stays on its lines (its document unchanged, or moved along a line by
 * an edit above it), so at a keystroke only the findings that changed are converted again.
 */
const converted = new WeakMap<Finding['range'], { uri: string; diagnostic: Diagnostic }>();

function diagnosticOf(finding: Finding, uri: string): Diagnostic {
  const known = converted.get(finding.range);
  const diagnostic = known?.diagnostic;
  if (diagnostic && known.uri === uri && diagnostic.message === finding.message && diagnostic.code === finding.ruleId && diagnostic.severity === SEVERITY[finding.severity]) {
    return diagnostic;
  }
  const made = toDiagnostic(finding, uri);
  converted.set(finding.range, { uri, diagnostic: made });
  return made;
}

/** Suppressed findings stay in the engine's results (for counts) but are never shown. */
export function toDiagnostics(findings: readonly Finding[], uri: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of findings) if (!finding.suppression) diagnostics.push(diagnosticOf(finding, uri));
  return diagnostics;
}
