import * as vscode from 'vscode';
import { systemClock } from '../../core/platform/clock';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { WorkspaceSettingError } from '../../core/platform/workspacePath';
import type { KnownSessionEvent } from '../../core/sessions/events';
import { relativeToRoot, resolveSessionsDir, sessionsDirPath } from '../../core/sessions/layout';
import { deleteSession } from '../../core/sessions/read';
import type { SessionRead } from '../../core/sessions/read';
import { SessionReadCache } from '../../core/sessions/readCache';
import { SETTING_KEYS, sessionSettingsFrom } from '../../core/sessions/settings';
import type { SessionSettings } from '../../core/sessions/settings';
import type { EventLocation, LocatingSessionEventSink } from '../../core/sessions/sink';
import { openSession } from '../../core/sessions/store';
import type { SessionStore } from '../../core/sessions/store';
import type { ExtensionServices } from '../services';

export type SessionsChange = { kind: 'append'; event: KnownSessionEvent; file: string; root: string } | { kind: 'files' };

/** Settings whose change means the current session cannot continue where it writes. */
export const STORE_KEYS = [SETTING_KEYS.dir, SETTING_KEYS.maxFileSizeMB];

/**
 * One workspace folder's sessions: the session this window writes there (opened on its first event, never at
 * activation, so a folder nothing happened in gets nothing on disk), its sessions folder under the folder's own
 * settings, a read cache that parses only changed files, and a watcher for other windows and the CLI.
 */
export class FolderSessions implements vscode.Disposable {
  private store: SessionStore | undefined;
  private opening: Promise<SessionStore | undefined> | undefined;
  private unsubscribe: (() => void) | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private cache: SessionReadCache | undefined;

  readonly sink: LocatingSessionEventSink = {
    append: async (event) => {
      await this.appendLocated(event);
    },
    appendLocated: (event) => this.appendLocated(event),
  };

  constructor(
    private readonly services: ExtensionServices,
    readonly folder: vscode.WorkspaceFolder,
    /** '/'-separated absolute path of the folder. */
    readonly root: string,
    private readonly fire: (change: SessionsChange) => void,
  ) {
    this.rewatch();
  }

  get name(): string {
    return this.folder.name;
  }

  /** The folder's own settings: in a multi-root workspace each folder may keep its sessions elsewhere. */
  get settings(): SessionSettings {
    const config = vscode.workspace.getConfiguration(undefined, this.folder.uri);
    const values: Record<string, unknown> = {};
    for (const key of Object.values(SETTING_KEYS)) values[key] = config.get(key);
    return sessionSettingsFrom(values);
  }

  /** Absolute sessions folder. */
  get dirPath(): string {
    return sessionsDirPath(this.root, this.settings.dir);
  }

  /** Sessions folder for display: folder-relative when inside it. */
  get displayDir(): string {
    return relativeToRoot(this.root, this.dirPath);
  }

  /** The id of the session this window writes here, once it has written anything. */
  get liveSessionId(): string | undefined {
    return this.store?.sessionId;
  }

  /** Every session of the folder, newest first; none when its sessions setting is refused. */
  async readAll(): Promise<SessionRead[]> {
    const dir = await this.confinedDir();
    return dir ? this.readCache().readAll(dir) : [];
  }

  async read(id: string): Promise<SessionRead | undefined> {
    const dir = await this.confinedDir();
    return dir ? this.readCache().read(dir, id) : undefined;
  }

  /** Deletes a session's files; deleting the live session makes the next event start a new one. */
  async delete(id: string): Promise<string[]> {
    if (id === this.store?.sessionId) this.closeStore();
    const removed = await deleteSession(nodeFileSystem, this.root, id, this.settings.dir);
    this.fire({ kind: 'files' });
    return removed;
  }

  /** A sessions setting changed: the live session ends if it can no longer be written where it was. */
  settingsChanged(e: vscode.ConfigurationChangeEvent): boolean {
    if (!e.affectsConfiguration('llmgenie.sessions', this.folder.uri) && !e.affectsConfiguration('llmgenie.decisionLog', this.folder.uri)) return false;
    if (STORE_KEYS.some((k) => e.affectsConfiguration(k, this.folder.uri))) this.closeStore();
    this.cache?.clear();
    this.rewatch();
    return true;
  }

  /**
   * The sessions folder as the CLI and MCP server check it (inside the folder by real path); a refused setting is
   * one message naming the setting (once) and no sessions, never a read outside the workspace.
   */
  private async confinedDir(): Promise<string | undefined> {
    try {
      return await resolveSessionsDir(nodeFileSystem, this.root, this.settings.dir);
    } catch (e) {
      if (!(e instanceof WorkspaceSettingError)) throw e;
      this.services.reportError(`setting:${e.setting}`, e.message);
      return undefined;
    }
  }

  private readCache(): SessionReadCache {
    this.cache ??= new SessionReadCache(nodeFileSystem, this.root);
    return this.cache;
  }

  private async appendLocated(event: Parameters<LocatingSessionEventSink['appendLocated']>[0]): Promise<EventLocation | undefined> {
    const store = await this.open();
    return store?.appendLocated(event);
  }

  private open(): Promise<SessionStore | undefined> {
    if (this.store) return Promise.resolve(this.store);
    this.opening ??= this.openNow().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async openNow(): Promise<SessionStore> {
    const s = this.settings;
    try {
      const store = await openSession(nodeFileSystem, systemClock, {
        root: this.root,
        dir: s.dir,
        host: 'editor',
        version: String(this.services.context.extension.packageJSON.version ?? 'unknown'),
        maxBytes: s.maxBytes,
        retention: s.retention,
      });
      this.unsubscribe = store.onDidAppend((event, file) => this.fire({ kind: 'append', event, file, root: this.root }));
      this.store = store;
      this.services.log.info(`session log: ${this.name}/${store.relativePath}`);
      return store;
    } catch (e) {
      if (e instanceof WorkspaceSettingError) this.services.reportError(`setting:${e.setting}`, e.message);
      else this.services.reportError('session-open', `cannot write the session log under ${s.dir} in ${this.name}`, e);
      throw e;
    }
  }

  private closeStore(): void {
    void this.store?.release(); // a log this window no longer writes may be pruned like any other
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.store = undefined;
  }

  private rewatch(): void {
    this.watcher?.dispose();
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.dirPath), '*.jsonl'));
    const fire = () => this.fire({ kind: 'files' });
    this.watcher.onDidCreate(fire);
    this.watcher.onDidChange(fire);
    this.watcher.onDidDelete(fire);
  }

  dispose(): void {
    this.closeStore();
    this.watcher?.dispose();
  }
}
