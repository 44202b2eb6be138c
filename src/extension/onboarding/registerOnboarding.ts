import * as vscode from 'vscode';
import type { RulesDiagnostics } from '../rules/rulesDiagnostics';
import type { ExtensionServices } from '../services';
import { readApiKey } from '../router/apiKey';
import { registerGitignoreOffer } from './gitignoreOffer';
import { markSetup, traceSetup, WALKTHROUGH_ID } from './setupState';
import { registerStarterRules } from './starterRulesOffer';

export const OPEN_WALKTHROUGH = 'llmgenie.setup.walkthrough';
/** The key check reads secret storage: after activation, not during it. */
const KEY_CHECK_MS = 1000;

/**
 * Onboarding: the walkthrough (its steps tick off on context keys set where the real event happens: here for the
 * key and the rules, in the router for Ollama, the model and the first task), the starter-rules offer and command,
 * and the one-time .gitignore offer.
 */
export function registerOnboarding(services: ExtensionServices, rules: RulesDiagnostics): void {
  traceSetup(services.log);
  services.command(OPEN_WALKTHROUGH, async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  });
  const checkKey = async (): Promise<void> => markSetup('keyStored', (await readApiKey(services.context)).source !== 'none');
  services.track(services.context.secrets.onDidChange(() => void checkKey()));
  const timer = setTimeout(() => void checkKey(), KEY_CHECK_MS);
  services.track({ dispose: () => clearTimeout(timer) });
  registerStarterRules(services, rules);
  registerGitignoreOffer(services);
}
