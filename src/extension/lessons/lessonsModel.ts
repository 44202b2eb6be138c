import { WorkspaceSettingError } from '../../core/platform/workspacePath';
import * as vscode from 'vscode';
import { CachedEmbedder, DEFAULT_EMBED_MODEL, DEFAULT_OLLAMA_HOST, OllamaEmbedder, type Embedder } from '../../core/lessons/embeddings';
import type { LessonProblem } from '../../core/lessons/lesson';
import { LessonStore } from '../../core/lessons/store';
import { relativePath } from '../../core/lessons/viewModel';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { globMatcher } from '../../core/rules/globs';
import type { RegisteredRule } from '../../core/rules/registry';
import type { ExtensionServices } from '../services';
import { getEditorSessionSink } from '../sessions/editorSession';

export const LESSON_SETTINGS = {
  dir: 'llmgenie.lessons.dir',
  docsDir: 'llmgenie.lessons.docsDir',
  rerankEnabled: 'llmgenie.lessons.rerank.enabled',
  rerankModel: 'llmgenie.lessons.rerank.model',
  ollamaHost: 'llmgenie.ollama.host',
} as const;

const toPosix = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');

/**
 * The workspace's lessons for the editor: one LessonStore, loaded on first use (never at activation), kept
 * current by a file watcher, with its problems in the Problems panel. Views listen to `onDidChange`.
 */
export class LessonsModel implements vscode.Disposable {
  private store: LessonStore | undefined;
  private loading: Promise<LessonStore | undefined> | undefined;
  private watchers: vscode.Disposable[] = [];
  private embedderCache: { key: string; embedder: Embedder } | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('llmgenie-lessons');
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly services: ExtensionServices,
    private readonly rules: () => readonly RegisteredRule[] = () => [],
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(LESSON_SETTINGS.dir) || e.affectsConfiguration(LESSON_SETTINGS.docsDir)) void this.restart();
        else if (e.affectsConfiguration('llmgenie.lessons.rerank') || e.affectsConfiguration(LESSON_SETTINGS.ollamaHost)) this.changed.fire();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.restart()),
    );
  }

  /** The first local folder ('/'-separated); lessons live in one workspace folder. */
  get root(): string | undefined {
    const f = (vscode.workspace.workspaceFolders ?? []).find((x) => x.uri.scheme === 'file');
    return f ? toPosix(f.uri.fsPath) : undefined;
  }

  /** The store once loaded; undefined before the first `load` and without a folder. */
  get current(): LessonStore | undefined {
    return this.store;
  }

  get loaded(): boolean {
    return this.store !== undefined;
  }

  /** Loads on first call; later calls return the same store. Undefined when no local folder is open. */
  load(): Promise<LessonStore | undefined> {
    if (this.store) return Promise.resolve(this.store);
    this.loading ??= this.loadNow().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Reads every lesson again ("Reload Lessons"). */
  async reload(): Promise<void> {
    const store = await this.load();
    if (!store) return;
    try {
      await store.load();
    } catch (e) {
      this.services.reportError('lessons-load', 'could not read the lessons', e);
    }
    this.publish();
  }

  /** Workspace-relative path of a document under the root, or undefined. */
  relative(uri: vscode.Uri): string | undefined {
    const root = this.root;
    if (!root || uri.scheme !== 'file') return undefined;
    const rel = relativePath(root, toPosix(uri.fsPath));
    return rel.startsWith('/') || /^[a-z]:/i.test(rel) ? undefined : rel;
  }

  /** Ids (and manifest names) of rules whose globs match the file, so lessons naming them count as related. */
  ruleIdsFor(relPath: string): string[] {
    const out: string[] = [];
    for (const r of this.rules()) {
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

  private async loadNow(): Promise<LessonStore | undefined> {
    const root = this.root;
    if (!root) return undefined;
    const config = vscode.workspace.getConfiguration();
    const resolve = (p: string | undefined, fallback: string) => {
      const v = toPosix((p ?? '').trim() || fallback);
      return v.startsWith('/') || /^[a-z]:\//i.test(v) ? v : `${root}/${v.replace(/^\.\//, '')}`;
    };
    const store = new LessonStore({
      fs: nodeFileSystem,
      root,
      dir: resolve(config.get<string>(LESSON_SETTINGS.dir), 'docs/lessons'),
      docsDir: resolve(config.get<string>(LESSON_SETTINGS.docsDir), 'docs'),
      sink: getEditorSessionSink(this.services),
    });
    const started = performance.now();
    try {
      await store.load();
    } catch (e) {
      // A refused lessons.dir / lessons.docsDir names its setting; anything else says which folder failed.
      if (e instanceof WorkspaceSettingError) this.services.reportError(`setting:${e.setting}`, e.message);
      else this.services.reportError('lessons-load', `could not read the lessons in ${relativePath(root, store.dir)}`, e);
    }
    this.store = store;
    this.watch(store);
    this.services.log.info(`lessons: ${store.size} loaded, ${store.problems().length} problems (${(performance.now() - started).toFixed(1)} ms)`);
    this.publish();
    return store;
  }

  private async restart(): Promise<void> {
    const wasLoaded = this.loaded || this.loading !== undefined;
    await this.loading;
    this.unwatch();
    this.store = undefined;
    this.diagnostics.clear();
    if (wasLoaded) await this.load();
    else this.changed.fire();
  }

  /** Lessons can live outside the root (absolute settings), so each folder not inside another gets a watcher. */
  private watch(store: LessonStore): void {
    this.unwatch();
    const folders = [store.root, store.dir, store.docsDir].filter((f, i, all) => !all.some((o, j) => j !== i && (f.startsWith(`${o}/`) || (f === o && j < i))));
    for (const folder of folders) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*.md'));
      const changed = (uri: vscode.Uri) => this.onFile(store, uri, false);
      w.onDidCreate(changed);
      w.onDidChange(changed);
      w.onDidDelete((uri) => this.onFile(store, uri, true));
      this.watchers.push(w);
    }
  }

  private unwatch(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
  }

  private onFile(store: LessonStore, uri: vscode.Uri, deleted: boolean): void {
    const path = toPosix(uri.fsPath);
    if (store !== this.store || !store.isLessonFile(path)) return;
    const update = deleted ? store.removeFile(path) : store.applyFileChange(path);
    update.then(
      (c) => {
        if (c.added.length || c.updated.length || c.removed.length) this.services.log.debug(`lessons: ${relativePath(store.root, path)} +${c.added.length} ~${c.updated.length} -${c.removed.length}`);
        this.schedulePublish();
      },
      (e) => this.services.log.warn(`lessons: cannot re-read ${path}: ${String(e)}`),
    );
  }

  /** A branch switch changes many files at once: one refresh for the burst. */
  private schedulePublish(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.publish(), 80);
  }

  /** Diagnostics from the store's problems, then a change event for the views. */
  publish(): void {
    const store = this.store;
    this.diagnostics.clear();
    if (store) {
      const byFile = new Map<string, vscode.Diagnostic[]>();
      for (const p of store.problems()) {
        const list = byFile.get(p.file) ?? [];
        list.push(toDiagnostic(p));
        byFile.set(p.file, list);
      }
      for (const [file, diags] of byFile) this.diagnostics.set(vscode.Uri.file(file), diags);
    }
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.unwatch();
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
