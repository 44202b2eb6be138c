// The agents' role steps for a team worker (`llmgenie agents worker`): the same coder / policy / librarian /
// reviewer steps the local orchestrator runs, in the worker's checkout of the step's branch. And, for the lead that
// started a team run, bringing the branches the workers pushed back into the run's local worktrees.
import type { GitRunner } from '../platform/git';
import type { StepExecutor } from './bus/redisWorker';
import { runStep } from './orchestrator';
import { STEP_ROLES, type AgentDeps, type StepRole } from './stepContext';
import type { WorktreeManifest } from './worktrees';

/** `depsFor(run, checkoutPath)`: the steps' dependencies for one run (settings and check command of the clone). */
export function teamStepExecutor(depsFor: (run: string, checkout: string) => Promise<AgentDeps>): StepExecutor {
  return async ({ message, context, checkout, signal }) => {
    const role = message.payload.role as StepRole;
    if (!(STEP_ROLES as readonly string[]).includes(role)) return { status: 'failed', reason: `no agent role "${role}"` };
    const deps = await depsFor(message.key.run, checkout.path);
    const roundBase = (message.payload.input as { roundBase?: string } | undefined)?.roundBase || context.base;
    const entry = { slug: context.slug, task: context.task, branch: context.branch, path: checkout.path, base: context.base, head: checkout.base, owner: { run: message.key.run, pid: process.pid, host: 'team' }, removed: false };
    const outcome = await runStep(
      deps,
      role,
      { run: message.key.run, task: context.task, worktree: entry, round: message.payload.round, previous: context.previous as Partial<Record<StepRole, unknown>>, roundBase, signal },
      [...context.log],
      entry,
    );
    const { calls: _calls, ...usage } = outcome.usage;
    return { status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}), ...(outcome.output !== undefined ? { output: outcome.output } : {}), usage };
  };
}

/**
 * After a team run: each branch's commits are on the team remote; the run's local worktree (still at the base)
 * fast-forwards to them, so the user gets the branches locally as with a local run. Returns one line per branch.
 */
export async function syncTeamBranches(git: GitRunner, manifest: WorktreeManifest, remote: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of manifest.entries) {
    if (e.removed) continue;
    try {
      await git(['fetch', '--quiet', remote, `refs/heads/${e.branch}`], e.path);
      await git(['merge', '--quiet', '--ff-only', 'FETCH_HEAD'], e.path);
      const head = (await git(['rev-parse', 'HEAD'], e.path)).trim();
      await manifest.setHead(e.slug, head);
      out.push(`${e.branch}: at ${head.slice(0, 12)} from ${remote}`);
    } catch (err) {
      out.push(`${e.branch}: not brought over from ${remote} (${String((err as Error).message).split('\n')[0]})`);
    }
  }
  return out;
}
