import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import type { RuleProblem } from '../../core/rules/problem';
import { loadRules, type RulesLintResult } from '../../core/rules/registry';
import { overlayFileSystem } from '../overlayFileSystem';
import type { ExtensionServices } from '../services';

const SEVERITY: Record<RuleProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Keeps rule-file and manifest problems in the Problems panel, re-linting on save, on typing and on file changes. */
export class RulesDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('llmgenie-rules');
  private readonly fs = overlayFileSystem(nodeFileSystem);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun: Promise<void> | undefined;
  private last = new Map<string, RulesLintResult>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: ExtensionServices) {}

  start(): void {
    const s = this.services;
    s.track(this.collection);
    s.track(this.changed);
    for (const glob of ['**/.cursor/rules/**/*.mdc', '**/rules_manifest.json', '**/.cursorrules']) {
      const w = s.track(vscode.workspace.createFileSystemWatcher(glob));
      w.onDidCreate(() => this.schedule(), undefined, s.context.subscriptions);
      w.onDidChange(() => this.schedule(), undefined, s.context.subscriptions);
      w.onDidDelete(() => this.schedule(), undefined, s.context.subscriptions);
    }
    s.track(vscode.workspace.onDidChangeTextDocument((e) => isRuleDocument(e.document) && this.schedule(250)));
    s.track(vscode.workspace.onDidChangeWorkspaceFolders(() => this.schedule()));
    // The first lint waits until the editor has settled; activation itself stays cheap.
    this.schedule(500);
  }

  results(): RulesLintResult[] {
    return [...this.last.values()];
  }

  schedule(delayMs = 150): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.lintNow(), delayMs);
  }

  /** One lint at a time; calls during a lint share one re-run after it, so the newest state always wins. */
  lintNow(): Promise<void> {
    if (this.running) {
      this.rerun ??= this.running.then(() => {
        this.rerun = undefined;
        return this.lintNow();
      });
      return this.rerun;
    }
    this.running = this.lintAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async lintAll(): Promise<void> {
    const started = performance.now();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const results = new Map<string, RulesLintResult>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      try {
        const result = await loadRules(this.fs, folder.uri.fsPath.replace(/\\/g, '/'));
        results.set(folder.uri.toString(), result);
        for (const p of result.problems) {
          const list = byFile.get(p.file) ?? [];
          list.push(toDiagnostic(p));
          byFile.set(p.file, list);
        }
      } catch (e) {
        this.services.reportError('rules-lint', `could not check the rules of ${folder.name}`, e);
      }
    }
    this.collection.clear();
    for (const [file, diags] of byFile) this.collection.set(vscode.Uri.file(file), diags);
    this.last = results;
    this.changed.fire();
    const total = [...results.values()].reduce((n, r) => n + r.rules.length, 0);
    this.services.log.info(`rules: ${total} rules, ${[...byFile.values()].flat().length} problems (${(performance.now() - started).toFixed(1)} ms)`);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

function isRuleDocument(doc: vscode.TextDocument): boolean {
  const p = doc.uri.path;
  return p.endsWith('.mdc') || p.endsWith('/rules_manifest.json') || p.endsWith('/.cursorrules');
}

function toDiagnostic(p: RuleProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(p.line, p.column, p.endLine, p.endColumn), p.message, SEVERITY[p.severity]);
  d.source = 'llmgenie';
  d.code = p.code;
  return d;
}
