import * as vscode from 'vscode';

// The slice of the built-in git extension's API (extensions/git/src/api/git.d.ts, version 1) llmgenie uses. Not
// every repository field exists on every editor build, so only what is read is declared.

export interface GitRepositoryState {
  readonly HEAD: { readonly name?: string } | undefined;
  readonly workingTreeChanges: readonly unknown[];
  readonly indexChanges: readonly unknown[];
  readonly mergeChanges: readonly unknown[];
  /** Only with `git.untrackedChanges: separate`; otherwise untracked files are in workingTreeChanges. */
  readonly untrackedChanges?: readonly unknown[];
  readonly onDidChange: vscode.Event<void>;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: GitRepositoryState;
  diff(cached?: boolean): Promise<string>;
}

export interface GitApi {
  readonly repositories: readonly GitRepository[];
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  readonly onDidCloseRepository: vscode.Event<GitRepository>;
}

export interface GitExtension {
  readonly enabled: boolean;
  readonly onDidChangeEnablement: vscode.Event<boolean>;
  getAPI(version: 1): GitApi;
}

export type GitActivation = { ok: true; git: GitExtension } | { ok: false; reason: 'missing' } | { ok: false; reason: 'failed'; error: unknown };

/** Activates the built-in git extension (call on first use, never during llmgenie's own activation). */
export async function activateGit(): Promise<GitActivation> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return { ok: false, reason: 'missing' };
  try {
    const git = ext.isActive ? ext.exports : await ext.activate();
    return git ? { ok: true, git } : { ok: false, reason: 'failed', error: new Error('the git extension exported no API') };
  } catch (error) {
    return { ok: false, reason: 'failed', error };
  }
}

/** The git API when git is available and enabled, else undefined. */
export async function gitApi(): Promise<GitApi | undefined> {
  const a = await activateGit();
  return a.ok && a.git.enabled ? a.git.getAPI(1) : undefined;
}
