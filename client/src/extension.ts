/**
 * Activation: start the language server and register the commands. No analysis happens here;
 * the server does it all (STYLE.md: the client stays thin so end-to-end tests stay easy).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WorkspaceTrustGranted, type InitializationOptions } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { renderedRuleLinks } from './rule-links';
import { createStatusItem } from './status';
import { TraceChannel } from './trace';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const initializationOptions: InitializationOptions = { workspaceTrusted: vscode.workspace.isTrusted };
  const outputChannel = vscode.window.createOutputChannel('Shipshape', { log: true });
  const traceChannel = new TraceChannel(outputChannel);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'helm' },
      { scheme: 'file', language: 'dockerfile' },
      // Compose files, as the Docker extension names their language (image-vulnerable reads their images).
      { scheme: 'file', language: 'dockercompose' },
      { scheme: 'untitled', language: 'dockerfile' },
    ],
    initializationOptions,
    outputChannel,
    traceOutputChannel: traceChannel,
    middleware: renderedRuleLinks,
  };
  client = new LanguageClient('shipshape', 'Shipshape', serverOptions, clientOptions);
  const started = client;
  context.subscriptions.push(
    outputChannel,
    traceChannel,
    createStatusItem(started),
    registerCommands(started, outputChannel, context.extensionUri),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void started.sendNotification(WorkspaceTrustGranted.method)),
  );
  await started.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
