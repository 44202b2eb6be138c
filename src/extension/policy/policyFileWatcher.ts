import * as vscode from 'vscode';
import { DEFAULT_SKIP_DIRS } from '../../core/platform/fileSystem';
import type { ExtensionServices } from '../services';
import type { PolicyDiagnostics } from './policyDiagnostics';

/** Changes on disk are collected this long, so a `git checkout` or a build gives one batch. */
const SETTLE_MS = 500;
/** A batch this large is a branch switch or a generator: one background scan is cheaper than many single reads. */
const RESCAN_ABOVE = 200;

export interface PolicyFileWatcherHooks {
  /** Starts a background workspace scan soon (it respects .gitignore, which a single new file cannot tell). */
  rescan(): void;
}

/**
 * Keeps the scan's Problems true to the disk when files change outside the editor (deleted, renamed, rewritten by
 * git or a tool): findings of a deleted file go at once; a changed file the scan covered is re-checked alone; a
 * new file or a changed .gitignore asks for a background scan, since only a walk knows whether it is ignored.
 * Open documents are left to the live lint.
 */
export class PolicyFileWatcher implements vscode.Disposable {
  private readonly pending = new Map<string, vscode.Uri>();
  private timer: NodeJS.Timeout | undefined;
  private rescanWanted = false;

  constructor(
    services: ExtensionServices,
    private readonly diagnostics: PolicyDiagnostics,
    private readonly hooks: PolicyFileWatcherHooks,
  ) {
    const watcher = services.track(vscode.workspace.createFileSystemWatcher('**/*'));
    services.track(watcher.onDidDelete((uri) => this.deleted(uri)));
    services.track(watcher.onDidChange((uri) => this.touched(uri, false)));
    services.track(watcher.onDidCreate((uri) => this.touched(uri, true)));
    // Renames in the editor, reported at once (the watcher's delete + create may come later or be coalesced).
    services.track(
      vscode.workspace.onDidRenameFiles((e) => {
        for (const f of e.files) {
          const wasScanned = this.diagnostics.isScanned(f.oldUri);
          this.deleted(f.oldUri);
          // A scanned file moved: most likely still not ignored, so check it where it is now; a folder needs a walk.
          if (wasScanned) this.queue(f.newUri);
          else this.touched(f.newUri, true);
        }
      }),
    );
  }

  private deleted(uri: vscode.Uri): void {
    if (skipped(uri)) return;
    this.pending.delete(uri.toString());
    this.diagnostics.forgetPath(uri);
  }

  private touched(uri: vscode.Uri, created: boolean): void {
    if (skipped(uri)) return;
    if (/(^|\/)\.gitignore$/.test(uri.path)) {
      this.rescanWanted = true;
      this.arm();
      return;
    }
    if (this.diagnostics.isScanned(uri)) this.queue(uri);
    else if (created) {
      this.rescanWanted = true;
      this.arm();
    }
  }

  private queue(uri: vscode.Uri): void {
    this.pending.set(uri.toString(), uri);
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SETTLE_MS);
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    const rescan = this.rescanWanted || batch.length > RESCAN_ABOVE;
    this.rescanWanted = false;
    if (rescan) {
      this.hooks.rescan();
      return;
    }
    for (const uri of batch) await this.diagnostics.recheckFromDisk(uri);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.pending.clear();
  }
}

/** Folders the scan never walks (git internals, dependencies, build output): their churn is not policy's business. */
function skipped(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return true;
  return uri.path.split('/').some((part) => DEFAULT_SKIP_DIRS.has(part));
}
