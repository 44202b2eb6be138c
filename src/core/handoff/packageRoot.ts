import type { FileSystem } from '../platform/fileSystem';

/**
 * The folder a package's listed files are relative to: the nearest git work tree that holds it (a `.git` folder,
 * or the `.git` file of a linked worktree such as an agent branch's), searched from the package's folder up to the
 * workspace folder. An agent's package sits in its worktree under the workspace, so checking its files against the
 * workspace instead would call every file it added "not found". Without a work tree in between: the workspace.
 */
export async function packageRoot(fs: FileSystem, packageDir: string, workspaceRoot: string): Promise<string> {
  const top = workspaceRoot.replace(/\/+$/, '');
  let dir = packageDir.replace(/\/+$/, '');
  if (dir !== top && !dir.startsWith(`${top}/`)) return top;
  while (dir.length > top.length) {
    if (await fs.stat(`${dir}/.git`).catch(() => undefined)) return dir;
    dir = dir.slice(0, dir.lastIndexOf('/'));
  }
  return top;
}
