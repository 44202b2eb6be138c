import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { runChatTurn, type TurnRunner } from '../../core/chat/chatTurn';
import type { ChatThread, ChatTurn, ThreadSummary, TurnContext } from '../../core/chat/thread';
import { threadStore, type ThreadStore } from '../../core/chat/threadStore';
import type { AnswerEvent } from '../../core/router/answerView';
import { codeBlocks, safeHref } from '../../core/router/markdown';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { CHAT_VIEW_ID, webviewMessageSchema, type ChatHostMessage, type ChatState, type ChatWebviewMessage } from '../../webviews/chat/protocol';
import type { RouterParts } from '../router/editorCommands';
import { WebviewChannel } from '../webviewChannel';
import { renderWebviewHtml } from '../webviewHtml';
import { editorContext, type EditorContext } from './editorContext';

/** The open thread, so a window reload opens the conversation where it was left. */
const THREAD_KEY = 'llmgenie.chat.thread';
const LATEST_ONLY: readonly ChatHostMessage['type'][] = ['state', 'context', 'focusInput'];

/**
 * The conversation view in the llmgenie sidebar: one thread at a time, each question answered on the router with
 * the earlier turns as history, streamed as the answer panel streams. Threads are files in the workspace
 * (`.llmgenie/conversations/`); the webview only draws, the host keeps the thread and runs every action.
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private channel: WebviewChannel<typeof webviewMessageSchema, ChatHostMessage> | undefined;
  private thread: ChatThread | null = null;
  private threads: ThreadSummary[] = [];
  private loaded: Promise<void> | undefined;
  private running: { turnId: string; stop: () => void } | undefined;
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private contextTimer: ReturnType<typeof setTimeout> | undefined;
  private storeFor: { root: string; store: ThreadStore } | undefined;
  private focusPending = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly viewDisposables: vscode.Disposable[] = [];

  constructor(private readonly parts: RouterParts) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.uri.scheme !== 'output') this.lastEditor = e;
        this.postContextSoon();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === this.lastEditor && this.postContextSoon()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.view = view;
    const extensionUri = this.parts.services.context.extensionUri;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')] };
    const channel = new WebviewChannel<typeof webviewMessageSchema, ChatHostMessage>(view.webview, webviewMessageSchema, (m) => this.onMessage(m), this.parts.services.log, { latestOnly: LATEST_ONLY });
    this.channel = channel;
    if (this.focusPending) channel.post({ type: 'focusInput' });
    this.focusPending = false;
    view.webview.html = renderWebviewHtml(view.webview, extensionUri, {
      title: 'Chat',
      body: '<main id="app" class="chat" aria-busy="true"></main>\n<div id="flash" class="flash" role="status" aria-live="polite"></div>',
      styles: ['media/results/results.css', 'media/chat/chat.css'],
      scripts: ['dist/webviews/chat.js'],
    });
    this.viewDisposables.push(
      channel,
      // A hidden webview view loses its page and says `ready` again when shown; messages wait until then.
      view.onDidChangeVisibility(() => !view.visible && channel.reset()),
      view.onDidDispose(() => {
        if (this.view !== view) return;
        for (const d of this.viewDisposables.splice(0)) d.dispose();
        this.view = undefined;
        this.channel = undefined;
      }),
    );
  }

  /** The user asked for the view (a command): show it and put the cursor in the question box. */
  async open(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    this.post({ type: 'focusInput' });
  }

  /** After a click in the view's title bar: the user is here to type. */
  focusInput(): void {
    this.post({ type: 'focusInput' });
  }

  async newThread(): Promise<void> {
    this.thread = null;
    await this.parts.services.context.workspaceState.update(THREAD_KEY, undefined);
    await this.postState();
  }

  /** Quick pick of the threads, newest first: open one, or delete it with its trash button. */
  async showThreads(): Promise<void> {
    const store = this.store();
    if (!store) return void vscode.window.showInformationMessage('llmgenie: Open a folder to keep conversations.');
    const threads = await store.list();
    if (!threads.length) return void vscode.window.showInformationMessage('llmgenie: No conversations yet. Ask a question in the Chat view to start one.');
    const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete this conversation' };
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
    pick.title = 'llmgenie: Conversations';
    pick.placeholder = 'Open a conversation';
    const items = (list: ThreadSummary[]) => list.map((t) => ({ id: t.id, label: t.title, description: `${t.turns} turn${t.turns === 1 ? '' : 's'}`, detail: new Date(t.updatedAt).toLocaleString(), buttons: [remove] }));
    pick.items = items(threads);
    pick.onDidTriggerItemButton(async (e) => {
      const ok = await vscode.window.showWarningMessage(`Delete the conversation "${e.item.label}"? Its file in ${store.dir.split('/').slice(-2).join('/')} is removed.`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return;
      await store.remove(e.item.id);
      if (this.thread?.id === e.item.id) await this.newThread();
      pick.items = items(await store.list());
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0];
      pick.hide();
      if (chosen) void this.openThread(chosen.id);
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
  }

  private async openThread(id: string): Promise<void> {
    const loaded = await this.store()?.load(id);
    if (!loaded) return this.flash('That conversation is gone (its file was removed).', 'error');
    if (loaded.skipped) this.parts.services.log.warn(`conversation ${id}: ${loaded.skipped} unreadable line(s) skipped`);
    this.thread = loaded.thread;
    await this.parts.services.context.workspaceState.update(THREAD_KEY, id);
    await this.postState();
  }

  private post(m: ChatHostMessage): void {
    if (this.channel) this.channel.post(m);
    // Before the view is resolved only a focus request is worth keeping: the state is sent when the page is ready.
    else if (m.type === 'focusInput') this.focusPending = true;
  }

  private flash(text: string, kind: 'info' | 'error' = 'info'): void {
    this.post({ type: 'flash', text, kind });
  }

  /** Conversations live in the first folder on disk; without one the view still answers but keeps nothing. */
  private store(): ThreadStore | undefined {
    const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.scheme === 'file');
    if (!folder) return undefined;
    const root = folder.uri.fsPath.replace(/\\/g, '/');
    if (this.storeFor?.root !== root) this.storeFor = { root, store: threadStore({ fs: nodeFileSystem, root, newId: randomUUID }) };
    return this.storeFor.store;
  }

  /** First look at the view: reopen the thread it showed before the reload. */
  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const id = this.parts.services.context.workspaceState.get<string>(THREAD_KEY);
      const loaded = id ? await this.store()?.load(id).catch(() => undefined) : undefined;
      if (loaded) this.thread = loaded.thread;
    })();
    return this.loaded;
  }

  private async state(): Promise<ChatState> {
    const store = this.store();
    this.threads = store ? await store.list().catch(() => []) : [];
    return {
      thread: this.thread ? { id: this.thread.id, title: this.thread.title, turns: this.thread.turns } : null,
      threads: this.threads.slice(0, 8),
      context: this.contextNow()?.chip ?? null,
      running: this.running?.turnId ?? null,
      ...(store ? {} : { problem: 'No folder is open: answers work, but conversations are not kept.' }),
    };
  }

  private async postState(): Promise<void> {
    this.post({ type: 'state', state: await this.state() });
  }

  private contextNow(): EditorContext | undefined {
    const e = this.lastEditor;
    return e && !e.document.isClosed ? editorContext(e) : undefined;
  }

  private postContextSoon(): void {
    if (this.contextTimer) clearTimeout(this.contextTimer);
    this.contextTimer = setTimeout(() => this.post({ type: 'context', context: this.contextNow()?.chip ?? null }), 150);
  }

  private async onMessage(m: ChatWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.load();
        return this.postState();
      case 'send':
        return this.send(m.text, m.withContext);
      case 'stop':
        if (this.running?.turnId === m.turnId) this.running.stop();
        return;
      case 'rerun':
        return this.rerun(m.turnId, m.target);
      case 'copy':
      case 'insert':
        return this.takeCode(m.type, m.turnId, m.block);
      case 'openChip':
        return this.openChip(m.turnId, m.index);
      case 'openThread':
        return this.openThread(m.id);
      case 'openLink': {
        const href = safeHref(m.href);
        if (href) await vscode.env.openExternal(vscode.Uri.parse(href, true));
        return;
      }
    }
  }

  private turn(id: string): ChatTurn | undefined {
    return this.thread?.turns.find((t) => t.id === id);
  }

  private async send(text: string, withContext: boolean): Promise<void> {
    if (this.running) return this.flash('Wait for the answer to finish, or stop it first.', 'error');
    if (!text.trim()) return;
    if (!this.parts.services.isTrustedFor('Sending code to a model')) return;
    const context = withContext ? this.contextNow() : undefined;
    if (context?.problem) return this.flash(context.problem, 'error');
    const store = this.store();
    if (!this.thread) {
      this.thread = store ? await store.create(text) : { id: randomUUID(), title: text.slice(0, 60), createdAt: Date.now(), updatedAt: Date.now(), turns: [] };
      await this.parts.services.context.workspaceState.update(THREAD_KEY, this.thread.id);
      await this.postState();
    }
    await this.runTurn(randomUUID(), text, context?.context, context?.uri);
  }

  private async rerun(turnId: string, target: 'ollama' | 'anthropic'): Promise<void> {
    const turn = this.turn(turnId);
    if (!turn) return this.flash('That turn is no longer in this conversation.', 'error');
    if (this.running) return this.flash('Wait for the answer to finish, or stop it first.', 'error');
    // A local answer the user re-ran on Claude: tasks like this one need Claude (feedback for this workspace).
    if (target === 'anthropic' && turn.answer.metrics?.provider === 'ollama') await this.feedback(turn, 'rerun-cloud', 'the user re-ran the local chat answer on Claude');
    const uri = turn.chips.find((c) => c.uri)?.uri;
    await this.runTurn(turn.id, turn.text, turn.context, uri, target === 'anthropic' ? 'cloud' : 'local');
  }

  private async runTurn(id: string, text: string, context: TurnContext | undefined, uri: string | undefined, force?: 'local' | 'cloud'): Promise<void> {
    const thread = this.thread!;
    const { runtime, status, services } = this.parts;
    const config = runtime.config();
    const ac = new AbortController();
    this.running = { turnId: id, stop: () => ac.abort() };
    // The turn's file decides whose folder (files, lessons, session log) serves it.
    const folder = uri ? vscode.Uri.parse(uri, true) : undefined;
    const run: TurnRunner = (input, opts) => runtime.run(input, opts.force ? { ...config, router: { ...config.router, mode: opts.force } } : config, { ...opts, ...(folder ? { folder } : {}) });
    const done = status.busy(`Chat: ${text.slice(0, 40)}`);
    const placeholder = (view: ChatTurn['answer']): ChatTurn => ({ id, at: Date.now(), text, ...(context ? { context } : {}), chips: this.turn(id)?.chips ?? [], answer: view });
    try {
      const turn = await runChatTurn(
        { thread, id, text, ...(context ? { context } : {}), ...(uri ? { contextUri: uri } : {}), mode: config.router.mode, ...(force ? { force } : {}), models: { ollama: config.providers.ollamaModel ?? '', anthropic: config.providers.claudeModel ?? '' } },
        run,
        {
          signal: ac.signal,
          onStart: (view) => this.post({ type: 'turn', threadId: thread.id, turn: placeholder(view) }),
          onEvent: (event: AnswerEvent) => this.post({ type: 'event', threadId: thread.id, turnId: id, event }),
        },
      );
      const saved = await this.save(thread, turn);
      const i = thread.turns.findIndex((t) => t.id === id);
      if (i >= 0) thread.turns[i] = saved;
      else thread.turns.push(saved);
      thread.updatedAt = Date.now();
      this.post({ type: 'turn', threadId: thread.id, turn: saved });
    } catch (e) {
      services.reportError('chat-turn', 'a chat turn failed unexpectedly', e);
    } finally {
      this.running = undefined;
      done();
      if (this.thread?.id === thread.id) await this.postState();
    }
  }

  /** Written masked; a write failure keeps the turn in this window and says why once. */
  private async save(thread: ChatThread, turn: ChatTurn): Promise<ChatTurn> {
    const store = this.store();
    if (!store) return turn;
    try {
      return await store.saveTurn(thread.id, turn);
    } catch (e) {
      this.parts.services.reportError('chat-save', `could not save the conversation: ${(e as Error).message}`, e);
      return turn;
    }
  }

  private async feedback(turn: ChatTurn, outcome: 'rerun-cloud' | 'accepted-local', reason: string): Promise<void> {
    const store = this.parts.runtime.feedback();
    if (!store || !turn.routing) return;
    try {
      await store.record({ taskId: turn.id, command: 'ask', language: turn.routing.language, score: turn.routing.score, threshold: turn.routing.threshold, outcome, reason });
    } catch (e) {
      this.parts.services.log.warn(`could not record routing feedback: ${(e as Error).message}`);
    }
  }

  private async takeCode(how: 'copy' | 'insert', turnId: string, index: number): Promise<void> {
    const turn = this.turn(turnId);
    const block = turn && codeBlocks(turn.answer.answer)[index];
    if (!turn || !block?.closed) return this.flash('That code block is not complete yet.', 'error');
    if (turn.answer.metrics?.provider === 'ollama' && turn.answer.metrics.ok) void this.feedback(turn, 'accepted-local', `the user chose ${how} on the local chat answer`);
    if (how === 'copy') {
      await vscode.env.clipboard.writeText(block.text);
      return this.flash('Copied to the clipboard.');
    }
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.lastEditor?.document);
    if (!editor) return this.flash('Open an editor and place the cursor where the code should go.', 'error');
    const at = editor.selection.active;
    if (!(await editor.edit((b) => b.insert(at, block.text)))) return this.flash('The editor refused the edit.', 'error');
    this.flash(`Inserted into ${vscode.workspace.asRelativePath(editor.document.uri, false)} at line ${at.line + 1}.`);
  }

  private async openChip(turnId: string, index: number): Promise<void> {
    const turn = this.turn(turnId);
    const chip = turn?.chips[index];
    if (!turn || !chip?.uri) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(chip.uri, true));
    const first = Math.max(0, (turn.context?.firstLine ?? 1) - 1);
    const last = turn.context ? first + turn.context.text.split('\n').length - 1 : first;
    const range = chip.kind === 'selection' ? new vscode.Range(first, 0, Math.min(last, doc.lineCount - 1), Number.MAX_SAFE_INTEGER) : new vscode.Range(0, 0, 0, 0);
    await vscode.window.showTextDocument(doc, { selection: range, viewColumn: vscode.ViewColumn.One });
  }

  dispose(): void {
    this.running?.stop();
    if (this.contextTimer) clearTimeout(this.contextTimer);
    for (const d of [...this.viewDisposables.splice(0), ...this.disposables.splice(0)]) d.dispose();
  }
}
