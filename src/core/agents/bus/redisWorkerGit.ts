// Git for a team worker: no machine needs another's files. A step names the commit it starts from; the worker
// fetches it from the team remote into its own clone, runs the step in a worktree of that clone on the step's
// branch, and pushes the branch back. Everything goes through the shared GitRunner (real git in tests).
import type { GitRunner } from '../../platform/git';
import type { FileSystem } from '../../platform/fileSystem';

export interface StepCheckout {
  /** The worktree the step runs in, on `branch`, at `base`, clean. */
  readonly path: string;
  readonly branch: string;
  readonly base: string;
}

export class WorkerGitError extends Error {}

const IDENTITY = ['-c', 'user.name=llmgenie agents', '-c', 'user.email=agents@llmgenie.invalid'];

/** Branch names a step may push: the agents' own `llmgenie/<run>/<slug>` namespace, nothing else. */
export function isAgentBranch(branch: string): boolean {
  return /^llmgenie\/[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._-]*$/.test(branch) && !branch.includes('..');
}

export interface WorkerGit {
  /** Fetches `base` from the remote when the clone lacks it and checks out a clean worktree for the step. */
  checkout(clone: string, run: string, branch: string, base: string): Promise<StepCheckout>;
  head(path: string): Promise<string>;
  /** Pushes `head` to the branch on the remote (fast-forward only: a step never rewrites what is there). */
  push(clone: string, branch: string, head: string): Promise<void>;
  /** The remote's commit for the branch, or undefined when it has none. */
  remoteHead(clone: string, branch: string): Promise<string | undefined>;
  /** Commits on `head` since `base` (first-parent), for the step's record. */
  commitsSince(path: string, base: string, head: string): Promise<number>;
}

export function createWorkerGit(git: GitRunner, fs: FileSystem, remote = 'origin'): WorkerGit {
  const hasCommit = (cwd: string, sha: string) => git(['cat-file', '-e', `${sha}^{commit}`], cwd).then(() => true, () => false);
  return {
    async checkout(clone, run, branch, base) {
      if (!isAgentBranch(branch)) throw new WorkerGitError(`refusing branch "${branch}": team steps work on llmgenie/<run>/<slug> branches only`);
      if (!/^[0-9a-f]{7,64}$/.test(base)) throw new WorkerGitError(`the step's base "${base}" is not a commit id`);
      if (!(await hasCommit(clone, base))) {
        await git(['fetch', '--quiet', remote, '+refs/heads/*:refs/remotes/origin/*'], clone).catch((e: Error) => {
          throw new WorkerGitError(`cannot fetch from the team remote "${remote}": ${e.message}`);
        });
        if (!(await hasCommit(clone, base))) {
          // Not the tip of any branch: ask for the commit itself (allowed by servers with protocol v2).
          await git(['fetch', '--quiet', remote, base], clone).catch(() => undefined);
        }
        if (!(await hasCommit(clone, base))) throw new WorkerGitError(`the step's base commit ${base.slice(0, 12)} is not on the team remote "${remote}": was it pushed?`);
      }
      const top = (await git(['rev-parse', '--show-toplevel'], clone)).trim();
      const path = `${top}/.llmgenie/team/${run}/${branch.split('/').pop()}`;
      await excludeTeamFolder(git, fs, top);
      const known = (await git(['worktree', 'list', '--porcelain'], top)).split('\n').some((l) => l === `worktree ${path}`);
      if (known) {
        // A worktree from an earlier step of this branch on this machine: back to the step's base, clean.
        await git(['checkout', '--quiet', '--force', '-B', branch, base], path);
        await git(['clean', '-fdq'], path);
      } else {
        await git(['worktree', 'prune'], top).catch(() => undefined);
        await git(['worktree', 'add', '--quiet', '--force', '-B', branch, path, base], top);
      }
      return { path, branch, base };
    },
    head: async (path) => (await git(['rev-parse', 'HEAD'], path)).trim(),
    async push(clone, branch, head) {
      if (!isAgentBranch(branch)) throw new WorkerGitError(`refusing to push "${branch}"`);
      await git([...IDENTITY, 'push', '--quiet', remote, `${head}:refs/heads/${branch}`], clone).catch((e: Error) => {
        throw new WorkerGitError(`cannot push ${branch} to the team remote: ${e.message}`);
      });
    },
    async remoteHead(clone, branch) {
      const out = await git(['ls-remote', remote, `refs/heads/${branch}`], clone).catch(() => '');
      return out.split(/\s+/)[0] || undefined;
    },
    async commitsSince(path, base, head) {
      return Number((await git(['rev-list', '--count', '--first-parent', `${base}..${head}`], path)).trim()) || 0;
    },
  };
}

/** The worker's worktrees live in the clone under .llmgenie/team/, which must never show up as a change. */
async function excludeTeamFolder(git: GitRunner, fs: FileSystem, top: string): Promise<void> {
  const file = (await git(['rev-parse', '--git-path', 'info/exclude'], top)).trim();
  const abs = file.startsWith('/') ? file : `${top}/${file}`;
  const text = await fs.readText(abs).catch(() => '');
  if (!text.split('\n').includes('/.llmgenie/team/')) await fs.appendText(abs, `${text && !text.endsWith('\n') ? '\n' : ''}/.llmgenie/team/\n`);
}
