import * as vscode from 'vscode';
import type { BranchDetail } from '../../core/agents/runDetail';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { nodeGitRunner } from '../../core/platform/git';

/** `llmgenie-agent-rev:/<path>?<json {root, rev}>`: a file as it is in one commit, read-only. */
export const REV_SCHEME = 'llmgenie-agent-rev';
/** `llmgenie-agent-patch:/<branch>.diff?<json {root, base, head}>`: a branch's whole change as one patch. */
export const PATCH_SCHEME = 'llmgenie-agent-patch';

interface RevQuery {
  root: string;
  rev: string;
}
interface PatchQuery {
  root: string;
  base: string;
  head: string;
}

const SHA = /^[0-9a-f]{7,64}$/;

function parseQuery<T>(uri: vscode.Uri, keys: Array<keyof T>): T {
  const q = JSON.parse(uri.query) as T;
  for (const k of keys) if (typeof q[k] !== 'string') throw new Error(`bad ${String(k)} in ${uri.toString()}`);
  return q;
}

/** Serves both schemes from git alone (the worktree may be gone; the commits stay in the repository). */
export function registerBranchDiffDocuments(): vscode.Disposable {
  const rev = vscode.workspace.registerTextDocumentContentProvider(REV_SCHEME, {
    async provideTextDocumentContent(uri) {
      const q = parseQuery<RevQuery>(uri, ['root', 'rev']);
      if (!SHA.test(q.rev)) return '';
      // A file the commit does not have (added on the branch): the base side is empty.
      return nodeGitRunner(['show', `${q.rev}:${uri.path.replace(/^\/+/, '')}`], q.root).catch(() => '');
    },
  });
  const patch = vscode.workspace.registerTextDocumentContentProvider(PATCH_SCHEME, {
    async provideTextDocumentContent(uri) {
      const q = parseQuery<PatchQuery>(uri, ['root', 'base', 'head']);
      if (!SHA.test(q.base) || !SHA.test(q.head)) return '';
      return nodeGitRunner(['diff', '--stat', '--patch', '--no-color', `${q.base}..${q.head}`], q.root);
    },
  });
  return vscode.Disposable.from(rev, patch);
}

const STATUS: Record<string, string> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type changed' };

/**
 * The branch against its base: a pick of the changed files (each opens in the diff editor, the worktree's copy on
 * the right while it exists) with the whole change as one patch first.
 */
export async function openBranchDiff(root: string, b: BranchDetail): Promise<void> {
  if (b.head === b.base) {
    void vscode.window.showInformationMessage(`llmgenie: ${b.branch} has no commits beyond its base yet.`);
    return;
  }
  const raw = await nodeGitRunner(['diff', '--name-status', '-z', '--no-renames', `${b.base}..${b.head}`], root);
  const parts = raw.split('\0').filter(Boolean);
  const files: Array<{ status: string; path: string }> = [];
  for (let i = 0; i + 1 < parts.length; i += 2) files.push({ status: parts[i]!.charAt(0), path: parts[i + 1]! });
  type Item = vscode.QuickPickItem & { path?: string; status?: string };
  const items: Item[] = [
    { label: '$(diff) Whole branch as one patch', description: `${files.length} file(s), ${b.base.slice(0, 8)}..${b.head.slice(0, 8)}` },
    ...files.map((f) => ({ label: f.path, description: STATUS[f.status] ?? f.status, path: f.path, status: f.status })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `${b.branch} vs its base`, placeHolder: 'Open the diff of which file?' });
  if (!pick) return;
  if (!pick.path) {
    const uri = vscode.Uri.from({ scheme: PATCH_SCHEME, path: `/${b.slug}.diff`, query: JSON.stringify({ root, base: b.base, head: b.head }) });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(doc, 'diff'), { preview: true });
    return;
  }
  const left = vscode.Uri.from({ scheme: REV_SCHEME, path: `/${pick.path}`, query: JSON.stringify({ root, rev: b.base }) });
  const inWorktree = `${b.worktree}/${pick.path}`;
  const right =
    pick.status !== 'D' && (await nodeFileSystem.stat(inWorktree)) ? vscode.Uri.file(inWorktree) : vscode.Uri.from({ scheme: REV_SCHEME, path: `/${pick.path}`, query: JSON.stringify({ root, rev: b.head }) });
  await vscode.commands.executeCommand('vscode.diff', left, right, `${pick.path} (${b.branch} vs base)`);
}
