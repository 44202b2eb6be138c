import * as vscode from 'vscode';
import { registerHandoff } from './extension/handoff/registerHandoff';
import { registerLessons } from './extension/lessons/registerLessons';
import { registerMcp } from './extension/mcp/registerMcp';
import { registerPolicy } from './extension/policy/registerPolicy';
import { registerRouter } from './extension/router/registerRouter';
import { registerRulesCommands } from './extension/rules/rulesCommands';
import { RulesDiagnostics } from './extension/rules/rulesDiagnostics';
import { ExtensionServices } from './extension/services';
import { registerSessions } from './extension/sessions/registerSessions';

let services: ExtensionServices | undefined;

/** The one composition root: wire each feature, track its disposables, do no heavy work here. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('llmgenie', { log: true });
  context.subscriptions.push(log);
  services = new ExtensionServices(context, log);
  context.subscriptions.push(services);
  try {
    registerRouter(services);
    const rules = services.track(new RulesDiagnostics(services));
    registerRulesCommands(services, rules);
    registerSessions(services);
    registerLessons(services, rules);
    registerHandoff(services);
    registerMcp(services);
    registerPolicy(services, rules);
    services.track(vscode.commands.registerCommand('llmgenie.showLogs', () => log.show()));
    rules.start();
  } catch (e) {
    void services.reportError('activate', 'failed to start; some features are unavailable', e);
  }
  log.info(`llmgenie ${context.extension.packageJSON.version} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  services?.dispose();
  services = undefined;
}
