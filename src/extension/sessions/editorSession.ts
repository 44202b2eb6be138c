import * as vscode from 'vscode';
import { folderForRecord, posixPath } from '../../core/platform/workspaceFolders';
import { DEFAULT_SESSIONS_DIR } from '../../core/sessions/layout';
import type { SessionRead } from '../../core/sessions/read';
import type { LocatingSessionEventSink, SessionEventSink } from '../../core/sessions/sink';
import type { ExtensionServices } from '../services';
import { localFolders } from '../workspaceFolders';
import { FolderSessions } from './folderSessions';
import type { SessionsChange } from './folderSessions';

export type { SessionsChange } from './folderSessions';

/** A file's path for folder lookup, from the forms callers hold. */
type FileRef = string | vscode.Uri | undefined;

/**
 * This window's session logs, one per workspace folder: a record goes to the folder of the file it is about (the
 * task's file, the checked document, the package), else to the folder of the active editor, else the first. The
 * tree and the dashboard read every folder through `readByFolder` / `readAll` and listen to `onDidChange` (own
 * appends immediately, other windows and the CLI through each folder's watcher).
 */
export class EditorSessions implements vscode.Disposable {
  private readonly byRoot = new Map<string, FolderSessions>();
  private readonly changed = new vscode.EventEmitter<SessionsChange>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  /** Writes to the active editor's folder at the time of the event; never rejects for "no folder open". */
  readonly sink: LocatingSessionEventSink = this.sinkFor(() => activeFile());

  constructor(private readonly services: ExtensionServices) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        let any = false;
        for (const f of this.byRoot.values()) any = f.settingsChanged(e) || any;
        if (any) this.changed.fire({ kind: 'files' });
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        const roots = new Set(localFolders().map((f) => f.root));
        for (const [root, f] of this.byRoot) {
          if (roots.has(root)) continue;
          f.dispose();
          this.byRoot.delete(root);
        }
        this.changed.fire({ kind: 'files' });
      }),
    );
  }

  /** Every local folder's sessions, in the workspace's order (created on first use). */
  folders(): FolderSessions[] {
    return localFolders().map(({ folder, root }) => this.folderAt(folder, root));
  }

  /** The folder a record about `file` belongs in: the one holding it, else the first; undefined without folders. */
  folderFor(file: FileRef): FolderSessions | undefined {
    const folders = this.folders();
    const root = folderForRecord(folders.map((f) => f.root), pathOf(file));
    return folders.find((f) => f.root === root);
  }

  /** The folder of the active editor's file, else the first: where a command the user runs records. */
  get activeFolder(): FolderSessions | undefined {
    return this.folderFor(activeFile());
  }

  /**
   * A sink for records about one file (or, given a function, the file at the time of each event); an event with
   * no folder open is dropped, as a window that has nothing to write to.
   */
  sinkFor(file: FileRef | (() => FileRef)): LocatingSessionEventSink {
    const target = () => this.folderFor(typeof file === 'function' ? file() : file);
    const appendLocated: LocatingSessionEventSink['appendLocated'] = async (event) => {
      const folder = target();
      if (!folder) {
        this.services.log.debug('session event dropped: no local folder is open');
        return undefined;
      }
      return folder.sink.appendLocated(event);
    };
    return { appendLocated, append: async (event) => void (await appendLocated(event)) };
  }

  isLive(id: string): boolean {
    return this.folders().some((f) => f.liveSessionId === id);
  }

  /** Each folder with its sessions, newest first; a folder whose read fails is reported and left out. */
  async readByFolder(): Promise<Array<{ folder: FolderSessions; sessions: SessionRead[] }>> {
    const out: Array<{ folder: FolderSessions; sessions: SessionRead[] }> = [];
    for (const folder of this.folders()) out.push({ folder, sessions: await folder.readAll() });
    return out;
  }

  /** Every folder's sessions pooled, newest first (the dashboard's figures are the workspace's). */
  async readAll(): Promise<SessionRead[]> {
    const all = (await this.readByFolder()).flatMap((f) => f.sessions);
    return all.sort((a, b) => b.summary.start.localeCompare(a.summary.start) || b.summary.id.localeCompare(a.summary.id));
  }

  /** A session by id, in the given folder or the first folder holding it. */
  async find(id: string, root?: string): Promise<{ folder: FolderSessions; session: SessionRead } | undefined> {
    for (const folder of this.folders()) {
      if (root !== undefined && folder.root !== root) continue;
      const session = await folder.read(id);
      if (session) return { folder, session };
    }
    return undefined;
  }

  async read(id: string, root?: string): Promise<SessionRead | undefined> {
    return (await this.find(id, root))?.session;
  }

  async delete(id: string, root?: string): Promise<string[]> {
    const found = await this.find(id, root);
    return found ? found.folder.delete(id) : [];
  }

  /** Where sessions are kept, for messages: one folder's directory, or each folder's by name. */
  get displayDir(): string {
    const folders = this.folders();
    if (folders.length <= 1) return folders[0]?.displayDir ?? DEFAULT_SESSIONS_DIR;
    return folders.map((f) => `${f.name}/${f.displayDir}`).join(', ');
  }

  private folderAt(folder: vscode.WorkspaceFolder, root: string): FolderSessions {
    let f = this.byRoot.get(root);
    if (!f) {
      f = new FolderSessions(this.services, folder, root, (change) => this.changed.fire(change));
      this.byRoot.set(root, f);
    }
    return f;
  }

  dispose(): void {
    for (const f of this.byRoot.values()) f.dispose();
    this.byRoot.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changed.dispose();
  }
}

function pathOf(file: FileRef): string | undefined {
  if (file === undefined) return undefined;
  if (typeof file === 'string') return posixPath(file);
  return file.scheme === 'file' ? posixPath(file.fsPath) : undefined;
}

function activeFile(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri;
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

/**
 * What the router, policy, handoff and lessons adapters log through: the sink of the folder holding `file` (the
 * record's subject), or of the active editor's folder at each event when no file is given.
 */
export function getEditorSessionSink(services: ExtensionServices, file?: FileRef | (() => FileRef)): SessionEventSink {
  const sessions = getEditorSessions(services);
  return file === undefined ? sessions.sink : sessions.sinkFor(file);
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
