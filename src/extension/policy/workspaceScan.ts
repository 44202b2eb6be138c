import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { summarize } from '../../core/policy/report';
import type { Severity, TreeResult } from '../../core/policy/types';
import type { SessionEventSink } from '../../core/sessions/sink';
import type { ExtensionServices } from '../services';
import type { PolicyDiagnostics } from './policyDiagnostics';
import type { FolderPolicy, PolicyEngines } from './policyEngines';

export interface ScanLog {
  /** The session log of one workspace folder: each folder's scan is recorded in its own. */
  readonly sinkFor: (root: string) => SessionEventSink;
  /** Whether this window already writes a session in the folder: background scans join one but never start one. */
  readonly hasLiveSession: (root: string) => boolean;
}

interface Totals {
  files: number;
  findings: number;
  skipped: number;
  baselined: number;
  byRule: Record<string, number>;
  bySeverity: Record<Severity, number>;
}

/** Files read at once: enough to overlap disk reads without crowding the extension host. */
const CONCURRENCY = 8;

/**
 * The whole-workspace policy scan: every folder through checkTree (gitignore respected, binary and huge files
 * skipped and listed in the output channel), with progress, cancellable, results into the Problems panel.
 * A new scan cancels the one running, except that a background scan never cancels the one a person started: it
 * waits, and runs once that one has shown its summary.
 */
export class WorkspaceScan implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private current: AbortController | undefined;
  private running: Promise<void> | undefined;
  /** The scan started by the command, while it runs. */
  private interactive: AbortController | undefined;
  /** A background scan was asked for while the interactive one ran (something changed meanwhile). */
  private rescanAfter = false;

  constructor(
    private readonly services: ExtensionServices,
    private readonly engines: PolicyEngines,
    private readonly diagnostics: PolicyDiagnostics,
    private readonly log: ScanLog,
  ) {}

  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(false), delayMs);
  }

  /** `interactive`: started by the command: a cancellable notification, and the summary is shown. */
  run(interactive: boolean): Promise<void> {
    clearTimeout(this.timer);
    if (!interactive && this.interactive) {
      this.rescanAfter = true;
      return Promise.resolve();
    }
    const controller = new AbortController();
    this.current?.abort(new vscode.CancellationError());
    this.current = controller;
    if (interactive) this.interactive = controller;
    // One scan at a time: the new one starts once the one it cancelled has stopped.
    const before = this.running;
    this.running = (async () => {
      await before?.catch(() => undefined);
      if (!controller.signal.aborted) await this.scan(controller, interactive);
    })().finally(() => {
      if (this.current === controller) this.current = undefined;
      if (this.interactive !== controller) return;
      this.interactive = undefined;
      if (this.rescanAfter) {
        this.rescanAfter = false;
        this.schedule(0);
      }
    });
    return this.running;
  }

  private async scan(controller: AbortController, interactive: boolean): Promise<void> {
    await this.engines.ready;
    const policies = this.engines.all();
    if (!policies.length) {
      if (interactive) void vscode.window.showInformationMessage('llmgenie: Open a folder to check its policy.');
      return;
    }
    const started = performance.now();
    const totals = emptyTotals();
    const byFolder = new Map<string, Totals>();
    const options: vscode.ProgressOptions = interactive
      ? { location: vscode.ProgressLocation.Notification, title: 'llmgenie: checking workspace policy', cancellable: true }
      : { location: vscode.ProgressLocation.Window, title: 'llmgenie policy' };
    const completed = await vscode.window.withProgress(options, async (progress, token) => {
      const cancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
      try {
        return await this.scanFolders(policies, controller, progress, byFolder);
      } finally {
        cancel.dispose();
      }
    });
    const ms = performance.now() - started;
    for (const t of byFolder.values()) addTotals(totals, t);
    if (!completed) {
      this.services.log.info(`policy: workspace scan cancelled after ${ms.toFixed(0)} ms`);
      return;
    }
    const line = `${plural(totals.files, 'file')} checked, ${plural(totals.bySeverity.error, 'error')}, ${plural(totals.bySeverity.warning, 'warning')}${totals.skipped ? `, ${totals.skipped} skipped` : ''}${totals.baselined ? `, ${totals.baselined} in baseline` : ''}`;
    this.services.log.info(`policy: workspace scan: ${line} (${ms.toFixed(0)} ms)`);
    for (const [root, t] of byFolder) {
      if (!interactive && !this.log.hasLiveSession(root)) continue;
      const payload = { source: 'editor' as const, files: t.files, findings: t.findings, byRule: t.byRule, bySeverity: t.bySeverity };
      this.log.sinkFor(root).append({ type: 'policy', payload }).catch((e) => this.services.log.warn(`policy: could not log the scan in the session: ${String(e)}`));
    }
    if (interactive) {
      // Not awaited: the next scan must not wait for this toast to be dismissed.
      void vscode.window.showInformationMessage(`llmgenie policy: ${line}.`, 'Show Problems').then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
    }
  }

  private async scanFolders(
    policies: readonly FolderPolicy[],
    controller: AbortController,
    progress: vscode.Progress<{ message?: string }>,
    byFolder: Map<string, Totals>,
  ): Promise<boolean> {
    for (const policy of policies) {
      const checked: string[] = [];
      let lastReport = 0;
      let result: TreeResult;
      try {
        result = await policy.engine.checkTree(nodeFileSystem, policy.root, undefined, {
          concurrency: CONCURRENCY,
          signal: controller.signal,
          onProgress: (done, file) => {
            checked.push(file);
            const now = performance.now();
            if (now - lastReport < 100) return;
            lastReport = now;
            progress.report({ message: `${policy.folder.name}: ${plural(done, 'file')}` });
          },
        });
      } catch (e) {
        if (controller.signal.aborted) return false;
        this.services.reportError('policy-scan', `could not check the policy of ${policy.folder.name}`, e);
        continue;
      }
      progress.report({ message: `${policy.folder.name}: ${plural(checked.length, 'file')}` });
      const skipped = new Set(result.skipped.map((s) => s.file));
      this.diagnostics.applyScan(policy, checked.filter((f) => !skipped.has(f)), result.findings);
      for (const s of result.skipped) this.services.log.info(`policy: skipped ${policy.folder.name}/${s.file}: ${s.reason}`);
      const totals = emptyTotals();
      addTotals(totals, summarize(result));
      byFolder.set(policy.root, totals);
    }
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.current?.abort(new vscode.CancellationError());
  }
}

function emptyTotals(): Totals {
  return { files: 0, findings: 0, skipped: 0, baselined: 0, byRule: {}, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 } };
}

function addTotals(into: Totals, sum: Totals): void {
  into.files += sum.files;
  into.findings += sum.findings;
  into.skipped += sum.skipped;
  into.baselined += sum.baselined;
  for (const [rule, n] of Object.entries(sum.byRule)) into.byRule[rule] = (into.byRule[rule] ?? 0) + n;
  for (const sev of Object.keys(sum.bySeverity) as Severity[]) into.bySeverity[sev] += sum.bySeverity[sev];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
