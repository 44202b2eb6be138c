import * as vscode from 'vscode';
import { posixPath } from '../core/platform/workspaceFolders';


/** The workspace folders on disk, in the workspace's order, each with its '/'-separated root. */
export function localFolders(): Array<{ folder: vscode.WorkspaceFolder; root: string }> {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((folder) => ({ folder, root: posixPath(folder.uri.fsPath) }));
}

/** The root of the workspace folder on disk holding `uri`; undefined outside every one. */
export function folderRootOf(uri: vscode.Uri): string | undefined {
  const own = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
  return own?.uri.scheme === 'file' ? posixPath(own.uri.fsPath) : undefined;
}
