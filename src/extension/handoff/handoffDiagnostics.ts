import * as vscode from 'vscode';
import { fixLabel, fixReplacement } from '../../core/handoff/fixEdit';
import { gapKey } from '../../core/handoff/panelModel';
import type { HandoffGap } from '../../core/handoff/validate';
import type { ExtensionServices } from '../services';
import type { HandoffModel, HandoffResult } from './handoffModel';
import { HANDOFF_GLOB, isHandoffUri, loadConfigFor } from './handoffSettings';

const SOURCE = 'llmgenie';
// Unreadable input that still is a file worth marking; a vanished file or a bad setting is not the file's fault.
const MARKED_READ_ERRORS = new Set(['malformed-front-matter', 'not-a-handoff', 'binary', 'too-large', 'unreadable']);

/** The Problems panel mirrors each tracked package's gaps: code = gap id, at the gap's line. */
export class HandoffDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('llmgenie-handoff');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private scanTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly services: ExtensionServices,
    private readonly model: HandoffModel,
  ) {
    this.disposables.push(
      model.onDidUpdate((r) => this.show(r)),
      model.onDidForget((uri) => this.collection.delete(uri)),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('llmgenie.handoff.directory') && this.scheduleScan(500)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleScan(500)),
    );
    const created = vscode.workspace.createFileSystemWatcher(HANDOFF_GLOB, false, true, false);
    this.disposables.push(
      created,
      created.onDidCreate(() => this.scheduleScan(300)),
      created.onDidDelete((uri) => {
        if (!model.has(uri, 'scan')) return;
        model.untrack(uri, 'scan', true);
        this.collection.delete(uri);
      }),
    );
  }

  /** Finds the packages in each folder's handoff directory, off the activation path. */
  scheduleScan(delayMs: number): void {
    clearTimeout(this.scanTimer);
    this.scanTimer = setTimeout(() => void this.scan(), delayMs);
  }

  private async scan(): Promise<void> {
    const started = performance.now();
    const found = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      let directory: string;
      try {
        directory = (await loadConfigFor(folder.uri.fsPath.replace(/\\/g, '/'), folder.uri)).directory;
      } catch {
        continue; // the model reports bad settings when it validates
      }
      const pattern = new vscode.RelativePattern(folder, `${directory}/${HANDOFF_GLOB}`);
      for (const uri of await vscode.workspace.findFiles(pattern, '**/node_modules/**', 500)) {
        found.add(uri.toString());
        if (this.model.has(uri, 'scan')) continue;
        this.model.track(uri, 'scan');
        this.model.schedule(uri, 0);
      }
    }
    for (const r of this.model.all()) {
      if (!found.has(r.uri.toString()) && this.model.has(r.uri, 'scan')) this.model.untrack(r.uri, 'scan', true);
    }
    this.services.log.info(`handoff: ${found.size} package(s) found (${(performance.now() - started).toFixed(1)} ms)`);
  }

  private show(r: HandoffResult): void {
    if (!this.model.isTracked(r.uri)) return;
    if (r.status === 'ok') {
      this.collection.set(r.uri, r.model.gaps.map((g) => toDiagnostic(r.text, g.line, g.message, g.severity, g.id)));
    } else if (MARKED_READ_ERRORS.has(r.code)) {
      const text = vscode.workspace.textDocuments.find((d) => d.uri.toString() === r.uri.toString())?.getText() ?? '';
      this.collection.set(r.uri, [toDiagnostic(text, r.line ?? 1, r.message, 'error', r.code)]);
    } else {
      this.collection.delete(r.uri);
    }
  }

  dispose(): void {
    clearTimeout(this.scanTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The line's text without its indentation; for a file not open (no text) the line itself, which the editor clamps. */
function lineRange(text: string, line: number): vscode.Range {
  const lines = text.split(/\r\n|\n|\r/);
  if (!text) return new vscode.Range(Math.max(line - 1, 0), 0, Math.max(line - 1, 0), 0);
  const i = Math.min(Math.max(line - 1, 0), lines.length - 1);
  const content = lines[i] ?? '';
  const start = content.length - content.trimStart().length;
  return new vscode.Range(i, start, i, Math.max(content.length, start));
}

function toDiagnostic(text: string, line: number, message: string, severity: 'error' | 'warning', code: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    lineRange(text, line),
    message,
    severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = SOURCE;
  d.code = code;
  return d;
}

/** The gap a diagnostic stands for, in a result validated from the same text. */
function gapFor(r: HandoffResult, d: vscode.Diagnostic): HandoffGap | undefined {
  if (r.status !== 'ok' || d.source !== SOURCE || typeof d.code !== 'string') return undefined;
  const key = gapKey({ id: d.code as HandoffGap['id'], message: d.message });
  return r.report.gaps.find((g) => gapKey(g) === key);
}

/** The lightbulb offers the same fixes as the panel's buttons, as edits on the document (so undo works). */
export class HandoffCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly model: HandoffModel) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    if (!isHandoffUri(doc.uri)) return [];
    const ours = context.diagnostics.filter((d) => d.source === SOURCE);
    if (!ours.length) return [];
    const result = await this.model.current(doc);
    const actions: vscode.CodeAction[] = [];
    for (const d of ours) {
      const gap = gapFor(result, d);
      const r = gap?.fix && fixReplacement(doc.getText(), gap);
      if (!gap?.fix || !r) continue;
      const action = new vscode.CodeAction(fixLabel(gap.fix), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end)), r.text);
      action.diagnostics = [d];
      action.isPreferred = ours.length === 1;
      actions.push(action);
    }
    return actions;
  }
}
