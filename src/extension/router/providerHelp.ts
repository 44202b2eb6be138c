import * as vscode from 'vscode';
import { isProviderError } from '../../core/router/errors';
import { modelMissingKey, providerProblemKey } from '../../core/router/shownOnce';
import { markSetup } from '../onboarding/setupState';
import type { ExtensionServices } from '../services';
import { SET_KEY } from './apiKey';
import type { ProviderTrouble, RouterRuntime } from './routerRuntime';
import { updateWhereDefined, type RouterStatus } from './routerStatus';

export const PULL_MODEL = 'llmgenie.ollama.pullModel';
const DOWNLOAD_PAGE = 'https://ollama.com/download';

/**
 * Toasts that offer the fix for a provider problem, each once per window: Ollama down (how to start it, or set a
 * key), the configured model missing (pull it with streamed progress, or pick an installed one), no Claude key.
 */
export class ProviderHelp {
  /** Reruns the task that last hit a problem, offered after a successful pull. */
  retry: (() => void) | undefined;

  constructor(
    private readonly services: ExtensionServices,
    private readonly status: RouterStatus,
    private readonly runtime: () => RouterRuntime,
  ) {
    services.command(PULL_MODEL, (name?: unknown) => this.pull(typeof name === 'string' ? name : undefined));
  }

  /**
   * `toldBefore`: the window's shown-once set as it was when the task began. A task's troubles are handed over when
   * it ends, after its own banner already marked the problem as told; the banner and the toast are one telling, so
   * only a problem told by an earlier task stays quiet.
   */
  onTrouble(t: ProviderTrouble, toldBefore?: ReadonlySet<string>): void {
    const { error } = t;
    if (error.provider === 'ollama' && error.reason === 'unreachable') void this.ollamaDown(t, toldBefore);
    else if (error.provider === 'ollama' && error.reason === 'model-missing') void this.modelMissing(t, toldBefore);
    else if (error.provider === 'anthropic' && error.reason === 'no-key') void this.noKey(t, toldBefore);
  }

  /** The window's one shown-once set, under the key the router's notice for the same problem uses. */
  private once(t: ProviderTrouble, toldBefore?: ReadonlySet<string>): boolean {
    const key = providerProblemKey(t.error, t.model);
    if (key === undefined) return true;
    if (!toldBefore) return this.services.firstTime(key);
    this.services.shown.add(key);
    return !toldBefore.has(key);
  }

  private async ollamaDown(t: ProviderTrouble, toldBefore?: ReadonlySet<string>): Promise<void> {
    if (!this.once(t, toldBefore)) return;
    const text = t.hasKey
      ? `llmgenie: Ollama is not running at ${t.host}; tasks go to Claude until it is back.`
      : `llmgenie: Ollama is not running at ${t.host} and no Anthropic API key is set, so no model can answer.`;
    const pick = await vscode.window.showWarningMessage(text, 'How to start Ollama', 'Set API Key');
    if (pick === 'Set API Key') await vscode.commands.executeCommand(SET_KEY);
    else if (pick === 'How to start Ollama') {
      const more = await vscode.window.showInformationMessage(
        'Starting Ollama',
        {
          modal: true,
          detail: `Install Ollama from ${DOWNLOAD_PAGE}, then start it: open the Ollama app, or run "ollama serve" in a terminal. llmgenie connects to ${t.host} (setting llmgenie.ollama.host; empty means OLLAMA_HOST or http://127.0.0.1:11434) and uses the model ${t.model} (llmgenie.ollama.model), which it can pull for you.`,
        },
        'Open Download Page',
        'Open Settings',
      );
      if (more === 'Open Download Page') await vscode.env.openExternal(vscode.Uri.parse(DOWNLOAD_PAGE));
      else if (more === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'llmgenie.ollama');
    }
  }

