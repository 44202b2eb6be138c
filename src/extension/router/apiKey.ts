import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

/** SecretStorage key; the value never goes to settings, logs or the webview. */
const SECRET_KEY = 'llmgenie.anthropicApiKey';

export const SET_KEY = 'llmgenie.setAnthropicKey';
export const CLEAR_KEY = 'llmgenie.clearAnthropicKey';

export type KeySource = 'secret' | 'env' | 'none';

/** The key from SecretStorage, else `ANTHROPIC_API_KEY` in the extension host's environment (CI, E2E, dev shells). */
export async function readApiKey(context: vscode.ExtensionContext): Promise<{ value?: string; source: KeySource }> {
  const stored = (await context.secrets.get(SECRET_KEY))?.trim();
  if (stored) return { value: stored, source: 'secret' };
  const env = process.env.ANTHROPIC_API_KEY?.trim();
  return env ? { value: env, source: 'env' } : { source: 'none' };
}

export function registerApiKeyCommands(services: ExtensionServices): void {
  const { context } = services;
  services.command(SET_KEY, async () => {
    const value = await vscode.window.showInputBox({
      title: 'llmgenie: Set Anthropic API Key',
      prompt: 'Stored in the editor’s secret storage (OS keychain), never in settings. Used for tasks routed to Claude.',
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'Paste the key, or press Escape to cancel' : /\s/.test(v.trim()) ? 'An API key has no spaces' : undefined),
    });
    if (!value?.trim()) return;
    await context.secrets.store(SECRET_KEY, value.trim());
    services.log.info('Anthropic API key saved to secret storage');
    void vscode.window.showInformationMessage('llmgenie: Anthropic API key saved in the editor’s secret storage.');
  });
  services.command(CLEAR_KEY, async () => {
    const had = !!(await context.secrets.get(SECRET_KEY));
    await context.secrets.delete(SECRET_KEY);
    services.log.info('Anthropic API key removed from secret storage');
    const env = process.env.ANTHROPIC_API_KEY?.trim() ? ' ANTHROPIC_API_KEY from the environment is still used.' : '';
    void vscode.window.showInformationMessage(had ? `llmgenie: Anthropic API key removed.${env}` : `llmgenie: No Anthropic API key was stored.${env}`);
  });
}
