import * as vscode from 'vscode';
import type { Lesson } from '../../core/lessons/lesson';
import type { LessonHit } from '../../core/lessons/searchIndex';
import { buildFoldersView } from '../../core/lessons/folderView';
import { parseSourceLink, relatedTo, relativePath } from '../../core/lessons/viewModel';
import { LESSONS_VIEW_ID, persistedStateSchema, toViewState, webviewMessageSchema } from '../../webviews/lessons/protocol';
import type { LessonsHostMessage, LessonsPersistedState, LessonsViewState, LessonsWebviewMessage } from '../../webviews/lessons/protocol';
import type { ExtensionServices } from '../services';
import { WebviewChannel } from '../webviewChannel';
import { renderWebviewHtml } from '../webviewHtml';
import type { LessonsModel } from './lessonsModel';
import { nodeGitRunner } from '../../core/platform/git';
import { deleteConsequence, gitFileState } from '../../core/platform/gitFileState';

/** Re-ranking asks Ollama; it waits for typing to pause so a word typed is one request, not one per key. */
const RERANK_DELAY_MS = 350;
/** The last query and tags, so a window reload opens the view where it was left. */
const QUERY_KEY = 'llmgenie.lessons.query';
/** Host messages that replace their predecessor: a hidden view is sent only the newest of each. */
const LATEST_ONLY: readonly LessonsHostMessage['type'][] = ['state', 'setQuery', 'focusSearch'];

/**
 * The Lessons sidebar (a webview view): search as you type, tag chips, cards with open/edit/delete, lessons
 * related to the active file (also as the view's badge), and the malformed files. The webview only draws; the
 * store, the search and every file operation stay here.
 */
