/**
 * The language server: connection (stdio or IPC, chosen by the command line), the document
 * store with incremental sync, and capability wiring. Every feature lives in `handlers/`.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { basename } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import packageJson from '../../package.json';
import { ALL_RULES, DEFAULT_CONFIG } from './engine';
import {
  ListRulesRequest,
  ScanWorkspaceRequest,
  WorkspaceTrustGranted,
  type RuleSummary,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
} from './protocol';
import { ConfigurationHandler } from './handlers/configuration';
import { DiagnosticsHandler } from './handlers/diagnostics';
import { codeActionsFor, deferredEdit, FIX_ALL_KIND, isDeferredActionData } from './handlers/code-actions';
import { hoverAt } from './handlers/hover';
import { WorkspaceScanHandler } from './handlers/workspace-scan';
import { WorkspaceModelHandler } from './handlers/workspace-model';
import { CONFIG_FILE_NAMES } from './host/discovery';
import { KustomizeWorkspace } from './handlers/kustomize';
import { ruleDocumentationUri } from './handlers/rule-docs';
import { pathToUri, uriToPath, URI_FILE_PREFIX } from './handlers/uris';
import { createServerConnection, requireDocumentUri } from './connection';

const connection = createServerConnection(process.argv);

function isConfigFile(path: string): boolean {
  return CONFIG_FILE_NAMES.includes(basename(path));
}
const documents = new TextDocuments(TextDocument);

let configuration: ConfigurationHandler;
let diagnostics: DiagnosticsHandler;
let scanner: WorkspaceScanHandler;
let workspaceModel: WorkspaceModelHandler;
let canResolveActions = false;
let canRegisterWatchers = false;
let canRegisterConfiguration = false;
let hasWorkspaceFolders = false;

function isTrusted(options: unknown): boolean {
  // Only an explicit `false` restricts: other LSP clients know nothing of workspace trust.
  return !(typeof options === 'object' && options !== null && 'workspaceTrusted' in options && options.workspaceTrusted === false);
}

connection.onInitialize((params): InitializeResult => {
  const capabilities = params.capabilities;
  canResolveActions = capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
  canRegisterWatchers = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  canRegisterConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  hasWorkspaceFolders = capabilities.workspace?.workspaceFolders === true;
  configuration = new ConfigurationHandler(connection, capabilities.workspace?.configuration === true, isTrusted(params.initializationOptions));
  const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
  configuration.setRoots(folders.filter((folder) => folder.uri.startsWith(URI_FILE_PREFIX)).map((folder) => uriToPath(folder.uri)));
  workspaceModel = new WorkspaceModelHandler(configuration);
  workspaceModel.onNotice = (notice) => connection.console.warn(`Shipshape: ${notice}`);
  const kustomize = new KustomizeWorkspace(workspaceModel.model, (path) => documents.get(pathToUri(path))?.getText());
  diagnostics = new DiagnosticsHandler(connection, configuration, (uri) => documents.get(uri), () => documents.keys(), workspaceModel, kustomize);
  scanner = new WorkspaceScanHandler(connection, configuration, diagnostics, workspaceModel, capabilities.window?.workDoneProgress === true);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'shipshape' },
  };
});

connection.onInitialized(() => {
  const roots = configuration.workspaceRoots;
  connection.console.info(
    `Shipshape ${packageJson.version} language server (Node ${process.version}), ${ALL_RULES.length} rules; ` +
      `workspace folders: ${roots.length > 0 ? roots.join(', ') : 'none'}` +
      (configuration.isTrusted ? '.' : '; untrusted: .shipshape.yaml files and workspace settings are ignored.'),
  );
  if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'shipshape' });
  if (canRegisterWatchers) {
    // Config files, and every file the workspace model reads facts from (manifests, skaffold and
    // compose files, Dockerfiles): a change on disk re-publishes the files that depend on it.
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: '**/.shipshape.{yaml,yml}' },
        // Vulnerability reports (JSON, SARIF) and updater configurations (renovate.json5, .renovaterc) too.
        { globPattern: '**/*.{yaml,yml,json,json5,sarif}' },
        { globPattern: '**/.renovaterc' },
        { globPattern: '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*,Dockerfile-*,Containerfile.*}' },
      ],
    });
  }
  void loadWorkspaceModel();
  if (!hasWorkspaceFolders) return;
  connection.workspace.onDidChangeWorkspaceFolders((event) => {
    const removed = new Set(event.removed.map((folder) => uriToPath(folder.uri)));
    const added = event.added.filter((folder) => folder.uri.startsWith(URI_FILE_PREFIX)).map((folder) => uriToPath(folder.uri));
    configuration.setRoots([...configuration.workspaceRoots.filter((root) => !removed.has(root)), ...added]);
    diagnostics.refreshAll();
    void loadWorkspaceModel();
  });
});

