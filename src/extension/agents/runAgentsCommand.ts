import * as vscode from 'vscode';
import { AGENT_SETTING_KEYS } from '../../core/agents/setup';
import { loadEngine } from '../router/loadEngine';
import type { ExtensionServices } from '../services';
import type { AgentRunner } from './agentRunner';
import { editorAgentSettings } from './agentSettings';
import { editorCommandApprovals } from './editorApprovals';

export const RUN_AGENTS = 'llmgenie.agents.run';

/**
 * "llmgenie: Run Agents on Task…": one input box per task (an empty one starts the run), the workspace's check
 * command confirmed once per workspace, then the run in a progress notification and the Sessions tree.
 */
export function registerRunAgentsCommand(services: ExtensionServices, runner: AgentRunner): void {
  services.command(RUN_AGENTS, async (arg?: { tasks?: unknown }) => {
    if (!services.isTrustedFor('Running agents (they write files, commit and run the check command)')) return;
    const folder = await pickFolder();
    if (!folder) return;
    const given = Array.isArray(arg?.tasks) ? arg.tasks.filter((t): t is string => typeof t === 'string') : undefined;
    const tasks = given?.length ? given : await askTasks();
    if (!tasks?.length) return;
    if (!(await confirmCheckCommand(services, folder))) return;
    await runner.run(folder, { kind: 'start', tasks });
  });
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!folders.length) {
    void vscode.window.showWarningMessage('llmgenie: agents work on a git repository: open its folder first.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Run the agents in which repository?' });
}

/** Tasks one per input box; Escape abandons them all, an empty box after the first starts the run. */
async function askTasks(): Promise<string[] | undefined> {
  const { MAX_TASKS, MAX_TASK_CHARS } = loadEngine();
  const tasks: string[] = [];
  while (tasks.length < MAX_TASKS) {
    const n = tasks.length + 1;
    const value = await vscode.window.showInputBox({
      title: `llmgenie: Run Agents on Task… (task ${n}${tasks.length ? `, ${tasks.length} so far` : ''})`,
      prompt: tasks.length
        ? 'Another task, on its own branch in parallel; leave empty and press Enter to start the run.'
        : 'What should the coder do? Each task gets its own branch and worktree, a handoff package and a review.',
      placeHolder: n === 1 ? 'e.g. Add a clamp helper with tests' : 'Enter with no text: start the run',
      ignoreFocusOut: true,
      validateInput: (v) => {
        if (v.length > MAX_TASK_CHARS) return `At most ${MAX_TASK_CHARS} characters`;
        if (!tasks.length && !v.trim()) return 'Describe the first task';
        if (tasks.includes(v.trim())) return 'That task is already in this run';
        return undefined;
      },
    });
    if (value === undefined) return undefined;
    if (!value.trim()) break;
    tasks.push(value.trim());
  }
  return tasks;
}

/**
 * The check command comes from the workspace, so the user sees it and accepts it once for this workspace before
 * the coder may run it (the exact command line: a changed one asks again). "Run Unchecked" runs without it.
 */
async function confirmCheckCommand(services: ExtensionServices, folder: vscode.WorkspaceFolder): Promise<boolean> {
  const root = folder.uri.fsPath.replace(/\\/g, '/');
  const approvals = editorCommandApprovals(services.context.globalState);
  const state = await loadEngine().checkApproval(approvals, root, editorAgentSettings(folder.uri), vscode.workspace.isTrusted);
  if (state.state === 'accepted' || state.state === 'untrusted') return true;
  if (state.state === 'none') {
    services.log.info(`agents: ${state.why}`);
    return true;
  }
  const pick = await vscode.window.showWarningMessage(
    `Let the coder agent run "${state.command}" in its worktrees of ${folder.name}?`,
    {
      modal: true,
      detail: `The command comes from this workspace's ${AGENT_SETTING_KEYS.checkCommand}. It runs with your permissions after every coding round (timeout and output cap apply); the model cannot choose another command. You are asked once for this workspace, and again if the command changes.`,
    },
    'Accept and Run',
    'Run Unchecked',
  );
  if (pick === 'Accept and Run') {
    await approvals.accept(root, state.command);
    services.log.info(`agents: check command "${state.command}" accepted for ${root}`);
    return true;
  }
  return pick === 'Run Unchecked';
}