export class LessonsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private channel: WebviewChannel<typeof webviewMessageSchema, LessonsHostMessage> | undefined;
  private pending: LessonsHostMessage[] = [];
  private query: { seq: number; query: string; tags: string[] };
  private activeFile: string | undefined;
  /** Which workspace folder `activeFile` is in (multi-root). */
  private activeFolder: number | undefined;
  private rerankTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly viewDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: LessonsModel,
  ) {
    const saved = persistedStateSchema.safeParse(services.context.workspaceState.get(QUERY_KEY) ?? {});
    this.query = { seq: 0, query: saved.success ? saved.data.query : '', tags: saved.success ? saved.data.tags : [] };
    this.disposables.push(
      model.onDidChange(() => this.refresh()),
      vscode.window.onDidChangeActiveTextEditor((e) => this.onActiveEditor(e)),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    const extensionUri = this.services.context.extensionUri;
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')],
    };
    const channel = new WebviewChannel<typeof webviewMessageSchema, LessonsHostMessage>(view.webview, webviewMessageSchema, (m) => this.onMessage(m), this.services.log, {
      latestOnly: LATEST_ONLY,
    });
    this.channel = channel;
    for (const m of this.pending.splice(0)) channel.post(m);
    const initial: LessonsPersistedState = { query: this.query.query, tags: this.query.tags, scrollTop: 0, chipsExpanded: false };
    view.webview.html = renderWebviewHtml(view.webview, extensionUri, {
      title: 'Lessons',
      body: '<main id="app" class="lessons" aria-busy="true"></main>',
      styles: ['media/lessons/lessons.css'],
      scripts: ['dist/webviews/lessons.js'],
      state: initial,
    });
    this.viewDisposables.push(
      channel,
      // A hidden webview view loses its page; it says `ready` again when shown, so messages wait until then.
      view.onDidChangeVisibility(() => !view.visible && channel.reset()),
      view.onDidDispose(() => {
        if (this.view === view) this.disposeView();
      }),
    );
    this.activeFile = this.fileOf(vscode.window.activeTextEditor);
    // First resolve is the first moment anyone asked for lessons: load now, not at activation.
    void this.model.load().then(() => this.refresh());
  }

  /** Shows the view; `query` sets its search box as if typed. */
  async reveal(query?: { query: string; tags?: string[]; focus?: boolean }): Promise<void> {
    if (query) this.query = { ...this.query, query: query.query, tags: query.tags ?? this.query.tags };
    await vscode.commands.executeCommand(`${LESSONS_VIEW_ID}.focus`);
    if (query) this.post({ type: 'setQuery', query: query.query, tags: query.tags, focus: query.focus ?? false });
  }

  async focusSearch(): Promise<void> {
    await vscode.commands.executeCommand(`${LESSONS_VIEW_ID}.focus`);
    this.post({ type: 'focusSearch' });
  }

  private post(m: LessonsHostMessage): void {
    if (this.channel) this.channel.post(m);
    else this.pending = [...this.pending.filter((p) => p.type !== m.type || !LATEST_ONLY.includes(m.type)), m];
  }

  private async onMessage(m: LessonsWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        // A page (re)loaded: it gets the query the host knows, whatever it saved itself.
        this.channel?.post({ type: 'setQuery', query: this.query.query, tags: this.query.tags, focus: false });
        return;
      case 'query':
        this.query = { seq: m.seq, query: m.query, tags: m.tags };
        void this.services.context.workspaceState.update(QUERY_KEY, { query: m.query, tags: m.tags });
        await this.model.load();
        this.refresh();
        this.scheduleRerank();
        return;
      case 'open':
        return this.withLesson(m.id, (l) => this.openLesson(l, false));
      case 'edit':
        return this.withLesson(m.id, (l) => this.openLesson(l, true));
      case 'delete':
        return this.withLesson(m.id, (l) => this.deleteLesson(l));
      case 'openSource':
        return this.withLesson(m.id, (l) => this.openSource(l));
      case 'openProblem':
        return this.openProblem(m.file, m.line);
      case 'newLesson':
        await vscode.commands.executeCommand('llmgenie.lessons.new');
        return;
    }
  }

  /** Sends what the view should show now: for the current query, or a loading state before the first load. */
  refresh(hits?: readonly LessonHit[], note?: string): void {
    this.updateBadge();
    // A hidden view has no page: its `ready` on show asks for the query again, and the answer is drawn then.
    if (!this.channel || !this.view?.visible) return;
    const folders = this.model.folderLessons();
    const state: LessonsViewState = folders.length
      ? toViewState(
          buildFoldersView(folders, {
            query: this.query.query,
            tags: this.query.tags,
            activeFile: this.activeFile,
            activeFolder: this.activeFolder,
            ruleIds: this.activeFile ? this.model.ruleIdsFor(this.activeFile, this.activeFolder) : undefined,
            hits,
            note,
          }),
        )
      : { mode: this.model.root ? 'loading' : 'no-folder', query: this.query.query, tags: this.query.tags, total: 0, cards: [], matched: 0, chips: [], problems: [], dir: '' };
    this.channel.post({ type: 'state', seq: this.query.seq, state });
  }

  private scheduleRerank(): void {
    clearTimeout(this.rerankTimer);
    const embedder = this.model.embedder();
    // Re-ranking orders one folder's hits; a multi-root view keeps each folder's text ranking.
    if (!embedder || !this.query.query.trim() || this.model.folderLessons().length > 1) return;
    const asked = this.query;
    this.rerankTimer = setTimeout(async () => {
      const store = this.model.current;
      if (!store || asked !== this.query) return;
      const outcome = await store.search(asked.query, { tags: asked.tags, limit: 50, rerank: embedder });
      // Only an answer to the query still in the box is worth drawing.
      if (asked !== this.query) return;
      if (!outcome.reranked && outcome.reason !== 'no text matches') this.services.log.info(`lessons: not re-ranked: ${outcome.reason}`);
      this.refresh(outcome.hits, outcome.reranked || outcome.reason === 'no text matches' ? undefined : `not re-ranked: ${outcome.reason}`);
    }, RERANK_DELAY_MS);
  }

  private onActiveEditor(editor: vscode.TextEditor | undefined): void {
    // Focusing the sidebar or a panel leaves no active editor: keep the file people were just looking at.
    if (!editor) return;
    const file = this.fileOf(editor);
    const folder = this.model.folderIndex(editor.document.uri);
    if (file === this.activeFile && folder === this.activeFolder) return;
    this.activeFile = file;
    this.activeFolder = folder;
    if (this.model.loaded) this.refresh();
  }

  private fileOf(editor: vscode.TextEditor | undefined): string | undefined {
    return editor ? this.model.relative(editor.document.uri) : undefined;
  }

  private updateBadge(): void {
    if (!this.view) return;
    const store = this.activeFolder !== undefined ? this.model.folderLessons()[this.activeFolder]?.store : this.model.current;
    const file = this.activeFile;
    const n = store && file ? relatedTo(store, file, this.model.ruleIdsFor(file, this.activeFolder)).length : 0;
    const name = file?.slice(file.lastIndexOf('/') + 1);
    this.view.badge = n ? { value: n, tooltip: `${n} lesson${n === 1 ? '' : 's'} related to ${name}` } : undefined;
  }

  private async withLesson(id: string, fn: (lesson: Lesson) => Promise<void>): Promise<void> {
    const lesson = this.model.findLesson(id);
    if (!lesson) {
      void vscode.window.showWarningMessage('llmgenie: That lesson is gone (its file changed); the list is up to date now.');
      this.refresh();
      return;
    }
    await fn(lesson);
  }

  /** Open: a preview tab at the lesson's first line. Edit: a kept tab with the cursor where the text starts. */
  private async openLesson(lesson: Lesson, edit: boolean): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(lesson.path));
    const line = Math.min(lesson.line - 1, doc.lineCount - 1);
    const target = edit ? bodyStart(doc, line) : new vscode.Position(line, 0);
    const editor = await vscode.window.showTextDocument(doc, { preview: !edit, preserveFocus: !edit, selection: new vscode.Range(target, target) });
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
  }

  private async deleteLesson(lesson: Lesson): Promise<void> {
    const store = this.model.storeOf(lesson)!;
    const file = relativePath(store.root, lesson.path);
    if (lesson.readOnly) {
      void vscode.window.showInformationMessage(`"${lesson.title}" is a section of ${file}; delete it there.`);
      return this.openLesson(lesson, true);
    }
    // Ask git what it really holds of the file: the dialog must not promise a history that does not exist.
    const state = await gitFileState(nodeGitRunner, store.root, file);
    const pick = await vscode.window.showWarningMessage(`Delete the lesson "${lesson.title}"?`, { modal: true, detail: deleteConsequence(state, file) }, 'Delete');
    if (pick !== 'Delete') return;
    const uri = vscode.Uri.file(lesson.path);
    // Kept in memory so Undo restores exactly what was deleted (edits git never saw included).
    const kept = await vscode.workspace.fs.readFile(uri).then((b) => b, () => undefined);
    try {
      await store.delete(lesson.id);
    } catch (e) {
      void vscode.window.showErrorMessage(`llmgenie: ${(e as Error).message}`);
      return;
    }
    this.model.publish();
    // The search box still held the deleted lesson's title (it was found by it): clear it, keep the tag filter.
    const q = this.query.query.trim().toLowerCase();
    if (q && (lesson.title.toLowerCase().includes(q) || q.includes(lesson.title.toLowerCase())))
      this.post({ type: 'setQuery', query: '', tags: this.query.tags, focus: false });
    if (!kept) return;
    const undo = await vscode.window.showInformationMessage(`llmgenie: Deleted the lesson "${lesson.title}" (${file}).`, 'Undo');
    if (undo !== 'Undo') return;
    await vscode.workspace.fs.writeFile(uri, kept);
    await this.model.reload();
    this.model.publish();
    void vscode.window.showInformationMessage(`llmgenie: Restored the lesson "${lesson.title}".`);
  }

  private async openSource(lesson: Lesson): Promise<void> {
    const link = parseSourceLink(lesson.source);
    if (!link) return;
    if (link.kind === 'url') {
      await vscode.env.openExternal(vscode.Uri.parse(link.url, true));
      return;
    }
    const root = this.model.storeOf(lesson)!.root;
    const path = link.path.startsWith('/') || /^[a-z]:[\\/]/i.test(link.path) ? link.path : `${root}/${link.path}`;
    const uri = vscode.Uri.file(path);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showWarningMessage(`llmgenie: The lesson's source ${link.path} does not exist in this workspace.`);
      return;
    }
    const line = Math.max(0, (link.line ?? 1) - 1);
    await vscode.window.showTextDocument(uri, { preview: true, selection: new vscode.Range(line, 0, line, 0) });
  }

  /** Only a file the store reports a problem for; the webview names it, it does not choose it. */
  private async openProblem(file: string, line: number): Promise<void> {
    const problem = this.model.findProblem(file, line);
    if (!problem) return this.refresh();
    const l = problem.line - 1;
    await vscode.window.showTextDocument(vscode.Uri.file(problem.file), { preview: true, selection: new vscode.Range(l, 0, l, 0) });
  }

  private disposeView(): void {
    clearTimeout(this.rerankTimer);
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.channel = undefined;
    this.view = undefined;
  }

  dispose(): void {
    this.disposeView();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The first line after a lesson file's front matter (skipping one blank line), or the line below a heading. */
function bodyStart(doc: vscode.TextDocument, line: number): vscode.Position {
  let i = line;
  if (/^---\s*$/.test(doc.lineAt(line).text)) {
    i = line + 1;
    while (i < doc.lineCount && !/^(---|\.\.\.)\s*$/.test(doc.lineAt(i).text)) i++;
  }
  i = Math.min(i + 1, doc.lineCount - 1);
  if (!doc.lineAt(i).text.trim() && i + 1 < doc.lineCount) i++;
  return new vscode.Position(i, 0);
}
