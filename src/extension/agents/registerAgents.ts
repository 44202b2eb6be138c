import * as vscode from 'vscode';
import { AGENTS_STATE_DIR } from '../../core/agents/layout';
import type { ExtensionServices } from '../services';
import { getSessionsTree } from '../sessions/sessionsTree';
import { registerAgentRunCommands } from './agentRunCommands';
import { AgentRunner } from './agentRunner';
import { AgentRunsSection } from './agentRunsTree';
import { registerRedisPasswordCommands } from './agentSettings';
import { registerBranchDiffDocuments } from './branchDiff';
import { registerRunAgentsCommand } from './runAgentsCommand';
import { registerStandInStatus } from './standInStatus';

/**
 * Agent runs in the editor: "Run Agents on Task…", the Agent runs section of the Sessions view, branch diffs,
 * packages, cancel / resume / clean, the Redis password, the stand-in models label. The run itself is core's
 * (runLauncher, runStatus, runControl); nothing here reads a file or the network at activation.
 */
export function registerAgents(services: ExtensionServices): void {
  registerStandInStatus(services);
  registerRedisPasswordCommands(services);
  const runner = services.track(new AgentRunner(services));
  const roots = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath.replace(/\\/g, '/'));
  const section = services.track(new AgentRunsSection(roots, (run) => !!runner.handle(run)));
  const tree = getSessionsTree(services);
  if (tree) services.track(tree.provider.addSection(section));
  else services.log.warn('agents: the Sessions view did not start; agent runs are not listed');
  // Debounced with a ceiling: a run appends to its journal many times a second, so a plain trailing debounce (reset
  // by each append) would not refresh until the run went quiet, i.e. ended. At most one refresh per 250 ms instead.
  const refresh = throttle(() => section.refresh(), 250);
  services.track({ dispose: () => refresh.dispose() });
  services.track(runner.onDidChange(() => refresh()));
  // Runs of the CLI, MCP or another window: their journals and summaries change under .llmgenie/agents/runs/.
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const watcher = services.track(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `${AGENTS_STATE_DIR}/runs/**`)));
    services.track(watcher.onDidChange(() => refresh()));
    services.track(watcher.onDidCreate(() => refresh()));
    services.track(watcher.onDidDelete(() => refresh()));
  }
  services.track(registerBranchDiffDocuments());
  registerRunAgentsCommand(services, runner);
  registerAgentRunCommands(services, runner, section, roots);
}

/** Calls `fn` at most once per `ms`: the first call schedules it, calls until then fold into that one. */
export function throttle(fn: () => void, ms: number): { (): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  return Object.assign(run, { dispose: () => timer && clearTimeout(timer) });
}
