import * as vscode from 'vscode';
import { systemClock } from '../../core/platform/clock';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import type { KnownSessionEvent } from '../../core/sessions/events';
import { WorkspaceSettingError } from '../../core/platform/workspacePath';
import { relativeToRoot, resolveSessionsDir, sessionsDirPath } from '../../core/sessions/layout';
import { deleteSession } from '../../core/sessions/read';
import type { SessionRead } from '../../core/sessions/read';
import { SessionReadCache } from '../../core/sessions/readCache';
import { SETTING_KEYS, sessionSettingsFrom } from '../../core/sessions/settings';
import type { SessionSettings } from '../../core/sessions/settings';
import type { EventLocation, LocatingSessionEventSink, SessionEventInput, SessionEventSink } from '../../core/sessions/sink';
import { openSession } from '../../core/sessions/store';
import type { SessionStore } from '../../core/sessions/store';
import type { ExtensionServices } from '../services';

export type SessionsChange = { kind: 'append'; event: KnownSessionEvent; file: string } | { kind: 'files' };

/** Settings whose change means the current session cannot continue where it writes. */
const STORE_KEYS = [SETTING_KEYS.dir, SETTING_KEYS.maxFileSizeMB];

/**
 * This window's session log and the workspace's sessions folder. The session file is opened on the first
 * event, never at activation, so a window that does nothing leaves nothing on disk. Other features log through
 * `sink`; the tree and the dashboard read through `readAll` (parses only changed files) and listen to
 * `onDidChange` (own appends immediately, other windows and the CLI through a file watcher).
 */
export class EditorSessions implements vscode.Disposable {
  private store: SessionStore | undefined;
  private opening: Promise<SessionStore | undefined> | undefined;
  private unsubscribe: (() => void) | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private cache: SessionReadCache | undefined;
  private cacheRoot: string | undefined;
  private readonly changed = new vscode.EventEmitter<SessionsChange>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  /** Never rejects for "no folder open" (the event is dropped); rejects with the store's error otherwise. */
  readonly sink: LocatingSessionEventSink = {
    append: async (event) => {
      await this.appendLocated(event);
    },
    appendLocated: (event) => this.appendLocated(event),
  };

  constructor(private readonly services: ExtensionServices) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('llmgenie.sessions') && !e.affectsConfiguration('llmgenie.decisionLog')) return;
        if (STORE_KEYS.some((k) => e.affectsConfiguration(k))) this.closeStore();
        this.cache?.clear();
        this.rewatch();
        this.changed.fire({ kind: 'files' });
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.closeStore();
        this.rewatch();
        this.changed.fire({ kind: 'files' });
      }),
    );
    this.rewatch();
  }

  /** The first local folder of the workspace ('/'-separated), or undefined when none is open. */
  get root(): string | undefined {
    const f = (vscode.workspace.workspaceFolders ?? []).find((x) => x.uri.scheme === 'file');
    return f?.uri.fsPath.replace(/\\/g, '/');
  }

  get settings(): SessionSettings {
    const config = vscode.workspace.getConfiguration();
    const values: Record<string, unknown> = {};
    for (const key of Object.values(SETTING_KEYS)) values[key] = config.get(key);
    return sessionSettingsFrom(values);
  }

  /** Absolute sessions folder of the workspace. */
  get dirPath(): string | undefined {
    const root = this.root;
    return root === undefined ? undefined : sessionsDirPath(root, this.settings.dir);
  }

  /** Sessions folder for display: workspace-relative when inside it. */
  get displayDir(): string {
    const root = this.root;
    const dir = this.dirPath;
    return root && dir ? relativeToRoot(root, dir) : this.settings.dir;
  }

  /** The id of the session this window writes, once it has written anything. */
  get liveSessionId(): string | undefined {
    return this.store?.sessionId;
  }

  /** Every session of the workspace, newest first; empty without a folder. */
  async readAll(): Promise<SessionRead[]> {
    const c = this.readCache();
    const dir = await this.confinedDir();
    return c && dir ? c.readAll(dir) : [];
  }

  async read(id: string): Promise<SessionRead | undefined> {
    const c = this.readCache();
    const dir = await this.confinedDir();
    return c && dir ? c.read(dir, id) : undefined;
  }

  /**
   * The sessions folder as the CLI and MCP server check it (inside the workspace by real path); a refused setting
   * is one message naming the setting (once) and no sessions, never a read outside the workspace.
   */
  private async confinedDir(): Promise<string | undefined> {
    const root = this.root;
    if (!root) return undefined;
    try {
      return await resolveSessionsDir(nodeFileSystem, root, this.settings.dir);
    } catch (e) {
      if (!(e instanceof WorkspaceSettingError)) throw e;
      this.services.reportError(`setting:${e.setting}`, e.message);
      return undefined;
    }
  }

  /** Deletes a session's files; deleting this window's live session makes the next event start a new one. */
  async delete(id: string): Promise<string[]> {
    const root = this.root;
    if (!root) return [];
    if (id === this.store?.sessionId) this.closeStore();
    const removed = await deleteSession(nodeFileSystem, root, id, this.settings.dir);
    this.changed.fire({ kind: 'files' });
    return removed;
  }

  private readCache(): SessionReadCache | undefined {
    const root = this.root;
    if (!root) return undefined;
    if (!this.cache || this.cacheRoot !== root) {
      this.cache = new SessionReadCache(nodeFileSystem, root);
      this.cacheRoot = root;
    }
    return this.cache;
  }

  private async appendLocated(event: SessionEventInput): Promise<EventLocation | undefined> {
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

  private async openNow(): Promise<SessionStore | undefined> {
    const root = this.root;
    if (!root) {
      this.services.log.debug('session event dropped: no local folder is open');
      return undefined;
    }
    const s = this.settings;
    try {
      const store = await openSession(nodeFileSystem, systemClock, {
        root,
        dir: s.dir,
        host: 'editor',
        version: String(this.services.context.extension.packageJSON.version ?? 'unknown'),
        maxBytes: s.maxBytes,
        retention: s.retention,
      });
      this.unsubscribe = store.onDidAppend((event, file) => this.changed.fire({ kind: 'append', event, file }));
      this.store = store;
      this.services.log.info(`session log: ${store.relativePath}`);
      return store;
    } catch (e) {
      if (e instanceof WorkspaceSettingError) this.services.reportError(`setting:${e.setting}`, e.message);
      else this.services.reportError('session-open', `cannot write the session log under ${s.dir}`, e);
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
    this.watcher = undefined;
    const dir = this.dirPath;
    if (!dir) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '*.jsonl'));
    const fire = () => this.changed.fire({ kind: 'files' });
    this.watcher.onDidCreate(fire);
    this.watcher.onDidChange(fire);
    this.watcher.onDidDelete(fire);
  }

  dispose(): void {
    this.closeStore();
    this.watcher?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changed.dispose();
  }
}

const instances = new WeakMap<ExtensionServices, EditorSessions>();

/** The window's one EditorSessions, created on first use and disposed with the services. */
export function getEditorSessions(services: ExtensionServices): EditorSessions {
  let s = instances.get(services);
  if (!s) {
    s = services.track(new EditorSessions(services));
    instances.set(services, s);
  }
  return s;
}

/** What the router, policy, handoff and lessons adapters log through. */
export function getEditorSessionSink(services: ExtensionServices): SessionEventSink {
  return getEditorSessions(services).sink;
}

/** Calls `fn` at most once per `ms` after the last trigger: many appends in a burst give one refresh. */
export function debounce(fn: () => void, ms: number): { (): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  return Object.assign(run, { dispose: () => timer && clearTimeout(timer) });
}
