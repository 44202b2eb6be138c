import type { GitRunner } from '../platform/git';
import { parsePorcelainZ } from '../handoff/git';

/** The git operations the agents need, over the shared GitRunner (tests run real git in temp repositories). */
export interface AgentGit {
  head(cwd: string): Promise<string>;
  /** Uncommitted changes (staged, unstaged, untracked), repository-relative. */
  dirtyFiles(cwd: string): Promise<string[]>;
  branchExists(repo: string, branch: string): Promise<boolean>;
  addWorktree(repo: string, path: string, branch: string, base: string, createBranch: boolean): Promise<void>;
  removeWorktree(repo: string, path: string): Promise<void>;
  /** Worktree paths git knows for the repository, with their branch. */
  listWorktrees(repo: string): Promise<Array<{ path: string; branch?: string; head?: string }>>;
  /** Stages everything and commits; returns the new HEAD, or the old one when there was nothing to commit. */
  commitAll(cwd: string, message: string): Promise<{ head: string; committed: boolean }>;
  /** `git diff base..head` (or base..working tree when head is omitted), unified with 3 lines of context. */
  diff(cwd: string, base: string, head?: string): Promise<string>;
  changedFiles(cwd: string, base: string, head: string): Promise<string[]>;
  applyPatch(cwd: string, patchFile: string): Promise<void>;
  isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean>;
  /** Moves an agent's own branch back to a recorded commit (a step that committed but never recorded its result). */
  resetTo(cwd: string, commit: string): Promise<void>;
  /** Throws away uncommitted changes of an agent's own worktree (an unfinished step after a crash or cancel). */
  discardChanges(cwd: string): Promise<void>;
}

const IDENTITY = ['-c', 'user.name=llmgenie agents', '-c', 'user.email=agents@llmgenie.invalid'];

export function createAgentGit(run: GitRunner): AgentGit {
  const hasIdentity = async (cwd: string): Promise<boolean> =>
    (await run(['config', 'user.email'], cwd).then((s) => s.trim(), () => '')) !== '';
  return {
    head: async (cwd) => (await run(['rev-parse', 'HEAD'], cwd)).trim(),
    async dirtyFiles(cwd) {
      const { present, deleted } = parsePorcelainZ(await run(['status', '--porcelain=v1', '-z', '--untracked-files=all'], cwd));
      return [...present, ...deleted].sort();
    },
    branchExists: (repo, branch) => run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], repo).then(() => true, () => false),
    async addWorktree(repo, path, branch, base, createBranch) {
      await run(createBranch ? ['worktree', 'add', '-b', branch, path, base] : ['worktree', 'add', path, branch], repo);
    },
    async removeWorktree(repo, path) {
      await run(['worktree', 'remove', path], repo);
    },
    async listWorktrees(repo) {
      const out = await run(['worktree', 'list', '--porcelain'], repo);
      return out
        .split('\n\n')
        .map((block) => {
          const get = (k: string) => block.split('\n').find((l) => l.startsWith(`${k} `))?.slice(k.length + 1);
          const path = get('worktree');
          const branch = get('branch')?.replace(/^refs\/heads\//, '');
          const head = get('HEAD');
          return path ? { path, ...(branch ? { branch } : {}), ...(head ? { head } : {}) } : undefined;
        })
        .filter((w): w is { path: string; branch?: string; head?: string } => !!w);
    },
    async commitAll(cwd, message) {
      await run(['add', '-A'], cwd);
      const staged = await run(['diff', '--cached', '--name-only'], cwd);
      if (!staged.trim()) return { head: (await run(['rev-parse', 'HEAD'], cwd)).trim(), committed: false };
      const who = (await hasIdentity(cwd)) ? [] : IDENTITY;
      await run([...who, 'commit', '-q', '--no-verify', '-m', message], cwd);
      return { head: (await run(['rev-parse', 'HEAD'], cwd)).trim(), committed: true };
    },
    diff: (cwd, base, head) => run(['diff', '--no-color', '--no-ext-diff', '-U3', head ? `${base}..${head}` : base], cwd),
    async changedFiles(cwd, base, head) {
      return (await run(['diff', '--name-only', '-z', `${base}..${head}`], cwd)).split('\0').filter(Boolean).sort();
    },
    async applyPatch(cwd, patchFile) {
      await run(['apply', '--whitespace=nowarn', '--recount', patchFile], cwd);
    },
    isAncestor: (cwd, a, d) => run(['merge-base', '--is-ancestor', a, d], cwd).then(() => true, () => false),
    async resetTo(cwd, commit) {
      await run(['reset', '-q', '--hard', commit], cwd);
    },
    async discardChanges(cwd) {
      await run(['reset', '-q', '--hard', 'HEAD'], cwd);
      await run(['clean', '-q', '-fd'], cwd);
    },
  };
}
