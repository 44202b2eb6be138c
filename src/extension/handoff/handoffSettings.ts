import * as vscode from 'vscode';
import { runMinimumFor } from '../../core/agents/packageMinimum';
import { loadHandoffConfig } from '../../core/handoff/config';
import type { HandoffConfig } from '../../core/handoff/config';
import { packageRoot } from '../../core/handoff/packageRoot';
import { HANDOFF_FILE } from '../../core/handoff/read';
import { nodeFileSystem } from '../../core/platform/fileSystem';

export const SETTINGS_SECTION = 'llmgenie.handoff';
const KEYS = ['minScore', 'minFiles', 'minQuestions', 'minPromptChars', 'directory', 'weights'] as const;

/** A watcher/search glob for the package file in any of the cases people write it. */
export const HANDOFF_GLOB = '**/{HANDOFF,Handoff,handoff}.md';

export function isHandoffUri(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && uri.path.split('/').pop()?.toLowerCase() === HANDOFF_FILE.toLowerCase();
}

export function fsPath(uri: vscode.Uri): string {
  return uri.fsPath.replace(/\\/g, '/');
}

/**
 * Only what the user actually set: settings defaults must not mask `.llmgenie/handoff.json`, which the
 * core overlays beneath these.
 */
export function handoffSettingOverrides(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const i = config.inspect(key);
    const value = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * The root a package belongs to; its listed files are relative to it: the git work tree holding it within its
 * workspace folder (an agent branch's worktree for that branch's package), else the workspace folder.
 */
export async function rootFor(uri: vscode.Uri): Promise<string> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const dir = fsPath(vscode.Uri.joinPath(uri, '..'));
  if (folder?.uri.scheme === 'file') return packageRoot(nodeFileSystem, dir, fsPath(folder.uri));
  return dir;
}

/** The package's scoring settings; an agent run's package is held to the run's own minimum (see runMinimumFor). */
export async function loadConfigFor(root: string, scope?: vscode.Uri): Promise<HandoffConfig> {
  const folder = scope && vscode.workspace.getWorkspaceFolder(scope);
  const runMinimum = folder?.uri.scheme === 'file' ? await runMinimumFor(nodeFileSystem, fsPath(folder.uri), root) : undefined;
  return loadHandoffConfig(nodeFileSystem, root, { ...handoffSettingOverrides(scope), ...(runMinimum !== undefined ? { minScore: runMinimum } : {}) });
}

/** The folder to act in: the only one, or the one the user picks. */
export async function pickFolder(purpose: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!folders.length) {
    void vscode.window.showWarningMessage(`llmgenie: Open a folder to ${purpose}.`);
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: `Which folder do you want to ${purpose} in?` });
}
