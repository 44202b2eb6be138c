import * as vscode from 'vscode';
import { HandoffConfigError, HandoffReadError, oneLine } from '../../core/handoff/errors';
import { handoffPanelModel } from '../../core/handoff/panelModel';
import type { HandoffPanelModel } from '../../core/handoff/panelModel';
import { parseHandoff } from '../../core/handoff/parse';
import { readHandoffFile } from '../../core/handoff/read';
import { validateHandoff } from '../../core/handoff/validate';
import type { HandoffReport } from '../../core/handoff/validate';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import type { ExtensionServices } from '../services';
import { fsPath, HANDOFF_GLOB, isHandoffUri, loadConfigFor, rootFor, SETTINGS_SECTION } from './handoffSettings';

interface ResultBase {
  readonly uri: vscode.Uri;
  /** Workspace root the listed files are relative to. */
  readonly root: string;
  /** Workspace-relative path of HANDOFF.md. */
  readonly file: string;
}

/** One validation of one HANDOFF.md: a scored package, or why it could not be read (a one-line message). */
export type HandoffResult =
  | (ResultBase & {
      readonly status: 'ok';
      /** The text that was validated: the open document's (saved or not), else the disk's. */
      readonly text: string;
      /** Document version validated; undefined when read from disk. */
      readonly version?: number;
      readonly report: HandoffReport;
      readonly model: HandoffPanelModel;
    })
  | (ResultBase & { readonly status: 'error'; readonly message: string; readonly code: string; readonly line?: number });

type Reason = 'open' | 'scan' | 'panel';

/**
 * Validates HANDOFF.md files and keeps the ones someone cares about (open documents, packages under the
 * handoff folder, open panels) up to date: typing (debounced), saves and edits on disk, listed files appearing
 * or disappearing, settings and `.llmgenie/handoff.json` changes. Diagnostics and panels only listen.
 */
