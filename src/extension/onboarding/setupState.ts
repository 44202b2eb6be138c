import * as vscode from 'vscode';

/**
 * The walkthrough's steps tick off on these context keys (package.json `walkthroughs`, `onContext:` events), set
 * when the real thing happens: Ollama answered, the configured model is installed or its pull finished, a key is
 * stored, a task was routed, the workspace has a rule. The editor remembers a ticked step across reloads.
 */
export type SetupStep = 'ollamaReachable' | 'modelReady' | 'keyStored' | 'taskRouted' | 'hasRules';

/** The walkthrough step (package.json `walkthroughs[0].steps[].id`) each event completes. */
const STEP_ID: Record<SetupStep, string> = { ollamaReachable: 'ollama', modelReady: 'model', keyStored: 'key', taskRouted: 'task', hasRules: 'rules' };
export const WALKTHROUGH_ID = 'llmgenie.llmgenie#llmgenie.gettingStarted';

const current = new Map<SetupStep, boolean>();
let log: vscode.LogOutputChannel | undefined;

/** Where each step's change is traced (the walkthrough's state is otherwise invisible). */
export function traceSetup(channel: vscode.LogOutputChannel): void {
  log = channel;
}

/**
 * Sets `llmgenie.setup.<step>` (cheap to call on every event: it acts only when the value changes) and, when done,
 * ticks the step directly. The context key alone is not enough: the walkthrough service is created lazily, and an
 * `onContext:` event whose key is already true when it registers the steps counts as seen without ticking, and is
 * never looked at again in that window (VS Code's gettingStartedService: `sessionEvents`). So a step done before
 * the walkthrough was first opened, Ollama checked at startup or a key stored last week, would stay unticked.
 * `welcome.markStepComplete` ticks it and VS Code keeps it ticked across reloads.
 */
export function markSetup(step: SetupStep, done = true): void {
  if (current.get(step) === done) return;
  current.set(step, done);
  log?.info(`setup: ${step} = ${done}`);
  void vscode.commands.executeCommand('setContext', `llmgenie.setup.${step}`, done);
  if (done) {
    vscode.commands.executeCommand('welcome.markStepComplete', `${WALKTHROUGH_ID}#${STEP_ID[step]}`).then(undefined, (e: unknown) =>
      // An editor without the command (or before it registered the walkthrough) still has the context key.
      log?.debug(`setup: could not tick the ${STEP_ID[step]} step directly: ${(e as Error)?.message ?? String(e)}`),
    );
  }
}
