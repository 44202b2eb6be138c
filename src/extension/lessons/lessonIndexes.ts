import * as vscode from 'vscode';
import { lessonSettingsFrom, LESSON_SETTING_KEYS } from '../../core/lessons/settings';
import type { LessonStore } from '../../core/lessons/store';
import { WorkspaceLessons } from '../../core/lessons/workspaceLessons';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { folderHolding, posixPath } from '../../core/platform/workspaceFolders';
import type { ExtensionServices } from '../services';
import { localFolders } from '../workspaceFolders';
import { getEditorSessionSink } from '../sessions/editorSession';


/** A workspace folder on disk and its lessons. */
export interface LessonFolder {
  readonly root: string;
  readonly name: string;
  readonly index: WorkspaceLessons;
}

/**
 * The window's lessons: one index per local workspace folder (each keeps its own lessons, under its own folder
 * settings), kept current by a file watcher from its first load. The sidebar, the router's `search_lessons` tool
 * and anything else in the window read the same indexes, so a lesson saved in one is found by the other at once.
 */
export class EditorLessonIndexes implements vscode.Disposable {
  private readonly byRoot = new Map<string, { folder: LessonFolder; watchers: vscode.Disposable[] }>();
  private readonly changed = new vscode.EventEmitter<{ root: string; path?: string }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** A folder's lessons changed on disk (`path` set) or its index was dropped (a setting or the folders changed). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: ExtensionServices) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const [root] of this.byRoot) {
          const scope = vscode.Uri.file(root);
          if (e.affectsConfiguration(LESSON_SETTING_KEYS.dir, scope) || e.affectsConfiguration(LESSON_SETTING_KEYS.docsDir, scope)) this.drop(root);
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        const roots = new Set(this.folderRoots());
        for (const root of [...this.byRoot.keys()]) if (!roots.has(root)) this.drop(root);
        this.changed.fire({ root: '' });
      }),
    );
  }

  /** Local workspace folders ('/'-separated), in the workspace's order. */
  folderRoots(): string[] {
    return localFolders().map((f) => f.root);
  }

  /** Every local folder's lessons (created lazily; nothing is read until a store is asked for). */
  folders(): LessonFolder[] {
    return this.folderRoots().map((root) => this.folder(root)!);
  }

  /** The folder holding `path` (a file or the folder itself), else undefined; the innermost one in nested roots. */
  folderOf(path: string): LessonFolder | undefined {
    const root = folderHolding(this.folderRoots(), path);
    return root ? this.folder(root) : undefined;
  }

  /** The index of one workspace folder; undefined for a path that is not one. */
  folder(root: string): LessonFolder | undefined {
    const key = posixPath(root);
    const known = this.byRoot.get(key);
    if (known) return known.folder;
    const wf = localFolders().find((f) => f.root === key)?.folder;
    if (!wf) return undefined;
    const index = new WorkspaceLessons({
      fs: nodeFileSystem,
      root: key,
      // A lesson's event goes to its own folder's session log.
      sink: getEditorSessionSink(this.services, key),
      watched: true,
      onLoaded: (store) => this.watch(key, store),
      // The folder's own settings (a multi-root workspace may keep lessons elsewhere in each folder).
      folders: async () => {
        const c = vscode.workspace.getConfiguration(undefined, wf.uri);
        return lessonSettingsFrom(key, { [LESSON_SETTING_KEYS.dir]: c.get(LESSON_SETTING_KEYS.dir), [LESSON_SETTING_KEYS.docsDir]: c.get(LESSON_SETTING_KEYS.docsDir) });
      },
    });
    const entry = { folder: { root: key, name: wf.name, index }, watchers: [] as vscode.Disposable[] };
    this.byRoot.set(key, entry);
    return entry.folder;
  }

  /** The folder's store, loaded on first use; its watcher starts with that load. */
  store(folder: LessonFolder): Promise<LessonStore> {
    return folder.index.store();
  }

  /** Lessons can live in folders of their own (settings), so each folder not inside another gets a watcher. */
  private watch(root: string, store: LessonStore): void {
    const entry = this.byRoot.get(root);
    if (!entry || entry.watchers.length) return;
    const { folder } = entry;
    const dirs = [store.root, store.dir, store.docsDir].filter((f, i, all) => !all.some((o, j) => j !== i && (f.startsWith(`${o}/`) || (f === o && j < i))));
    for (const dir of dirs) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '**/*.md'));
      const onFile = (uri: vscode.Uri, deleted: boolean) => {
        const path = posixPath(uri.fsPath);
        if (folder.index.current !== store || !store.isLessonFile(path)) return;
        (deleted ? folder.index.fileRemoved(path) : folder.index.fileChanged(path)).then(
          () => this.changed.fire({ root: folder.root, path }),
          (e) => this.services.log.warn(`lessons: cannot re-read ${path}: ${String(e)}`),
        );
      };
      w.onDidCreate((u) => onFile(u, false));
      w.onDidChange((u) => onFile(u, false));
      w.onDidDelete((u) => onFile(u, true));
      entry.watchers.push(w);
    }
  }

  private drop(root: string): void {
    const entry = this.byRoot.get(root);
    if (!entry) return;
    for (const w of entry.watchers.splice(0)) w.dispose();
    this.byRoot.delete(root);
    this.changed.fire({ root });
  }

  dispose(): void {
    for (const root of [...this.byRoot.keys()]) this.drop(root);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changed.dispose();
  }
}

const perWindow = new WeakMap<ExtensionServices, EditorLessonIndexes>();

/** The window's one set of lesson indexes (created on first use and disposed with the window). */
export function editorLessonIndexes(services: ExtensionServices): EditorLessonIndexes {
  let indexes = perWindow.get(services);
  if (!indexes) {
    indexes = services.track(new EditorLessonIndexes(services));
    perWindow.set(services, indexes);
  }
  return indexes;
}
