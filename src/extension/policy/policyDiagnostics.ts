import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { FindingsIndex } from '../../core/policy/findingsIndex';
import { safeMessage } from '../../core/policy/report';
import type { Finding, Severity } from '../../core/policy/types';
import type { ExtensionServices } from '../services';
import { keyOf, type FolderPolicy, type PolicyEngines } from './policyEngines';

export const POLICY_COLLECTION = 'llmgenie-policy';
export const POLICY_SOURCE = 'llmgenie';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** A finding shown away from its own file (branch findings sit on the rule file), with its link target. */
export interface PlacedFinding {
  readonly finding: Finding;
  readonly range: vscode.Range;
}

/**
 * The `llmgenie-policy` Problems: open documents linted as they change (debounced), on open and on save, and the
 * workspace scan's results for the rest. Messages are masked once more on the way out (user-written pattern
 * messages could quote a secret).
 */
export class PolicyDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(POLICY_COLLECTION);
  private readonly index = new FindingsIndex<Finding>();
  /** Repository-level findings (branch) per folder root, by the key of the file they are shown on. */
  private readonly placed = new Map<string, Map<string, PlacedFinding[]>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    services: ExtensionServices,
    private readonly engines: PolicyEngines,
  ) {
    const s = services;
    s.track(this.collection);
    s.track(vscode.workspace.onDidOpenTextDocument((d) => this.lintNow(d)));
    s.track(vscode.workspace.onDidSaveTextDocument((d) => this.lintNow(d)));
    s.track(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document)));
    s.track(vscode.workspace.onDidCloseTextDocument((d) => void this.closed(d)));
  }

  /** Lints every open document; the first call comes once the engines are built, later ones when they change. */
  lintOpenDocuments(): void {
    for (const d of vscode.workspace.textDocuments) this.lintNow(d);
  }

  schedule(doc: vscode.TextDocument): void {
    const key = keyOf(doc.uri);
    if (doc.uri.scheme !== 'file') return;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.lintNow(doc);
      }, this.engines.settings.lintDelayMs),
    );
  }

  lintNow(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || doc.isClosed) return;
    const key = keyOf(doc.uri);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const at = this.engines.forUri(doc.uri);
    if (!at) return;
    const text = doc.getText();
    // Same limit as the scan: a huge generated file is not linted per keystroke either.
    const findings = text.length > this.engines.settings.maxFileBytes ? [] : at.policy.engine.checkText(at.rel, text, doc.languageId);
    this.index.setLive(key, findings);
    this.render(key, at.policy);
  }

  /** The current findings of an open document, computed afresh (for code actions on the text as it is now). */
  findingsOf(doc: vscode.TextDocument): { policy: FolderPolicy; findings: Finding[] } | undefined {
    const at = this.engines.forUri(doc.uri);
    return at && { policy: at.policy, findings: at.policy.engine.checkText(at.rel, doc.getText(), doc.languageId) };
  }

  /** Every finding shown in a folder, for "accept all into the baseline". */
  findingsIn(policy: FolderPolicy): Finding[] {
    const out: Finding[] = [];
    for (const [key, list] of this.index.entries()) if (key.startsWith(policy.prefix)) out.push(...list);
    return out;
  }

  /** A finished workspace scan of one folder. Open documents keep their live results. */
  applyScan(policy: FolderPolicy, checked: readonly string[], findings: readonly Finding[]): void {
    const byKey = new Map<string, Finding[]>();
    for (const f of findings) {
      const key = keyOf(vscode.Uri.file(`${policy.root}/${f.file}`));
      const list = byKey.get(key) ?? [];
      list.push(f);
      byKey.set(key, list);
    }
    const checkedKeys = checked.map((rel) => keyOf(vscode.Uri.file(`${policy.root}/${rel}`)));
    for (const key of this.index.replaceScan(policy.prefix, checkedKeys, byKey)) this.render(key, policy);
  }

  /** Replaces the repository-level findings (branch) a folder shows, keyed by the file they are shown on. */
  setPlaced(policy: FolderPolicy, placed: ReadonlyMap<string, PlacedFinding[]>): void {
    const before = [...(this.placed.get(policy.root)?.keys() ?? [])];
    this.placed.set(policy.root, new Map(placed));
    for (const k of new Set([...before, ...placed.keys()])) this.render(k, policy);
  }

  /** Repository-level findings shown on this file. */
  placedAt(key: string): PlacedFinding[] {
    const out: PlacedFinding[] = [];
    for (const byKey of this.placed.values()) out.push(...(byKey.get(key) ?? []));
    return out;
  }

  /** Drops what is shown for folders that left the workspace. */
  forgetFolders(gone: readonly { root: string; prefix: string }[]): void {
    for (const g of gone) {
      const keys = [...this.index.clear(g.prefix), ...(this.placed.get(g.root)?.keys() ?? [])];
      this.placed.delete(g.root);
      for (const key of keys) this.render(key, undefined);
    }
  }

  private async closed(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== 'file') return;
    const key = keyOf(doc.uri);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    // Part of the workspace scan: show what is on disk now (the editor may have discarded unsaved text).
    if (this.index.closeLive(key)) await this.recheckFromDisk(doc.uri);
    this.render(key, this.engines.forUri(doc.uri)?.policy);
  }

  /** Whether the last scan covered this file, so a change on disk can be re-checked alone. */
  isScanned(uri: vscode.Uri): boolean {
    return this.index.isScanned(keyOf(uri));
  }

  /**
   * Re-checks one file that is not open from disk, as the scan would (binary and huge files give nothing); open
   * documents keep their live results. A file that is gone or unreadable shows nothing.
   */
  async recheckFromDisk(uri: vscode.Uri): Promise<void> {
    const key = keyOf(uri);
    const at = this.engines.forUri(uri);
    if (!at || this.isOpen(key)) return;
    let findings: readonly Finding[] = [];
    try {
      const result = await at.policy.engine.checkTree(nodeFileSystem, at.policy.root, [at.rel], { maxFileBytes: this.engines.settings.maxFileBytes, concurrency: 1 });
      findings = result.findings;
    } catch {
      // Deleted again before we read it: nothing to show.
    }
    if (this.isOpen(key)) return;
    this.index.setScanned(key, findings);
    this.render(key, at.policy);
  }

  /** A file or folder left the disk: its scan findings go. Open documents keep linting what they show. */
  forgetPath(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    const key = keyOf(uri);
    const touched = new Set(this.index.clear(`${key}/`));
    if (this.index.isScanned(key) && !this.index.isLive(key)) {
      this.index.setScanned(key, []);
      touched.add(key);
    }
    const policy = this.engines.forUri(uri)?.policy;
    for (const k of touched) {
      const doc = vscode.workspace.textDocuments.find((d) => keyOf(d.uri) === k);
      if (doc) this.lintNow(doc);
      else this.render(k, policy);
    }
  }

  private isOpen(key: string): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && !d.isClosed && keyOf(d.uri) === key);
  }

  private render(key: string, policy: FolderPolicy | undefined): void {
    const uri = vscode.Uri.parse(key);
    const diags = this.index.get(key).map((f) => this.toDiagnostic(f, this.rangeOf(f), policy));
    for (const byKey of this.placed.values()) for (const p of byKey.get(key) ?? []) diags.push(this.toDiagnostic(p.finding, p.range, policy));
    if (diags.length) this.collection.set(uri, diags);
    else this.collection.delete(uri);
  }

  private rangeOf(f: Finding): vscode.Range {
    const r = f.range;
    return new vscode.Range(r.startLine, r.startColumn, r.endLine, r.endColumn);
  }

  private toDiagnostic(f: Finding, range: vscode.Range, policy: FolderPolicy | undefined): vscode.Diagnostic {
    const d = new vscode.Diagnostic(range, safeMessage(f.message), SEVERITY[f.severity]);
    d.source = POLICY_SOURCE;
    const target = policy && this.engines.ruleFile(policy, f.ruleId);
    d.code = target ? { value: f.ruleId, target } : f.ruleId;
    return d;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** Whether a diagnostic is one of ours (policy), and its rule id. */
export function policyRuleIdOf(d: vscode.Diagnostic, knownRuleIds: ReadonlySet<string>): string | undefined {
  if (d.source !== POLICY_SOURCE) return undefined;
  const value = typeof d.code === 'object' ? d.code.value : d.code;
  const id = value === undefined ? undefined : String(value);
  return id !== undefined && knownRuleIds.has(id) ? id : undefined;
}
