import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { COMMIT_GUIDE, ignoresLlmgenieState, withLlmgenieIgnores } from '../../core/onboarding/gitignore';
import type { ExtensionServices } from '../services';

export const IGNORE_STATE = 'llmgenie.setup.ignoreState';
const OFFERED_KEY = 'llmgenie.gitignore.offered';
export const GITIGNORE_OFFER = 'This machine’s state is in .llmgenie/ (session logs, exports, caches, routing feedback). Add it to .gitignore? The team’s files stay tracked.';
/** After activation, so the first check never competes with the editor starting up. */
const FIRST_CHECK_MS = 4000;

/**
 * Session logs and exports should not show up as untracked changes: once per workspace, when `.llmgenie/` exists
 * in a git repository whose `.gitignore` does not deal with it, offer to add the state (not the shared files).
 */
export function registerGitignoreOffer(services: ExtensionServices): void {
  services.command(IGNORE_STATE, () => ignoreCommand(services));
  let pending: ReturnType<typeof setTimeout> | undefined;
  const soon = (ms: number): void => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => void offer(services).catch((e) => services.log.warn(`gitignore offer: ${(e as Error).message}`)), ms);
  };
  services.track({ dispose: () => pending && clearTimeout(pending) });
  const watcher = services.track(vscode.workspace.createFileSystemWatcher('**/.llmgenie/**', false, true, true));
  services.track(watcher.onDidCreate(() => !offered(services) && soon(1500)));
  soon(FIRST_CHECK_MS);
}

const offered = (services: ExtensionServices): boolean => services.context.workspaceState.get(OFFERED_KEY) === true;

/** Folders whose `.llmgenie/` state git would show as untracked. */
async function foldersToIgnore(): Promise<string[]> {
  const out: string[] = [];
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme !== 'file') continue;
    const root = f.uri.fsPath.replace(/\\/g, '/').replace(/\/+$/, '');
    if (!(await nodeFileSystem.stat(`${root}/.git`)) || (await nodeFileSystem.stat(`${root}/.llmgenie`))?.kind !== 'directory') continue;
    if (!ignoresLlmgenieState(await readOr(`${root}/.gitignore`))) out.push(root);
  }
  return out;
}

async function offer(services: ExtensionServices): Promise<void> {
  if (offered(services) || !vscode.workspace.isTrusted) return;
  const roots = await foldersToIgnore();
  if (!roots.length || offered(services)) return;
  await services.context.workspaceState.update(OFFERED_KEY, true);
  const pick = await vscode.window.showInformationMessage(`llmgenie: ${GITIGNORE_OFFER}`, 'Add to .gitignore', 'What Is Committed?');
  if (pick === 'Add to .gitignore') await write(services, roots);
  else if (pick === 'What Is Committed?') {
    const more = await vscode.window.showInformationMessage('What llmgenie files to commit', { modal: true, detail: COMMIT_GUIDE }, 'Add to .gitignore');
    if (more) await write(services, roots);
  }
}

async function ignoreCommand(services: ExtensionServices): Promise<void> {
  if (!services.isTrustedFor('Editing .gitignore')) return;
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath.replace(/\\/g, '/').replace(/\/+$/, ''));
  if (!roots.length) {
    void vscode.window.showWarningMessage('llmgenie: Open a folder to add its .gitignore entries.');
    return;
  }
  const todo: string[] = [];
  for (const r of roots) if (!ignoresLlmgenieState(await readOr(`${r}/.gitignore`))) todo.push(r);
  if (!todo.length) {
    void vscode.window.showInformationMessage('llmgenie: .gitignore already deals with .llmgenie/.');
    return;
  }
  await write(services, todo);
}

async function write(services: ExtensionServices, roots: string[]): Promise<void> {
  for (const root of roots) {
    const file = `${root}/.gitignore`;
    await nodeFileSystem.writeText(file, withLlmgenieIgnores(await readOr(file)));
    services.log.info(`gitignore: added the .llmgenie/ state block to ${file}`);
  }
  const pick = await vscode.window.showInformationMessage(`llmgenie: .gitignore now leaves out the .llmgenie/ state. ${COMMIT_GUIDE}`, 'Open .gitignore');
  if (pick) await vscode.window.showTextDocument(vscode.Uri.file(`${roots[0]}/.gitignore`), { preview: false });
}

async function readOr(file: string): Promise<string> {
  try {
    return await nodeFileSystem.readText(file);
  } catch {
    return '';
  }
}
