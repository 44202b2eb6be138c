import * as vscode from 'vscode';
import type { AnswerSource } from '../../core/router/answerView';
import { proposeReplacement } from '../../core/router/proposal';
import type { ExtensionServices } from '../services';

export const PROPOSAL_SCHEME = 'llmgenie-proposal';
export const ACCEPT_PROPOSAL = 'llmgenie.router.acceptProposal';
export const DISCARD_PROPOSAL = 'llmgenie.router.discardProposal';

interface Proposal {
  source: AnswerSource;
  code: string;
  text: string;
}

/**
 * "Apply as diff": the file beside a read-only proposed version (the selection replaced by a code block), with
 * Accept in the diff's title bar and in a notification. Accept recomputes the edit against the document as it is
 * then and applies it as one WorkspaceEdit, so it is a single undo step; a selection edited away is refused.
 */
export class Proposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private next = 1;

  constructor(private readonly services: ExtensionServices) {
    services.track(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this));
    services.track(vscode.commands.registerCommand(ACCEPT_PROPOSAL, (uri?: vscode.Uri) => this.accept(uri ?? vscode.window.activeTextEditor?.document.uri)));
    services.track(vscode.commands.registerCommand(DISCARD_PROPOSAL, (uri?: vscode.Uri) => this.discard(uri ?? vscode.window.activeTextEditor?.document.uri)));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.text ?? '';
  }

  /** Opens the diff; resolves with an error message when the proposal cannot be made. */
  async show(source: AnswerSource, code: string): Promise<string | undefined> {
    const target = vscode.Uri.parse(source.uri, true);
    const doc = await vscode.workspace.openTextDocument(target);
    const r = proposeReplacement(doc.getText(), source.original, source, code, source.scope);
    if (!r.ok) return r.reason;
    const name = target.path.split('/').pop() ?? 'file';
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query: `n=${this.next++}` });
    this.proposals.set(uri.toString(), { source, code, text: r.proposed });
    await vscode.commands.executeCommand('vscode.diff', target, uri, `${name} ↔ llmgenie proposal`, { preview: true, viewColumn: columnOf(target) });
    void vscode.window.showInformationMessage(`llmgenie: Apply the proposed change to ${name}?`, 'Accept', 'Discard').then((pick) => {
      if (pick === 'Accept') void this.accept(uri);
      else if (pick === 'Discard') void this.discard(uri);
    });
    return undefined;
  }

  private async accept(uri: vscode.Uri | undefined): Promise<void> {
    const p = uri && this.proposals.get(uri.toString());
    if (!uri || !p) {
      void vscode.window.showWarningMessage('llmgenie: This proposal is no longer available; run Apply as diff again.');
      return;
    }
    const target = vscode.Uri.parse(p.source.uri, true);
    const doc = await vscode.workspace.openTextDocument(target);
    const r = proposeReplacement(doc.getText(), p.source.original, p.source, p.code, p.source.scope);
    if (!r.ok) {
      void vscode.window.showWarningMessage(`llmgenie: Not applied: ${r.reason}.`);
      return;
    }
    const edit = new vscode.WorkspaceEdit();
    const start = doc.positionAt(r.replacement.start);
    edit.replace(target, new vscode.Range(start, doc.positionAt(r.replacement.end)), r.replacement.text);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage('llmgenie: The editor refused the edit.');
      return;
    }
    this.proposals.delete(uri.toString());
    await closeDiff(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: columnOf(target) });
    const end = doc.positionAt(r.replacement.start + r.replacement.text.length);
    editor.selection = new vscode.Selection(start, end);
    editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.services.log.info(`applied an answer's code to ${vscode.workspace.asRelativePath(target, false)}`);
  }

  private async discard(uri: vscode.Uri | undefined): Promise<void> {
    if (!uri) return;
    this.proposals.delete(uri.toString());
    await closeDiff(uri);
  }

  dispose(): void {
    this.proposals.clear();
    this.changed.dispose();
  }
}

function columnOf(uri: vscode.Uri): vscode.ViewColumn {
  return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn ?? vscode.ViewColumn.One;
}

async function closeDiff(proposal: vscode.Uri): Promise<void> {
  const key = proposal.toString();
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === key);
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