  private async modelMissing(t: ProviderTrouble, toldBefore?: ReadonlySet<string>): Promise<void> {
    if (!this.once(t, toldBefore)) return;
    const installed = t.error.availableModels ?? [];
    const list = installed.length ? `installed: ${installed.slice(0, 5).join(', ')}${installed.length > 5 ? ', …' : ''}` : 'no models are installed';
    const pullLabel = `Pull ${t.model}`;
    const actions = [pullLabel, ...(installed.length ? ['Use Installed Model…'] : [])];
    const pick = await vscode.window.showWarningMessage(`llmgenie: Ollama at ${t.host} does not have the model ${t.model} (${list}).`, ...actions);
    if (pick === pullLabel) await this.pull(t.model);
    else if (pick === 'Use Installed Model…') {
      const model = await vscode.window.showQuickPick(installed, { title: 'llmgenie: Ollama model for local tasks' });
      if (model) await this.useModel(model);
    }
  }

  private async useModel(model: string): Promise<void> {
    const where = await updateWhereDefined('llmgenie.ollama', 'model', model);
    this.services.log.info(`ollama model: ${model} (${where} settings)`);
  }

  private async noKey(t: ProviderTrouble, toldBefore?: ReadonlySet<string>): Promise<void> {
    if (!this.once(t, toldBefore)) return;
    const pick = await vscode.window.showWarningMessage('llmgenie: No Anthropic API key, so tasks that need Claude cannot go there.', 'Set API Key');
    if (pick === 'Set API Key') await vscode.commands.executeCommand(SET_KEY);
  }

  /** Pulls `name` (asked for when not given) with a cancellable progress notification fed by the streamed progress. */
  async pull(name?: string): Promise<boolean> {
    let built;
    try {
      built = await this.runtime().providers();
    } catch (e) {
      this.services.reportError('router-providers', 'cannot set up the Ollama client', e);
      return false;
    }
    const local = built.providers.local;
    const model =
      name ??
      (await vscode.window.showInputBox({
        title: 'llmgenie: Pull Ollama Model',
        prompt: `Model to download into Ollama at ${local.host}`,
        value: local.model,
        validateInput: (v) => (/^[\w.\-/:]+$/.test(v.trim()) ? undefined : 'A model name such as qwen2.5-coder:7b'),
      }))?.trim();
    if (!model) return false;
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `llmgenie: Pulling ${model}`, cancellable: true },
        async (progress, token) => {
          const ac = new AbortController();
          const sub = token.onCancellationRequested(() => ac.abort());
          let shown = 0;
          try {
            await local.pullModel(
              model,
              (p) => {
                if (p.percent === undefined) return progress.report({ message: p.status });
                // Each layer counts 0→100 %; the bar only moves forward, the message shows the current layer.
                const increment = Math.max(0, p.percent - shown);
                shown = Math.max(shown, p.percent);
                progress.report({ message: `${p.status} ${p.percent.toFixed(0)}%`, increment });
              },
              ac.signal,
            );
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      if (isProviderError(e) && e.reason === 'cancelled') {
        void vscode.window.showInformationMessage(`llmgenie: Pull of ${model} cancelled.`);
        return false;
      }
      this.services.log.error(`pull ${model} failed`, e);
      void vscode.window.showErrorMessage(`llmgenie: ${(e as Error).message}`);
      return false;
    }
    this.services.log.info(`pulled ${model} into ${local.host}`);
    markSetup('ollamaReachable');
    if (model === local.model) markSetup('modelReady');
    if (model === local.model) this.status.setHealth({ ollama: { ok: true, text: 'reachable, model pulled' } });
    this.services.shown.delete(modelMissingKey(local.host, model));
    if (model !== local.model) {
      const pick = await vscode.window.showInformationMessage(`llmgenie: Pulled ${model}.`, `Use ${model}`);
      if (pick) await this.useModel(model);
      return true;
    }
    const retry = this.retry;
    const pick = await vscode.window.showInformationMessage(`llmgenie: Pulled ${model}; local tasks can use it now.`, ...(retry ? ['Run Again'] : []));
    if (pick === 'Run Again') retry?.();
    return true;
  }
}
