import * as vscode from 'vscode';
import { registerAgents } from './extension/agents/registerAgents';
import { registerHandoff } from './extension/handoff/registerHandoff';
import { registerLessons } from './extension/lessons/registerLessons';
import { registerMcp } from './extension/mcp/registerMcp';
import { registerOnboarding } from './extension/onboarding/registerOnboarding';
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
  const s = services;
  const rules = s.track(new RulesDiagnostics(s));
  // Each feature starts on its own: one that fails is reported and the others still work.
  const features: [string, () => void][] = [
    ['router', () => registerRouter(s)],
    ['rules', () => registerRulesCommands(s, rules)],
    ['sessions', () => registerSessions(s)],
    ['lessons', () => registerLessons(s, rules)],
    ['handoff', () => registerHandoff(s)],
    ['mcp', () => registerMcp(s)],
    ['policy', () => registerPolicy(s, rules)],
    ['onboarding', () => registerOnboarding(s, rules)],
    ['agents', () => registerAgents(s)],
    ['logs', () => s.command('llmgenie.showLogs', () => log.show())],
    ['rules lint', () => rules.start()],
  ];
  for (const [name, start] of features) {
    try {
      start();
    } catch (e) {
      s.reportError(`activate:${name}`, `${name} failed to start; the other features work`, e);
    }
  }
  log.info(`llmgenie ${context.extension.packageJSON.version} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): void {
  services?.dispose();
  services = undefined;
}
