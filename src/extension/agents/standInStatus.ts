import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

/** Set by `npm run fake-models` (printed for export) and `npm run demo -- --fake-models`. */
export const STAND_IN_ENV = 'LLMGENIE_STAND_IN_MODELS';

/**
 * A status bar item that is there only when the window talks to the stand-in model servers, so nobody takes
 * their scripted answers (and the agent runs built on them) for a real model's work.
 */
export function registerStandInStatus(services: ExtensionServices): void {
  if (process.env[STAND_IN_ENV] !== '1') return;
  const item = services.track(vscode.window.createStatusBarItem('llmgenie.standIns', vscode.StatusBarAlignment.Right, 101));
  item.name = 'llmgenie Stand-in Models';
  item.text = '$(beaker) stand-in models';
  item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
  const c = vscode.workspace.getConfiguration('llmgenie');
  const ollama = c.get<string>('ollama.host') || process.env.OLLAMA_HOST || 'OLLAMA_HOST';
  const claude = c.get<string>('claude.baseUrl') || process.env.ANTHROPIC_BASE_URL || 'ANTHROPIC_BASE_URL';
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown('**Stand-in models, not real ones**\n\n');
  tip.appendMarkdown(
    `Every model answer in this window comes from the scripted servers of \`npm run fake-models\` (Ollama at ${ollama}, Claude at ${claude}). ` +
      'They answer as the router and the coder, librarian and reviewer agents expect, so you can watch a routed task or a whole agent run with no Ollama and no API key; the code they write is canned.\n\n',
  );
  tip.appendMarkdown(`To use real models, start the editor without \`${STAND_IN_ENV}\`, \`OLLAMA_HOST\` and \`ANTHROPIC_BASE_URL\` pointing at them.`);
  item.tooltip = tip;
  item.accessibilityInformation = { label: 'llmgenie is using stand-in models: scripted answers, not real models' };
  item.command = 'llmgenie.showLogs';
  item.show();
}
