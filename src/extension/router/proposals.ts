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
  /** Proposals whose diff is being opened: not in a tab yet, but not abandoned either. */
  private readonly opening = new Set<string>();

  constructor(private readonly services: ExtensionServices) {
    services.track(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this));
    services.command(ACCEPT_PROPOSAL, (uri?: vscode.Uri) => this.accept(uri ?? vscode.window.activeTextEditor?.document.uri));
    services.command(DISCARD_PROPOSAL, (uri?: vscode.Uri) => this.discard(uri ?? vscode.window.activeTextEditor?.document.uri));
    services.track(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        // A diff closed by hand takes its proposal with it; one restored from before a reload has none: close it.
        if (e.closed.length) this.prune();
        if (e.opened.some((t) => this.isStale(t))) void this.closeStale();
      }),
    );
    // Diffs restored with the window were proposals of the previous extension host: nothing to accept any more.
    const startup = setTimeout(() => void this.closeStale(), 0);
    services.track({ dispose: () => clearTimeout(startup) });
  }

  /** A known proposal's text; an unknown one (expired, or restored after a reload) shows the file unchanged. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const p = this.proposals.get(uri.toString());
    if (p) return p.text;
    try {
      return (await vscode.workspace.openTextDocument(targetOf(uri))).getText();
    } catch {
      return '';
    }
  }

  private prune(): void {
    const shown = new Set(proposalTabs().map((t) => t.uri));
    for (const key of [...this.proposals.keys()]) if (!shown.has(key) && !this.opening.has(key)) this.proposals.delete(key);
  }

  private isStale(tab: vscode.Tab): boolean {
    const uri = proposalUriOf(tab);
    return uri !== undefined && !this.proposals.has(uri);
  }

  private async closeStale(): Promise<void> {
    const stale = proposalTabs().filter((t) => !this.proposals.has(t.uri));
    if (!stale.length) return;
    this.services.log.info(`closing ${stale.length} expired llmgenie proposal diff(s)`);
    await vscode.window.tabGroups.close(stale.map((t) => t.tab)).then(undefined, (e: unknown) => this.services.log.warn(`could not close expired proposals: ${String(e)}`));
  }

  /** Opens the diff; resolves with an error message when the proposal cannot be made. */
  async show(source: AnswerSource, code: string): Promise<string | undefined> {
    const target = vscode.Uri.parse(source.uri, true);
    const doc = await vscode.workspace.openTextDocument(target);
    const r = proposeReplacement(doc.getText(), source.original, source, code, source.scope);
    if (!r.ok) return r.reason;
    const name = target.path.split('/').pop() ?? 'file';
    // The target rides along in the query, so a proposal the extension no longer knows can still show its file.
    const query = new URLSearchParams({ n: String(this.next++), target: target.toString() }).toString();
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query });
    const key = uri.toString();
    this.proposals.set(key, { source, code, text: r.proposed });
    this.opening.add(key);
    try {
      await vscode.commands.executeCommand('vscode.diff', target, uri, `${name} ↔ llmgenie proposal`, { preview: true, viewColumn: columnOf(target) });
    } finally {
      this.opening.delete(key);
    }
    void vscode.window.showInformationMessage(`llmgenie: Apply the proposed change to ${name}?`, 'Accept', 'Discard').then((pick) => {
      if (pick === 'Accept') void this.accept(uri);
      else if (pick === 'Discard') void this.discard(uri);
    });
    return undefined;
  }

  private async accept(uri: vscode.Uri | undefined): Promise<void> {
    const p = uri && this.proposals.get(uri.toString());
    if (!uri || !p) {
      void vscode.window.showWarningMessage('llmgenie: This proposal is no longer available; choose "Apply as diff" on the answer again.');
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

function targetOf(proposal: vscode.Uri): vscode.Uri {
  const target = new URLSearchParams(proposal.query).get('target');
  try {
    if (target) return vscode.Uri.parse(target, true);
  } catch {
    // A hand-made URI: fall back to the path.
  }
  return vscode.Uri.file(proposal.path);
}

function proposalUriOf(tab: vscode.Tab): string | undefined {
  const input = tab.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSAL_SCHEME ? input.modified.toString() : undefined;
}

function proposalTabs(): { tab: vscode.Tab; uri: string }[] {
  const out: { tab: vscode.Tab; uri: string }[] = [];
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    const uri = proposalUriOf(tab);
    if (uri) out.push({ tab, uri });
  }
  return out;
}

async function closeDiff(proposal: vscode.Uri): Promise<void> {
  const key = proposal.toString();
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === key);
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
