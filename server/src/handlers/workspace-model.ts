import { setImmediate as nextTurn } from 'node:timers/promises';
import { extractFacts, WorkspaceModel, type WorkspaceFact } from '../engine';
import { ConfigLoader } from '../host/config-loader';
import { workspaceFiles } from '../host/workspace-feed';
import { readSourceFile } from '../host/source-files';
import { settingsLayer, type ConfigurationHandler } from './configuration';
import { pathToUri } from './uris';
import { SweptCache } from './swept-cache';

/** Files read per turn of the event loop while the model loads: requests are answered in between. */
const FILES_PER_TURN = 50;

/**
 * The language server's workspace model: every file of the workspace folders contributes facts
 * (Namespaces, service accounts, bindings, images built here, Dockerfile users) for the cross-file
 * rules. Open documents contribute their live text, other files what is on disk. Each change
 * answers with the files whose findings may change, for the diagnostics handler to re-publish.
 */
export class WorkspaceModelHandler {
  readonly model = new WorkspaceModel();
  /** Open documents' facts by section, so a keystroke re-reads only the section it touched. */
  private readonly caches = new Map<string, SweptCache<readonly WorkspaceFact[]>>();
  private readonly open = new Set<string>();
  private loads = 0;

  constructor(private readonly configuration: ConfigurationHandler) {}

  /**
   * Reads the facts of every file under the workspace folders (same discovery and excludes as the
   * scan), a batch per turn. Open documents keep their live facts.
   */
  async load(): Promise<void> {
    const load = ++this.loads;
    for (const root of this.configuration.workspaceRoots) {
      const settings = await this.configuration.settingsFor(pathToUri(root));
      const loader = new ConfigLoader({ roots: [root], below: [settingsLayer(settings)], useConfigFiles: this.configuration.isTrusted });
      const paths = [...workspaceFiles([root], loader), ...loader.loadedFiles().map((file) => file.path)];
      for (let start = 0; start < paths.length; start += FILES_PER_TURN) {
        // A newer load (folders changed, trust granted) supersedes this one.
        if (load !== this.loads) return;
        for (const path of paths.slice(start, start + FILES_PER_TURN)) {
          if (!this.open.has(path)) this.readFromDisk(path, loader.configFor(path).config.maxFileSize);
        }
        await nextTurn();
      }
    }
  }

  /** An open document's text: its facts now. Returns the other files whose findings may change. */
  documentChanged(path: string, text: string): Set<string> {
    this.open.add(path);
    let cache = this.caches.get(path);
    if (!cache) {
      cache = new SweptCache();
      this.caches.set(path, cache);
    }
    const facts = extractFacts(path, text, cache);
    cache.sweep();
    return this.model.setFacts(path, facts);
  }

  /** Closed without saving or after it: what is on disk counts again. */
  documentClosed(path: string, maxFileSize: number): Set<string> {
    this.open.delete(path);
    this.caches.delete(path);
    return this.readFromDisk(path, maxFileSize);
  }

  /** A watched file changed, appeared or went away on disk; open documents keep their live text. */
  fileChangedOnDisk(path: string, deleted: boolean, maxFileSize: number): Set<string> {
    if (this.open.has(path)) return new Set();
    if (deleted) return this.model.removeFile(path);
    return this.readFromDisk(path, maxFileSize);
  }

  private readFromDisk(path: string, maxFileSize: number): Set<string> {
    const source = readSourceFile(path, maxFileSize);
    return 'text' in source ? this.model.setFacts(path, extractFacts(path, source.text)) : this.model.removeFile(path);
  }
}
