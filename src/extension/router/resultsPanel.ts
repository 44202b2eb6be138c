import * as vscode from 'vscode';
import { reduceAnswer, type AnswerEvent, type AnswerView } from '../../core/router/answerView';
import { codeBlocks, safeHref } from '../../core/router/markdown';
import { RESULTS_VIEW_TYPE, persistedStateSchema, webviewMessageSchema } from '../../webviews/results/protocol';
import type { ResultsHostMessage, ResultsWebviewMessage } from '../../webviews/results/protocol';
import type { ExtensionServices } from '../services';
import { WebviewChannel } from '../webviewChannel';
import { renderWebviewHtml } from '../webviewHtml';
import { SET_KEY } from './apiKey';
import type { Proposals } from './proposals';
import { PULL_MODEL } from './providerHelp';

const TITLE = 'llmgenie: Answer';

/** What the panel's task buttons do; set by the editor commands, which keep the tasks. */
export interface ResultsActions {
  /** Runs the task again on `target`; returns a one-line problem when it cannot. */
  rerun(id: string, target: 'ollama' | 'anthropic'): Promise<string | undefined>;
  /** The user took a code block of the answer (feedback for the router). */
  accepted(id: string, how: 'apply' | 'insert' | 'copy'): Promise<void>;
  /** Runs the task again the way it ran (the failure card's Retry). */
  retry(id: string): Promise<string | undefined>;
}

/**
 * The one "llmgenie: Answer" panel beside the editor, reused by every task: the newest task's answer streams in,
 * Stop cancels it, code blocks copy / insert / apply as a diff. The host keeps the view (same reducer as the
 * webview) and sends it whole whenever the webview (re)loads; after a window reload the serializer restores it.
 */
