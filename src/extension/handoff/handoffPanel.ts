import * as vscode from 'vscode';
import { fixLabel, fixReplacement } from '../../core/handoff/fixEdit';
import { gapKey } from '../../core/handoff/panelModel';
import { HANDOFF_VIEW_TYPE, persistedStateSchema, webviewMessageSchema } from '../../webviews/handoff/protocol';
import type { HandoffHostMessage, HandoffPanelState, HandoffPersistedState, HandoffWebviewMessage } from '../../webviews/handoff/protocol';
import type { ExtensionServices } from '../services';
import { WebviewChannel } from '../webviewChannel';
import { renderWebviewHtml } from '../webviewHtml';
import type { HandoffModel, HandoffResult } from './handoffModel';

function toState(r: HandoffResult): HandoffPanelState {
  if (r.status === 'ok') return { status: 'ok', model: r.model };
  return { status: 'error', file: r.file, message: r.message, ...(r.line ? { line: r.line } : {}) };
}

function titleOf(state: HandoffPanelState, uri: vscode.Uri): string {
  const name = state.status === 'ok' ? state.model.title : uri.path.split('/').slice(-2, -1)[0] || 'package';
  return `Handoff: ${name}`;
}

/** One package's panel: renders the model's results for its HANDOFF.md and acts on the webview's clicks. */
class HandoffPanel implements vscode.Disposable {
  private readonly channel: WebviewChannel<typeof webviewMessageSchema, HandoffHostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private state: HandoffPanelState;
  private disposed = false;