export class HandoffModel implements vscode.Disposable {
  private readonly results = new Map<string, HandoffResult>();
  private readonly reasons = new Map<string, Map<Reason, number>>();
  private readonly uris = new Map<string, vscode.Uri>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly generation = new Map<string, number>();
  private readonly updated = new vscode.EventEmitter<HandoffResult>();
  private readonly forgotten = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.updated, this.forgotten];
  private started = false;
  readonly onDidUpdate = this.updated.event;
  /** No one tracks the file any more: its diagnostics should go. */
  readonly onDidForget = this.forgotten.event;

  constructor(private readonly services: ExtensionServices) {}

  /** Subscribes to editor and disk events; called once, after activation, on first need. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const d = this.disposables;
    d.push(
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (!isHandoffUri(doc.uri)) return;
        this.track(doc.uri, 'open');
        this.schedule(doc.uri, 0);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.isTracked(e.document.uri)) this.schedule(e.document.uri, 300);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (!isHandoffUri(doc.uri)) return;
        this.untrack(doc.uri, 'open');
        // Unsaved edits are gone: what counts now is the disk.
        if (this.isTracked(doc.uri)) this.schedule(doc.uri, 0);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SETTINGS_SECTION)) this.scheduleAll();
      }),
    );
    const packages = vscode.workspace.createFileSystemWatcher(HANDOFF_GLOB);
    const config = vscode.workspace.createFileSystemWatcher('**/.llmgenie/handoff.json');
    // Listed files appearing or disappearing change existence marks; content changes do not matter.
    const listed = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    d.push(packages, config, listed);
    packages.onDidCreate((uri) => this.onDiskChange(uri), undefined, d);
    packages.onDidChange((uri) => this.onDiskChange(uri), undefined, d);
    packages.onDidDelete((uri) => this.onDiskChange(uri), undefined, d);
    for (const event of [config.onDidCreate, config.onDidChange, config.onDidDelete]) event(() => this.scheduleAll(), undefined, d);
    listed.onDidCreate((uri) => this.onListedChange(uri), undefined, d);
    listed.onDidDelete((uri) => this.onListedChange(uri), undefined, d);
    for (const doc of vscode.workspace.textDocuments) {
      if (!isHandoffUri(doc.uri)) continue;
      this.track(doc.uri, 'open');
      this.schedule(doc.uri, 0);
    }
  }

  get(uri: vscode.Uri): HandoffResult | undefined {
    return this.results.get(uri.toString());
  }

  all(): HandoffResult[] {
    return [...this.results.values()];
  }

  track(uri: vscode.Uri, reason: Reason): void {
    const key = uri.toString();
    const r = this.reasons.get(key) ?? new Map<Reason, number>();
    r.set(reason, (r.get(reason) ?? 0) + 1);
    this.reasons.set(key, r);
    this.uris.set(key, uri);
  }

  untrack(uri: vscode.Uri, reason: Reason, all = false): void {
    const key = uri.toString();
    const r = this.reasons.get(key);
    if (!r?.has(reason)) return;
    const n = all ? 0 : r.get(reason)! - 1;
    if (n > 0) r.set(reason, n);
    else r.delete(reason);
    if (r.size) return;
    this.reasons.delete(key);
    this.uris.delete(key);
    this.results.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.forgotten.fire(uri);
  }

  isTracked(uri: vscode.Uri): boolean {
    return this.reasons.has(uri.toString());
  }

  has(uri: vscode.Uri, reason: Reason): boolean {
    return !!this.reasons.get(uri.toString())?.has(reason);
  }

  schedule(uri: vscode.Uri, delayMs = 150): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(uri);
      }, delayMs),
    );
  }

  scheduleAll(): void {
    for (const uri of this.uris.values()) this.schedule(uri);
  }

  /** A result for exactly this document text, validating now if the last one is older. */
  async current(doc: vscode.TextDocument): Promise<HandoffResult> {
    const r = this.get(doc.uri);
    if (r?.status === 'ok' && r.version === doc.version && r.text === doc.getText()) return r;
    return this.validate(doc.uri);
  }

  /** Validates now; only the newest of overlapping validations of one file is stored and announced. */
  async validate(uri: vscode.Uri): Promise<HandoffResult> {
    const key = uri.toString();
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    const result = await this.compute(uri);
    if (this.generation.get(key) === gen) {
      if (this.isTracked(uri)) this.results.set(key, result);
      this.updated.fire(result);
    }
    return result;
  }

  private async compute(uri: vscode.Uri): Promise<HandoffResult> {
    const root = await rootFor(uri);
    const file = vscode.workspace.asRelativePath(uri, false);
    const base = { uri, root, file };
    const started = performance.now();
    try {
      const config = await loadConfigFor(root, uri);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = doc ? doc.getText() : (await readHandoffFile(nodeFileSystem, root, fsPath(uri))).text;
      const report = await validateHandoff(parseHandoff(text), { fs: nodeFileSystem, root, config });
      this.services.log.debug(`handoff: ${file} scored ${report.score} (${(performance.now() - started).toFixed(1)} ms)`);
      return { ...base, status: 'ok', text, ...(doc ? { version: doc.version } : {}), report, model: handoffPanelModel(report, text, file) };
    } catch (e) {
      if (e instanceof HandoffReadError) {
        // The core names the path it was given (absolute); the workspace-relative one reads better.
        const message = e.message.split(fsPath(uri)).join(file);
        return { ...base, status: 'error', code: e.code, message, ...(e.line ? { line: e.line } : {}) };
      }
      if (e instanceof HandoffConfigError) {
        this.services.reportError('handoff-config', `handoff settings are invalid: ${e.message}`);
        return { ...base, status: 'error', code: 'config', message: e.message };
      }
      this.services.log.error(`handoff: validating ${file} failed`, e);
      return { ...base, status: 'error', code: 'internal', message: `could not validate ${file}: ${oneLine(String((e as Error)?.message ?? e))}` };
    }
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (!this.isTracked(uri)) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    // An open document is validated from its text as it changes; a save adds nothing new.
    if (!doc || !doc.isDirty) this.schedule(uri);
  }

  private onListedChange(changed: vscode.Uri): void {
    if (changed.scheme !== 'file' || isHandoffUri(changed)) return;
    const path = fsPath(changed);
    for (const r of this.results.values()) {
      if (r.status !== 'ok') continue;
      const hit = r.report.files.some((f) => {
        const listed = `${r.root}/${f.path}`;
        // Deleting or creating a folder decides whether every listed file under it exists.
        return listed === path || listed.startsWith(`${path}/`);
      });
      if (hit) this.schedule(r.uri, 200);
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