// Fired on open too.
documents.onDidChangeContent((event) => diagnostics.onContent(event.document));
documents.onDidClose((event) => diagnostics.onClose(event.document.uri));

connection.onDidChangeConfiguration(() => {
  connection.console.info(`Settings changed: re-analysing ${documents.keys().length} open documents.`);
  configuration.clearSettings();
  diagnostics.refreshAll();
});

connection.onDidChangeWatchedFiles((params) => {
  const configChanges = params.changes.filter((change) => change.uri.startsWith(URI_FILE_PREFIX) && isConfigFile(uriToPath(change.uri)));
  for (const change of params.changes) {
    if (!change.uri.startsWith(URI_FILE_PREFIX) || configChanges.includes(change)) continue;
    const path = uriToPath(change.uri);
    diagnostics.refreshDependents(workspaceModel.fileChangedOnDisk(path, change.type === FileChangeType.Deleted, DEFAULT_CONFIG.maxFileSize));
  }
  diagnostics.publishSkippedReports(workspaceModel.skippedReports);
  if (configChanges.length === 0) return;
  // A new or deleted config file can change which file governs a document: forget them all.
  configuration.invalidateConfigFile();
  for (const change of configChanges) diagnostics.onConfigFileChanged(uriToPath(change.uri));
  diagnostics.refreshAll();
  void loadWorkspaceModel();
});

/** (Re)reads the workspace's facts, then re-analyses the files that read what changed. */
async function loadWorkspaceModel(): Promise<void> {
  try {
    const dependents = await workspaceModel.load();
    diagnostics.publishSkippedReports(workspaceModel.skippedReports);
    diagnostics.refreshDependents(dependents);
  } catch (cause) {
    connection.console.error(`Shipshape: reading the workspace failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  }
}

connection.onNotification(WorkspaceTrustGranted.method, () => {
  configuration.setTrusted(true);
  diagnostics.refreshAll();
  void loadWorkspaceModel();
});

connection.onHover(async (params) => {
  const analysed = await diagnostics.current(requireDocumentUri(params));
  return analysed ? hoverAt(analysed, params.position) : null;
});

connection.onCodeAction(async (params) => {
  const analysed = await diagnostics.current(requireDocumentUri(params));
  return analysed ? codeActionsFor(analysed, params, { canResolve: canResolveActions }) : [];
});

connection.onCodeActionResolve(async (action) => {
  if (!isDeferredActionData(action.data)) return action;
  const analysed = await diagnostics.current(action.data.uri);
  if (analysed) action.edit = deferredEdit(analysed, action.data);
  return action;
});

connection.onRequest(ScanWorkspaceRequest.method, (params: ScanWorkspaceParams, token): Promise<ScanWorkspaceResult> => scanner.scan(params, token));

connection.onRequest(ListRulesRequest.method, (): RuleSummary[] =>
  ALL_RULES.map((rule) => ({ id: rule.meta.id, title: rule.meta.title, documentationUri: ruleDocumentationUri(rule.meta.id) })),
);

documents.listen(connection);
connection.listen();
