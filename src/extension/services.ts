import * as vscode from 'vscode';

/**
 * What every feature's register function receives from the composition root. Disposables are tracked here
 * and disposed in reverse order of registration.
 */
export class ExtensionServices implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * Everything told once per window, in one set: error toasts here, the router's one-time notices and the
   * provider-fix toasts (keys from core/router/shownOnce.ts), so one problem is never told twice by two features.
   */
  readonly shown = new Set<string>();

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  track<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /**
   * One toast per distinct problem per window, with the detail in the output channel. Returns at once: the toast
   * resolves only when the user closes it, and no work may wait on that.
   */
  reportError(key: string, message: string, error?: unknown): void {
    this.log.error(message, ...(error === undefined ? [] : [error]));
    if (!this.firstTime(`error:${key}`)) return;
    void vscode.window.showErrorMessage(`llmgenie: ${message}`, 'Open Output').then((pick) => {
      if (pick === 'Open Output') this.log.show(true);
    });
  }

  /** True the first time `key` is asked about in this window, false after. */
  firstTime(key: string): boolean {
    if (this.shown.has(key)) return false;
    this.shown.add(key);
    return true;
  }

  /**
   * Commands that send code to a model, run git or write config check trust when they run (not with an
   * `enablement` clause, which hides them while the trust context key is still being set after a reload).
   */
  isTrustedFor(action: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(`llmgenie: ${action} needs a trusted workspace. Trust this folder to use it.`, 'Manage Workspace Trust').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return false;
  }

  /**
   * The one way a command is registered (scripts/check-layers.mjs fails on any other): its failures become one clear
   * toast (details in the output channel), never a raw error, and each run is logged with its outcome and duration
   * at debug level, so the output channel tells what ran whichever feature registered it.
   */
  command(id: string, run: (...args: any[]) => unknown): vscode.Disposable {
    return this.track(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        const started = Date.now();
        try {
          const result = await run(...args);
          this.log.debug(`command ${id}: ok in ${Date.now() - started} ms`);
          return result;
        } catch (e) {
          this.log.debug(`command ${id}: failed in ${Date.now() - started} ms`);
          this.reportError(`command:${id}`, `${id.replace(/^llmgenie\./, '')} failed: ${(e as Error)?.message ?? String(e)}`, e);
          return undefined;
        }
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        this.log.warn(`dispose failed: ${String(e)}`);
      }
    }
  }
}
