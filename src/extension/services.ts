import * as vscode from 'vscode';

/**
 * What every feature's register function receives from the composition root. Disposables are tracked here
 * and disposed in reverse order of registration.
 */
export class ExtensionServices implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly shownOnce = new Set<string>();

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  track<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  /** One toast per distinct problem per window, with the detail in the output channel. */
  async reportError(key: string, message: string, error?: unknown): Promise<void> {
    this.log.error(message, ...(error === undefined ? [] : [error]));
    if (this.shownOnce.has(key)) return;
    this.shownOnce.add(key);
    const pick = await vscode.window.showErrorMessage(`llmgenie: ${message}`, 'Open Output');
    if (pick === 'Open Output') this.log.show(true);
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
