import * as vscode from 'vscode';

type TraceSetting = 'off' | 'messages' | 'verbose';

function traceSetting(): TraceSetting {
  return vscode.workspace.getConfiguration('shipshape').get<TraceSetting>('trace.server', 'off');
}

/**
 * The channel the language client writes its protocol trace to. vscode-languageclient traces
 * only while that channel's log level is Trace, which a user can set only through "Developer:
 * Set Log Level"; so `shipshape.trace.server` alone did nothing. This view of the Shipshape
 * output reports level Trace whenever the setting asks for a trace (and says so when the setting
 * changes), and writes the trace lines into the Shipshape output itself.
 */
export class TraceChannel implements vscode.LogOutputChannel {
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.levelChanged.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.subscriptions = [
      this.levelChanged,
      output.onDidChangeLogLevel(() => this.levelChanged.fire(this.logLevel)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('shipshape.trace.server')) this.levelChanged.fire(this.logLevel);
      }),
    ];
  }

  get name(): string {
    return this.output.name;
  }

  get logLevel(): vscode.LogLevel {
    return traceSetting() !== 'off' ? vscode.LogLevel.Trace : this.output.logLevel;
  }

  trace(message: string): void {
    // The output's own level is usually Info, which would hide trace-level lines.
    this.output.appendLine(message);
  }

  debug(message: string, ...args: unknown[]): void {
    this.output.debug(message, ...args);
  }

  info(message: string, ...args: unknown[]): void {
    this.output.info(message, ...args);
  }

  warn(message: string, ...args: unknown[]): void {
    this.output.warn(message, ...args);
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.output.error(error, ...args);
  }

  append(value: string): void {
    this.output.append(value);
  }

  appendLine(value: string): void {
    this.output.appendLine(value);
  }

  replace(value: string): void {
    this.output.replace(value);
  }

  clear(): void {
    this.output.clear();
  }

  show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) this.output.show(columnOrPreserveFocus);
    else this.output.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void {
    this.output.hide();
  }

  /** Disposes the view only: the Shipshape output belongs to the extension. */
  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
