import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { summarize } from '../../core/policy/report';
import type { Severity, TreeResult } from '../../core/policy/types';
import type { SessionEventSink } from '../../core/sessions/sink';
import type { ExtensionServices } from '../services';
import type { PolicyDiagnostics } from './policyDiagnostics';
import type { PolicyEngines } from './policyEngines';

export interface ScanLog {
  readonly sink: SessionEventSink;
  /** Whether this window already writes a session: background scans join one but never start one. */
  readonly hasLiveSession: () => boolean;
}

/** Files read at once: enough to overlap disk reads without crowding the extension host. */
const CONCURRENCY = 8;

/**
 * The whole-workspace policy scan: every folder through checkTree (gitignore respected, binary and huge files
 * skipped and listed in the output channel), with progress, cancellable, results into the Problems panel.
 * A new scan cancels the one running.
 */
export class WorkspaceScan implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private current: AbortController | undefined;
  private running: Promise<void> | undefined;

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
  async run(interactive: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.current?.abort(new vscode.CancellationError());
    await this.running?.catch(() => undefined);
    const controller = new AbortController();
    this.current = controller;
    this.running = this.scan(controller, interactive).finally(() => {
      if (this.current === controller) this.current = undefined;
    });
    return this.running;
  }

  private async scan(controller: AbortController, interactive: boolean): Promise<void> {
    await this.engines.ready;
    const policies = this.engines.all();
    if (!policies.length) {
      if (interactive) void vscode.window.showInformationMessage('llmgenie: open a folder to check its policy.');
      return;
    }
    const started = performance.now();
    const totals = { files: 0, findings: 0, skipped: 0, baselined: 0, byRule: {} as Record<string, number>, bySeverity: { error: 0, warning: 0, info: 0, hint: 0 } as Record<Severity, number> };
    const options: vscode.ProgressOptions = interactive
      ? { location: vscode.ProgressLocation.Notification, title: 'llmgenie: checking workspace policy', cancellable: true }
      : { location: vscode.ProgressLocation.Window, title: 'llmgenie policy' };
    const completed = await vscode.window.withProgress(options, async (progress, token) => {
      token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
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
        const sum = summarize(result);
        totals.files += sum.files;
        totals.findings += sum.findings;
        totals.skipped += sum.skipped;
        totals.baselined += sum.baselined;
        for (const [rule, n] of Object.entries(sum.byRule)) totals.byRule[rule] = (totals.byRule[rule] ?? 0) + n;
        for (const sev of Object.keys(sum.bySeverity) as Severity[]) totals.bySeverity[sev] += sum.bySeverity[sev];
      }
      return true;
    });
    const ms = performance.now() - started;
    if (!completed) {
      this.services.log.info(`policy: workspace scan cancelled after ${ms.toFixed(0)} ms`);
      return;
    }
    const line = `${plural(totals.files, 'file')} checked, ${plural(totals.bySeverity.error, 'error')}, ${plural(totals.bySeverity.warning, 'warning')}${totals.skipped ? `, ${totals.skipped} skipped` : ''}${totals.baselined ? `, ${totals.baselined} in baseline` : ''}`;
    this.services.log.info(`policy: workspace scan: ${line} (${ms.toFixed(0)} ms)`);
    if (interactive || this.log.hasLiveSession()) {
      const payload = { source: 'editor' as const, files: totals.files, findings: totals.findings, byRule: totals.byRule, bySeverity: totals.bySeverity };
      this.log.sink.append({ type: 'policy', payload }).catch((e) => this.services.log.warn(`policy: could not log the scan in the session: ${String(e)}`));
    }
    if (interactive) {
      // Not awaited: the next scan must not wait for this toast to be dismissed.
      void vscode.window.showInformationMessage(`llmgenie policy: ${line}.`, 'Show Problems').then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.current?.abort(new vscode.CancellationError());
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
