import { WorkspaceSettingError } from '../../core/platform/workspacePath';
import * as vscode from 'vscode';
import { CachedEmbedder, DEFAULT_EMBED_MODEL, DEFAULT_OLLAMA_HOST, OllamaEmbedder, type Embedder } from '../../core/lessons/embeddings';
import { findCardLesson, type FolderLessons } from '../../core/lessons/folderView';
import type { Lesson, LessonProblem } from '../../core/lessons/lesson';
import { LessonStore } from '../../core/lessons/store';
import { relativePath } from '../../core/lessons/viewModel';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { globMatcher } from '../../core/rules/globs';
import type { RegisteredRule } from '../../core/rules/registry';
import type { ExtensionServices } from '../services';
import { editorLessonIndexes, type EditorLessonIndexes } from './lessonIndexes';

export const LESSON_SETTINGS = {
  dir: 'llmgenie.lessons.dir',
  docsDir: 'llmgenie.lessons.docsDir',
  rerankEnabled: 'llmgenie.lessons.rerank.enabled',
  rerankModel: 'llmgenie.lessons.rerank.model',
  ollamaHost: 'llmgenie.ollama.host',
} as const;

const toPosix = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');

/**
 * The workspace's lessons for the sidebar: the window's per-folder indexes (lessonIndexes.ts, shared with the
 * router's `search_lessons` tool), loaded on first use (never at activation), kept current by their file watchers,
 * with their problems in the Problems panel. Views listen to `onDidChange`.
 */