  constructor(
    services: ExtensionServices,
    private readonly model: HandoffModel,
    readonly uri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly onDisposed: () => void,
    restored?: HandoffPanelState,
  ) {
    const extensionUri = services.context.extensionUri;
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webviews')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'llmgenie.svg');
    const known = model.get(uri);
    this.state = known ? toState(known) : (restored ?? { status: 'loading', file: vscode.workspace.asRelativePath(uri, false) });
    panel.title = titleOf(this.state, uri);
    this.channel = new WebviewChannel(panel.webview, webviewMessageSchema, (m) => this.onMessage(m), services.log);
    const persisted: HandoffPersistedState = { uri: uri.toString(), state: this.state };
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, {
      title: panel.title,
      body: '<main id="app" class="handoff"></main>\n<div id="notice" class="notice" role="status" aria-live="polite"></div>',
      styles: ['media/handoff/handoff.css'],
      scripts: ['dist/webviews/handoff.js'],
      state: persisted,
    });
    model.track(uri, 'panel');
    this.disposables.push(
      this.channel,
      model.onDidUpdate((r) => r.uri.toString() === uri.toString() && this.update(r)),
      panel.onDidDispose(() => this.dispose()),
    );
    // Always re-check on open: a restored panel's state is from before the reload.
    void model.validate(uri);
  }

  private update(r: HandoffResult): void {
    this.state = toState(r);
    this.panel.title = titleOf(this.state, this.uri);
    this.channel.post({ type: 'state', state: this.state });
  }

  private notice(text: string, kind: 'info' | 'error' = 'info'): void {
    this.channel.post({ type: 'notice', text, kind });
  }

  private async onMessage(m: HandoffWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.channel.post({ type: 'state', state: this.state });
        return;
      case 'revalidate':
        await this.model.validate(this.uri);
        return;
      case 'goToLine':
        await this.goToLine(m.line);
        return;
      case 'applyFix':
        await this.applyFix(m.key);
        return;
      case 'openFile':
        await this.openFile(m.path);
        return;
      case 'copyPrompt': {
        const r = this.model.get(this.uri);
        const prompt = r?.status === 'ok' ? r.model.prompt?.text : undefined;
        if (!prompt) return this.notice('This package has no startup prompt to copy.', 'error');
        await vscode.env.clipboard.writeText(prompt);
        this.notice('Startup prompt copied to the clipboard.');
        return;
      }
    }
  }

  /** Beside the panel, or where the document is already shown. */
  private columnFor(uri: vscode.Uri): vscode.ViewColumn {
    const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    if (shown?.viewColumn) return shown.viewColumn;
    return this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  }

  private async goToLine(line: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const i = Math.min(Math.max(line - 1, 0), doc.lineCount - 1);
    const range = new vscode.Range(i, 0, i, doc.lineAt(i).text.length);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: this.columnFor(this.uri), preview: false, selection: new vscode.Range(range.start, range.start) });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /**
   * Re-derives the fix from the document as it is now and applies it as a WorkspaceEdit, so it lands in the
   * editor's undo stack. A clean document is saved again, so the disk (and the CLI) sees the fix too.
   */
  private async applyFix(key: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const wasDirty = doc.isDirty;
    const result = await this.model.current(doc);
    const gap = result.status === 'ok' ? result.report.gaps.find((g) => gapKey(g) === key) : undefined;
    const r = gap?.fix && fixReplacement(doc.getText(), gap);
    if (!gap?.fix || !r) {
      this.notice('The package changed since this was shown; the list is up to date now.', 'error');
      this.update(result);
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    const start = doc.positionAt(r.start);
    edit.replace(this.uri, new vscode.Range(start, doc.positionAt(r.end)), r.text);
    if (!(await vscode.workspace.applyEdit(edit))) return this.notice('The editor refused the edit.', 'error');
    if (!wasDirty) await doc.save();
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri.toString());
    if (editor) {
      const end = doc.positionAt(r.start + r.text.length);
      editor.selection = new vscode.Selection(start, start);
      editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    await this.model.validate(this.uri);
    this.notice(`Applied: ${fixLabel(gap.fix)}. Undo with ${process.platform === 'darwin' ? '⌘Z' : 'Ctrl+Z'} in the editor.`);
  }

  private async openFile(path: string): Promise<void> {
    const r = this.model.get(this.uri);
    // Only paths the package lists, resolved in its workspace: the webview names a file, it does not choose one.
    const listed = r?.status === 'ok' ? r.report.files.find((f) => f.path === path) : undefined;
    if (!r || !listed) return;
    if (!listed.exists) return this.notice(`${path} does not exist in the workspace.`, 'error');
    const target = vscode.Uri.file(`${r.root}/${path}`);
    if (listed.kind === 'directory') {
      await vscode.commands.executeCommand('revealInExplorer', target);
      return;
    }
    await vscode.commands.executeCommand('vscode.open', target, { viewColumn: this.columnFor(target), preview: true });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.untrack(this.uri, 'panel');
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDisposed();
    this.panel.dispose();
  }
}

/** One panel per package: opening it again reveals the one already open. Restores panels after a reload. */
export class HandoffPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, HandoffPanel>();

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: HandoffModel,
  ) {}

  show(uri: vscode.Uri, column: vscode.ViewColumn = vscode.ViewColumn.Active): void {
    this.model.start();
    const open = this.panels.get(uri.toString());
    if (open) {
      open.panel.reveal(column);
      return;
    }
    const panel = vscode.window.createWebviewPanel(HANDOFF_VIEW_TYPE, 'Handoff', { viewColumn: column }, { enableFindWidget: true });
    this.attach(uri, panel);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    this.model.start();
    const parsed = persistedStateSchema.safeParse(raw);
    const uri = parsed.success ? vscode.Uri.parse(parsed.data.uri, true) : undefined;
    if (!parsed.success || !uri || this.panels.has(uri.toString())) {
      panel.dispose();
      return;
    }
    this.attach(uri, panel, parsed.data.state);
  }

  private attach(uri: vscode.Uri, panel: vscode.WebviewPanel, restored?: HandoffPanelState): void {
    const key = uri.toString();
    this.panels.set(key, new HandoffPanel(this.services, this.model, uri, panel, () => this.panels.delete(key), restored));
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}
