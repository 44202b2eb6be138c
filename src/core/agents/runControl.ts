// Cancel and clean agent runs from outside the process that runs them (CLI, MCP, another editor window). Both work
// from the run's own files only: the owner file says who runs it, the manifest says which worktrees are its.
import type { FileSystem } from '../platform/fileSystem';
import { EmbeddedBus } from './bus/embeddedBus';
import type { AgentGit } from './git';
import { listRunIds, runPaths } from './layout';
import { readRunOwner, readRunStatus } from './runStatus';
import { WorktreeManifest, readManifest } from './worktrees';

export interface CancelResult {
  run: string;
  /** `signalled`: the running process was told and stopped; `marked`: nobody ran it, the journal now says cancelled. */
  outcome: 'signalled' | 'marked' | 'already-ended' | 'timeout';
  detail: string;
}

/**
 * Cancels a run. A live run is signalled through its cancel flag (its orchestrator polls for it, stops every step
 * within a second and writes `cancelled`); this waits for the owner file to go, up to `waitMs`. A run whose process
 * is gone is marked cancelled in its journal, so `resume` leaves it alone.
 */
export async function cancelRun(fs: FileSystem, root: string, run: string, o: { waitMs?: number } = {}): Promise<CancelResult> {
  const status = await readRunStatus(fs, root, run);
  if (status.status === 'finished' || status.status === 'cancelled') return { run, outcome: 'already-ended', detail: `run ${run} already ${status.status}` };
  const paths = runPaths(root, run);
  const owner = await readRunOwner(fs, root, run);
  if (owner && owner.alive !== false) {
    await fs.writeText(paths.cancelFlag, `${new Date().toISOString()}\n`);
    const until = Date.now() + (o.waitMs ?? 5000);
    while (Date.now() < until) {
      if (!(await fs.stat(paths.owner))) return { run, outcome: 'signalled', detail: `run ${run} cancelled (process ${owner.pid} on ${owner.host} stopped it)` };
      await new Promise((r) => setTimeout(r, 50));
    }
    return { run, outcome: 'timeout', detail: `asked process ${owner.pid} on ${owner.host} to cancel run ${run}; it has not stopped yet` };
  }
  const bus = new EmbeddedBus({ fs, journalPath: (r) => runPaths(root, r).journal });
  try {
    await bus.publish({ topic: 'run', key: { run, step: 'cancelled', attempt: 1 }, payload: { kind: 'cancelled', by: 'cancel' } });
  } finally {
    await bus.close();
  }
  return { run, outcome: 'marked', detail: `run ${run} was not running (interrupted); marked cancelled` };
}

export interface CleanedWorktree {
  run: string;
  slug: string;
  path: string;
  removed: boolean;
  reason?: string;
}

export class RunBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunBusyError';
  }
}

/**
 * Removes the worktrees of one run (or of every run that is not running) that have no uncommitted work, from the
 * manifest only: a folder the manifest does not list is never touched, branches are kept (they are the result),
 * and a worktree with changes stays, with the files named.
 */
export async function cleanRuns(fs: FileSystem, git: AgentGit, root: string, run?: string): Promise<CleanedWorktree[]> {
  const ids = run ? [run] : await listRunIds(fs, root);
  const out: CleanedWorktree[] = [];
  for (const id of ids) {
    if (!(await readManifest(fs, root, id))) {
      if (run) throw new RunBusyError(`run ${id} has no worktree manifest; nothing to clean`);
      continue;
    }
    const owner = await readRunOwner(fs, root, id);
    if (owner && owner.alive !== false) {
      if (run) throw new RunBusyError(`run ${id} is running (process ${owner.pid} on ${owner.host}); cancel it first`);
      continue;
    }
    const manifest = await WorktreeManifest.open(fs, git, root, id);
    for (const r of await manifest.clean()) out.push({ run: id, ...r });
  }
  return out;
}

export function formatCleaned(list: readonly CleanedWorktree[]): string {
  if (!list.length) return 'no agent worktrees to clean\n';
  return `${list.map((c) => `${c.removed ? 'removed' : 'kept   '}  ${c.path}${c.reason ? `  (${c.reason})` : ''}`).join('\n')}\n`;
}
