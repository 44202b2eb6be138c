import type { FileSystem } from '../platform/fileSystem';
import { AGENTS_STATE_DIR } from './layout';
import { readRunStatus } from './runStatus';

const clean = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');

/**
 * The minimum an agent run held a package in one of its worktrees to. A run has its own minimum
 * (`llmgenie.agents.minScore`, 80, or `--min-score`), stricter than the workspace's handoff minimum; a view that
 * scored the run's package against the workspace's would contradict the run ("passed the minimum 80" in the agent
 * tree, "minimum 70" on the ring). Undefined when `packageRoot` is no run's worktree, or its librarian has not
 * scored the package yet.
 */
export async function runMinimumFor(fs: FileSystem, root: string, packageRoot: string): Promise<number | undefined> {
  const prefix = `${clean(root)}/${AGENTS_STATE_DIR}/worktrees/`;
  const dir = clean(packageRoot);
  if (!dir.startsWith(prefix)) return undefined;
  const [run, slug, ...rest] = dir.slice(prefix.length).split('/');
  if (!run || !slug || rest.length) return undefined;
  const status = await readRunStatus(fs, root, run).catch(() => undefined);
  return status?.branches.find((b) => b.slug === slug)?.handoffMinScore;
}