export class ResultsPanel implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<typeof webviewMessageSchema, ResultsHostMessage> | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private view: AnswerView | null = null;
  private stop: (() => void) | undefined;
  /** The last text editor the user was in (the panel takes focus, so the active editor is often undefined). */
  private lastEditor: vscode.TextEditor | undefined;
  actions: ResultsActions | undefined;

  constructor(
    private readonly services: ExtensionServices,
    private readonly proposals: Proposals,
  ) {
    services.track(vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, this));
    services.track(vscode.window.onDidChangeActiveTextEditor((e) => e && e.document.uri.scheme !== 'output' && (this.lastEditor = e)));
    this.lastEditor = vscode.window.activeTextEditor;
  }

  /**
   * The editor a task is about: the active one, else the last one the user was in while it is still on screen. With
   * the answer panel focused there is no active text editor, yet the code the user means sits beside it.
   */
  editorForTask(): vscode.TextEditor | undefined {
    const last = this.lastEditor?.document.uri.toString();
    return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === last);
  }

  /** Shows a new task (cancelling the one shown before, if it still runs). `stop` aborts the new one. */
  start(view: AnswerView, stop: () => void): void {
    this.stop?.();
    this.stop = stop;
    this.view = view;
    if (!this.panel) this.create();
    else if (!this.panel.visible) this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    this.post({ type: 'show', view });
  }

  event(id: string, event: AnswerEvent): void {
    if (!this.view || this.view.id !== id) return;
    this.view = reduceAnswer(this.view, event);
    this.post({ type: 'event', id, event });
    if (event.kind === 'done') this.stop = undefined;
  }

  isCurrent(id: string): boolean {
    return this.view?.id === id;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    const restored = persistedStateSchema.safeParse(raw);
    let view = restored.success ? restored.data.view : null;
    // A task cannot survive a reload: show what had streamed, marked as interrupted.
    if (view?.status === 'running') view = { ...view, status: 'cancelled', banners: [...view.banners, { level: 'info', message: 'Interrupted by a window reload.' }] };
    this.view = view;
    this.attach(panel);
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // Retained while hidden: an answer may be streaming into it, and there is only ever one such panel.
      { enableFindWidget: true, retainContextWhenHidden: true },
    );
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    const extensionUri = this.services.context.extensionUri;
    this.panel = panel;
    panel.title = TITLE;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'llmgenie.svg');
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')],
    };
    this.channel = new WebviewChannel(panel.webview, webviewMessageSchema, (m) => this.onMessage(m), this.services.log);
    this.panelDisposables = [this.channel, panel.onDidDispose(() => this.detach())];
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, {
      title: TITLE,
      body: '<main id="app" class="results"></main>\n<div id="flash" class="flash" role="status" aria-live="polite"></div>',
      styles: ['media/results/results.css'],
      scripts: ['dist/webviews/results.js'],
      state: { view: this.view },
    });
  }

  private detach(): void {
    // Closing the panel stops its task: nobody is watching the answer any more.
    this.stop?.();
    this.stop = undefined;
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.panel = undefined;
    this.channel = undefined;
  }

  private post(m: ResultsHostMessage): void {
    this.channel?.post(m);
  }

  private flash(text: string, kind: 'info' | 'error' = 'info'): void {
    this.post({ type: 'flash', text, kind });
  }

  private async onMessage(m: ResultsWebviewMessage): Promise<void> {
    if (m.type === 'ready') return this.post({ type: 'show', view: this.view });
    if (m.type === 'openLink') {
      const href = safeHref(m.href);
      if (href) await vscode.env.openExternal(vscode.Uri.parse(href, true));
      return;
    }
    const view = this.view;
    if (!view || view.id !== m.id) return;
    switch (m.type) {
      case 'stop':
        this.stop?.();
        return;
      case 'openSource':
        return this.openSource(view);
      case 'rerun': {
        if (view.status === 'running') return this.flash('Wait for the answer to finish, or stop it first.', 'error');
        const problem = (await this.actions?.rerun(view.id, m.target)) ?? (this.actions ? undefined : 'not available');
        if (problem) this.flash(`Cannot re-run: ${problem}.`, 'error');
        return;
      }
      case 'failureAction':
        return this.failureAction(view, m.action);
      case 'copy':
      case 'insert':
      case 'apply': {
        // The webview names a block; its code comes from the host's own copy of the answer.
        const block = codeBlocks(view.answer)[m.block];
        if (!block?.closed) return this.flash('That code block is not complete yet.', 'error');
        if (m.type === 'copy') {
          await vscode.env.clipboard.writeText(block.text);
          if (view.status === 'done') void this.actions?.accepted(view.id, 'copy');
          return this.flash('Copied to the clipboard.');
        }
        if (view.status !== 'done') return this.flash('Wait for the answer to finish.', 'error');
        void this.actions?.accepted(view.id, m.type);
        if (m.type === 'insert') return this.insert(block.text);
        if (!view.source) return this.flash('This answer is not about a file.', 'error');
        const problem = await this.proposals.show(view.source, block.text);
        if (problem) this.flash(`Cannot apply: ${problem}.`, 'error');
        return;
      }
    }
  }

  /** A failure card button: the action comes from the host's copy of the card, the webview only names its index. */
  private async failureAction(view: AnswerView, index: number): Promise<void> {
    const action = view.failure?.actions[index];
    if (!action || view.status === 'running') return;
    let problem: string | undefined;
    switch (action.id) {
      case 'setKey':
        await vscode.commands.executeCommand(SET_KEY);
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', action.setting);
        return;
      case 'pullModel':
        await vscode.commands.executeCommand(PULL_MODEL, action.model);
        return;
      case 'retry':
        problem = await this.actions?.retry(view.id);
        break;
      case 'askClaude':
        problem = await this.actions?.rerun(view.id, 'anthropic');
        break;
      case 'tryLocal':
        problem = await this.actions?.rerun(view.id, 'ollama');
        break;
    }
    if (problem) this.flash(`Cannot ${action.label.toLowerCase()}: ${problem}.`, 'error');
  }

  private async insert(code: string): Promise<void> {
    const source = this.view?.source && vscode.Uri.parse(this.view.source.uri, true).toString();
    const editor =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.lastEditor?.document.uri.toString()) ??
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === source);
    if (!editor) return this.flash('Open an editor and place the cursor where the code should go.', 'error');
    const at = editor.selection.active;
    const ok = await editor.edit((b) => b.insert(at, code));
    if (!ok) return this.flash('The editor refused the edit.', 'error');
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    this.flash(`Inserted into ${vscode.workspace.asRelativePath(editor.document.uri, false)} at line ${at.line + 1}.`);
  }

  private async openSource(view: AnswerView): Promise<void> {
    if (!view.source) return;
    const uri = vscode.Uri.parse(view.source.uri, true);
    const doc = await vscode.workspace.openTextDocument(uri);
    const start = doc.positionAt(Math.min(view.source.start, doc.getText().length));
    const end = doc.positionAt(Math.min(view.source.end, doc.getText().length));
    const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: new vscode.Selection(start, end) });
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.stop?.();
    this.panel?.dispose();
  }
}
