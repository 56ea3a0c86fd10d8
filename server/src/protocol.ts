/**
 * What the client and the server say to each other beyond LSP: custom requests and
 * notifications, and the shape of the `shipshape.*` settings. Types and method names only, no
 * runtime imports, so the client bundle does not pull in server code.
 */

/**
 * The `shipshape` settings section, as `workspace/configuration` returns it (scope: resource).
 * Defined once, with every other setting, in the engine (settings/definition.ts), from which
 * package.json's contribution is generated; a type-only import, so no engine code is bundled.
 */
export type { EditorSettings as ShipshapeSettings } from './engine';

/** Sent as `initializationOptions`. */
export interface InitializationOptions {
  /**
   * False in an untrusted workspace: the server then never reads `.shipshape.yaml` files from it
   * (they could hide findings). Workspace-level settings are dropped by VS Code itself, through
   * `restrictedConfigurations` in the manifest.
   */
  workspaceTrusted: boolean;
}

/** Notification client → server when the user grants the workspace trust. */
export const WorkspaceTrustGranted = { method: 'shipshape/workspaceTrustGranted' } as const;

export interface ScanWorkspaceParams {
  /** A token the client created for `$/progress` (files done / total). */
  workDoneToken?: string | number;
}

/** Diagnostics by severity. */
export interface ProblemCounts {
  error: number;
  warning: number;
  info: number;
}

export interface ScanWorkspaceResult {
  /** Kubernetes YAML and Dockerfiles found under the workspace folders. */
  files: number;
  /** Files analysed before the scan ended (all of them unless cancelled). */
  analysed: number;
  /**
   * Every Shipshape diagnostic published once the scan ended, by severity: what the Problems view
   * shows (open documents' live results and config-file errors included).
   */
  findings: ProblemCounts;
  /** Files with at least one of those diagnostics. */
  filesWithFindings: number;
  /** Files the engine failed on (each one logged). */
  failures: number;
  cancelled: boolean;
  durationMs: number;
}

/** Request client → server: scan every Kubernetes YAML and Dockerfile in the workspace. */
export const ScanWorkspaceRequest = { method: 'shipshape/scanWorkspace' } as const;

export interface RuleSummary {
  id: string;
  title: string;
  /** `file:` URI of the bundled documentation page. */
  documentationUri: string;
}

/** Request client → server: every rule with its documentation page (for "Open Rule Documentation"). */
export const ListRulesRequest = { method: 'shipshape/listRules' } as const;

export type ServerState = 'idle' | 'analysing' | 'scanning';

export interface StatusParams {
  state: ServerState;
  /** Diagnostics currently published, over every file, by severity. */
  counts: ProblemCounts;
  /** Files with at least one. */
  files: number;
  /** During a scan: files done and found. */
  done?: number;
  total?: number;
}

/** Notification server → client: drives the status-bar item. */
export const StatusNotification = { method: 'shipshape/status' } as const;
