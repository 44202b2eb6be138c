import type * as vscode from 'vscode';
import { approvalKey, type CommandApprovals } from '../../core/agents/checkCommand';

const KEY = 'llmgenie.agents.acceptedCheckCommands';

/**
 * Accepted check commands in the editor's global state (outside the workspace, so a repository cannot
 * pre-accept its own command). The exact command line is part of the key: a changed command asks again.
 */
export function editorCommandApprovals(state: vscode.Memento): CommandApprovals {
  const all = () => state.get<Record<string, { workspace: string; command: string; at: string }>>(KEY) ?? {};
  return {
    isAccepted: async (workspace, command) => all()[approvalKey(workspace, command)]?.command === command,
    accept: async (workspace, command) => {
      await state.update(KEY, { ...all(), [approvalKey(workspace, command)]: { workspace, command, at: new Date().toISOString() } });
    },
  };
}
