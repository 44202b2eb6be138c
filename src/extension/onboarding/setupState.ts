import * as vscode from 'vscode';

/**
 * The walkthrough's steps tick off on these context keys (package.json `walkthroughs`, `onContext:` events), set
 * when the real thing happens: Ollama answered, the configured model is installed or its pull finished, a key is
 * stored, a task was routed, the workspace has a rule. The editor remembers a ticked step across reloads.
 */
export type SetupStep = 'ollamaReachable' | 'modelReady' | 'keyStored' | 'taskRouted' | 'hasRules';

const current = new Map<SetupStep, boolean>();
let log: vscode.LogOutputChannel | undefined;

/** Where each step's change is traced (the walkthrough's state is otherwise invisible). */
export function traceSetup(channel: vscode.LogOutputChannel): void {
  log = channel;
}

/** Sets `llmgenie.setup.<step>`; cheap to call on every event (the command runs only when the value changes). */
export function markSetup(step: SetupStep, done = true): void {
  if (current.get(step) === done) return;
  current.set(step, done);
  log?.info(`setup: ${step} = ${done}`);
  void vscode.commands.executeCommand('setContext', `llmgenie.setup.${step}`, done);
}

/**
 * Sets every step that is done again, off and on. The walkthrough service registers its steps when it is first
 * opened, and a key that was already true then does not tick its step (only a change does), so a step done before
 * the walkthrough was first shown would stay unticked.
 */
export async function replaySetup(): Promise<void> {
  for (const [step, done] of current) {
    if (!done) continue;
    await vscode.commands.executeCommand('setContext', `llmgenie.setup.${step}`, false);
    await vscode.commands.executeCommand('setContext', `llmgenie.setup.${step}`, true);
  }
}
