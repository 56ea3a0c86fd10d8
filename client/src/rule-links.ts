import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const OPEN_RULE_DOCUMENTATION = 'shipshape.openRuleDocumentation';

/**
 * The server links each finding to its rule page as a `file:` URI, which any LSP client can
 * open; VS Code would show it as raw Markdown. In VS Code the link runs "Open Rule Documentation"
 * instead, which shows the page rendered (the Markdown preview).
 */
const RULE_PAGE = /\/server\/out\/docs\/([a-z0-9-]+)\.md$/;

function commandLink(ruleId: string): string {
  return `command:${OPEN_RULE_DOCUMENTATION}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

function ruleOfPage(uri: vscode.Uri): string | undefined {
  return uri.scheme === 'file' ? RULE_PAGE.exec(uri.path)?.[1] : undefined;
}

function withRenderedLink(diagnostic: vscode.Diagnostic): vscode.Diagnostic {
  const code = diagnostic.code;
  if (typeof code !== 'object') return diagnostic;
  const ruleId = ruleOfPage(code.target);
  if (ruleId !== undefined) diagnostic.code = { value: code.value, target: vscode.Uri.parse(commandLink(ruleId)) };
  return diagnostic;
}

const MARKDOWN_PAGE_LINK = /\]\((file:[^)\s]+\/server\/out\/docs\/([a-z0-9-]+)\.md)\)/g;

function withRenderedLinks(hover: vscode.Hover): vscode.Hover {
  const contents = hover.contents.map((content) => {
    if (!(content instanceof vscode.MarkdownString)) return content;
    const value = content.value.replace(MARKDOWN_PAGE_LINK, (_link, _uri, ruleId: string) => `](${commandLink(ruleId)})`);
    if (value === content.value) return content;
    const rewritten = new vscode.MarkdownString(value);
    rewritten.isTrusted = { enabledCommands: [OPEN_RULE_DOCUMENTATION] };
    return rewritten;
  });
  return new vscode.Hover(contents, hover.range);
}

export const renderedRuleLinks: Middleware = {
  handleDiagnostics(uri, diagnostics, next) {
    next(uri, diagnostics.map(withRenderedLink));
  },
  async provideHover(document, position, token, next) {
    const hover = await next(document, position, token);
    return hover ? withRenderedLinks(hover) : hover;
  },
};