export class LessonsModel implements vscode.Disposable {
  private loading: Promise<void> | undefined;
  private everLoaded = false;
  private embedderCache: { key: string; embedder: Embedder } | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly indexes: EditorLessonIndexes;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('llmgenie-lessons');
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly services: ExtensionServices,
    /** Each folder's rules, as the rules feature last loaded them. */
    private readonly rules: () => readonly { root: string; rules: readonly RegisteredRule[] }[] = () => [],
  ) {
    this.indexes = editorLessonIndexes(services);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('llmgenie.lessons.rerank') || e.affectsConfiguration(LESSON_SETTINGS.ollamaHost)) this.changed.fire();
      }),
      this.indexes.onDidChange((c) => {
        if (c.path) {
          // A branch switch changes many files at once: one refresh for the burst.
          this.services.log.debug(`lessons: ${c.path} changed`);
          this.schedulePublish();
        } else void this.restart();
      }),
    );
  }

  /** The first local folder ('/'-separated): where lessons go when no file says which folder. */
  get root(): string | undefined {
    return this.indexes.folderRoots()[0];
  }

  /** The first folder's store once loaded; undefined before the first `load` and without a folder. */
  get current(): LessonStore | undefined {
    const root = this.root;
    return root ? this.indexes.folder(root)?.index.current : undefined;
  }

  get loaded(): boolean {
    return this.current !== undefined;
  }

  /**
   * Loads every folder's lessons on first call. Returns the store of the folder new lessons go to: the active
   * editor's folder, else the first one. Undefined when no local folder is open.
   */
  async load(): Promise<LessonStore | undefined> {
    if (!this.everLoaded) {
      this.loading ??= this.loadNow().finally(() => (this.loading = undefined));
      await this.loading;
    }
    const doc = vscode.window.activeTextEditor?.document.uri;
    const own = doc?.scheme === 'file' ? this.indexes.folderOf(toPosix(doc.fsPath)) : undefined;
    return own?.index.current ?? this.current;
  }

  /** Every local folder whose lessons are loaded, in the workspace's order (one entry in a single-folder window). */
  folderLessons(): FolderLessons[] {
    return this.indexes.folders().flatMap((f) => (f.index.current ? [{ name: f.name, store: f.index.current }] : []));
  }

  /** Index into `folderLessons()` of the folder holding `uri`. */
  folderIndex(uri: vscode.Uri): number | undefined {
    if (uri.scheme !== 'file') return undefined;
    const root = this.indexes.folderOf(toPosix(uri.fsPath))?.root;
    const i = this.folderLessons().findIndex((f) => f.store.root === root);
    return i < 0 ? undefined : i;
  }

  /** The lesson a sidebar card names (ids are folder-qualified in a multi-root workspace). */
  findLesson(cardId: string): Lesson | undefined {
    return findCardLesson(this.folderLessons(), cardId)?.lesson;
  }

  /** The store a lesson belongs to. */
  storeOf(lesson: Lesson): LessonStore | undefined {
    return this.folderLessons().find((f) => lesson.path.startsWith(`${f.store.root}/`))?.store ?? this.current;
  }

  /** A problem the sidebar lists (`<folder>/<file>` in a multi-root workspace), or undefined. */
  findProblem(file: string, line: number): LessonProblem | undefined {
    const folders = this.folderLessons();
    for (const f of folders) {
      const rel = folders.length > 1 ? (file.startsWith(`${f.name}/`) ? file.slice(f.name.length + 1) : undefined) : file;
      const p = rel === undefined ? undefined : f.store.problems().find((x) => relativePath(f.store.root, x.file) === rel && x.line === line);
      if (p) return p;
    }
    return undefined;
  }

  /** Reads every lesson again ("Reload Lessons"). */
  async reload(): Promise<void> {
    await this.load();
    for (const folder of this.indexes.folders()) {
      try {
        await folder.index.reload();
      } catch (e) {
        this.services.reportError(`lessons-load:${folder.root}`, `could not read the lessons in ${folder.name}`, e);
      }
    }
    this.publish();
  }

  /** Path of a document relative to its workspace folder, or undefined outside every folder. */
  relative(uri: vscode.Uri): string | undefined {
    const root = uri.scheme === 'file' ? (this.indexes.folderOf(toPosix(uri.fsPath))?.root ?? this.root) : this.root;
    if (!root || uri.scheme !== 'file') return undefined;
    const rel = relativePath(root, toPosix(uri.fsPath));
    return rel.startsWith('/') || /^[a-z]:/i.test(rel) ? undefined : rel;
  }

  /** Ids (and manifest names) of rules whose globs match the file, so lessons naming them count as related. */
  ruleIdsFor(relPath: string, folder?: number): string[] {
    // Only the rules of the file's own folder: in a multi-root workspace each folder keeps its own rules.
    const root = (folder !== undefined ? this.folderLessons()[folder]?.store.root : undefined) ?? this.root;
    const out: string[] = [];
    for (const r of this.rules().filter((x) => toPosix(x.root) === root).flatMap((x) => x.rules)) {
      if (!r.rule.globs.length || !globMatcher(r.rule.globs)(relPath)) continue;
      out.push(r.id);
      if (r.entry?.name) out.push(r.entry.name);
    }
    return out;
  }

  /** The re-ranking embedder when the setting asks for one; undefined otherwise. */
  embedder(): Embedder | undefined {
    const config = vscode.workspace.getConfiguration();
    const root = this.root;
    if (!root || !config.get<boolean>(LESSON_SETTINGS.rerankEnabled, false)) return undefined;
    const host = ollamaHost(config.get<string>(LESSON_SETTINGS.ollamaHost) || process.env.OLLAMA_HOST);
    const model = config.get<string>(LESSON_SETTINGS.rerankModel) || DEFAULT_EMBED_MODEL;
    const key = `${root}\n${host}\n${model}`;
    if (this.embedderCache?.key !== key) {
      const inner = new OllamaEmbedder({ host, model });
      this.embedderCache = { key, embedder: new CachedEmbedder(inner, { fs: nodeFileSystem, path: `${root}/.llmgenie/cache/embeddings.json` }) };
    }
    return this.embedderCache.embedder;
  }

  private async loadNow(): Promise<void> {
    const started = performance.now();
    // Each folder keeps its own lessons; one that cannot be read is reported and the others still load.
    await Promise.all(
      this.indexes.folders().map(async (folder) => {
        try {
          await this.indexes.store(folder);
        } catch (e) {
          const store = folder.index.current;
          // A refused lessons.dir / lessons.docsDir names its setting; anything else says which folder failed.
          if (e instanceof WorkspaceSettingError) this.services.reportError(`setting:${e.setting}`, e.message);
          else this.services.reportError(`lessons-load:${folder.root}`, `could not read the lessons in ${store ? relativePath(folder.root, store.dir) : folder.name}`, e);
        }
        const store = folder.index.current;
        if (store) this.services.log.info(`lessons: ${folder.name}: ${store.size} loaded, ${store.problems().length} problems (${(performance.now() - started).toFixed(1)} ms)`);
      }),
    );
    this.everLoaded = true;
    this.publish();
  }

  /** A folder setting or the workspace folders changed: the indexes were dropped; load again if shown before. */
  private async restart(): Promise<void> {
    const wasLoaded = this.everLoaded || this.loading !== undefined;
    await this.loading;
    this.everLoaded = false;
    this.diagnostics.clear();
    if (wasLoaded) await this.load();
    else this.changed.fire();
  }

  /** A branch switch changes many files at once: one refresh for the burst. */
  private schedulePublish(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.publish(), 80);
  }

  /** Diagnostics from the store's problems, then a change event for the views. */
  publish(): void {
    this.diagnostics.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const folder of this.indexes.folders()) {
      for (const p of folder.index.current?.problems() ?? []) {
        const list = byFile.get(p.file) ?? [];
        list.push(toDiagnostic(p));
        byFile.set(p.file, list);
      }
    }
    for (const [file, diags] of byFile) this.diagnostics.set(vscode.Uri.file(file), diags);
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}

function toDiagnostic(p: LessonProblem): vscode.Diagnostic {
  const line = Math.max(0, p.line - 1);
  // The editor clamps the end to the line's length; the store does not keep the text to measure it.
  const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, vscode.DiagnosticSeverity.Warning);
  d.source = 'llmgenie';
  d.code = 'lesson-file';
  return d;
}

/** OLLAMA_HOST is often written without a scheme (`0.0.0.0:11434`), as the ollama CLI accepts. */
function ollamaHost(value: string | undefined): string {
  const v = value?.trim();
  if (!v) return DEFAULT_OLLAMA_HOST;
  return /^https?:\/\//i.test(v) ? v : `http://${v}`;
}
