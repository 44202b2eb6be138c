import type { Bus, BusMessage, Delivery } from './bus/bus';
import { runCoderStep, runPolicyStep } from './coderStep';
import { ensureIgnored, makeRunId, runPaths, slugFor } from './layout';
import { runLibrarianStep } from './librarianStep';
import { runReviewerStep } from './reviewerStep';
import { isTerminal, nextAfter, stepKey, summarizeRun, type BranchStatus, type RunSummary } from './runState';
import type { AgentDeps, StepOutcome, StepRole } from './stepContext';
import { WorktreeManifest, type WorktreeEntry } from './worktrees';

export interface RunOwner {
  pid: number;
  host: string;
}

export interface OrchestratorOptions {
  root: string;
  bus: Bus;
  deps: AgentDeps;
  /** Steps running at the same time across the run's branches. */
  parallel: number;
  owner: RunOwner;
  signal?: AbortSignal;
  onProgress?: (summary: RunSummary) => void;
  /** How often the cancel flag file is looked for (another process's `agents cancel`). */
  cancelPollMs?: number;
  /** Lease per step; a step that outlives it is extended while it runs. */
  leaseMs?: number;
  /**
   * false: this process only drives the run (publishes steps, follows results); team workers on the bus run the
   * steps (`llmgenie agents worker`). Default true: the steps run here, `parallel` at a time.
   */
  executeSteps?: boolean;
}

export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}

const STEP_LEASE_MS = 10 * 60_000;

/** Creates the run: its worktrees (one branch per task), its journal, the first coder step of every branch. */
export async function startRun(o: OrchestratorOptions & { tasks: readonly string[]; runId?: string; random?: () => string }): Promise<RunSummary> {
  if (!o.tasks.length) throw new RunError('no task given');
  const run = o.runId ?? makeRunId(o.deps.clock.now(), (o.random ?? (() => Math.random().toString(36).slice(2, 6)))());
  await ensureIgnored(o.deps.fs, o.root);
  const base = await o.deps.git.head(o.root).catch(() => {
    throw new RunError(`${o.root} is not a git repository with a commit; agents work on branches of one`);
  });
  const manifest = await WorktreeManifest.open(o.deps.fs, o.deps.git, o.root, run);
  const key = (step: string) => ({ run, step, attempt: 1 });
  await o.bus.publish({ topic: 'run', key: key('started'), payload: { kind: 'started', tasks: [...o.tasks], parallel: o.parallel, base, engine: o.bus.engine } });
  const taken = new Set<string>();
  for (const task of o.tasks) {
    const slug = slugFor(task, taken);
    taken.add(slug);
    const wt = await manifest.ensure({ slug, task, base, owner: { run, ...o.owner } });
    await o.bus.publish({ topic: 'run', key: key(`branch/${slug}`), payload: { kind: 'branch', slug, task, branch: wt.branch, path: wt.path, base } });
  }
  return drive(o, run, manifest);
}

/**
 * Continues a run from its journal: every worktree must sit at the commit the journal recorded for it (a commit
 * made by a step that never recorded its result is rolled back, since that step runs again); completed steps are
 * never redone, because a step whose result is in the journal is acknowledged without running.
 */
export async function resumeRun(o: OrchestratorOptions & { run: string }): Promise<RunSummary> {
  const history = await o.bus.history(o.run);
  if (!history.length) throw new RunError(`no run "${o.run}" (nothing in its journal)`);
  const summary = summarizeRun(history, o.deps.clock.now(), o.deps.maxReviewRounds);
  if (summary.status !== 'running') return summary;
  const manifest = await WorktreeManifest.open(o.deps.fs, o.deps.git, o.root, o.run);
  for (const b of summary.branches) {
    if (isTerminal(b.status)) continue;
    const entry = manifest.entry(b.slug);
    if (!entry) throw new RunError(`branch ${b.branch} is in the journal but not in the worktree manifest`);
    if (!(await o.deps.fs.stat(entry.path))) throw new RunError(`the worktree of ${b.branch} is gone (${entry.path}); cannot resume it`);
    const head = await o.deps.git.head(entry.path);
    if (head !== b.head) {
      if (!(await o.deps.git.isAncestor(entry.path, b.head, head)))
        throw new RunError(`${b.branch} is at ${head.slice(0, 8)}, but the journal recorded ${b.head.slice(0, 8)}: it was changed outside the run; not resuming`);
      await o.deps.git.resetTo(entry.path, b.head);
    }
    // Edits of the step that was running when the process died: that step runs again from a clean tree.
    await o.deps.git.discardChanges(entry.path);
    if (entry.head !== b.head) await manifest.setHead(b.slug, b.head);
  }
  return drive(o, o.run, manifest);
}

interface BranchState {
  status: BranchStatus;
  head: string;
  previous: Partial<Record<StepRole, unknown>>;
  log: string[];
}

async function drive(o: OrchestratorOptions, run: string, manifest: WorktreeManifest): Promise<RunSummary> {
  const { bus, deps } = o;
  const paths = runPaths(o.root, run);
  const ac = new AbortController();
  const abort = () => ac.abort();
  o.signal?.addEventListener('abort', abort, { once: true });
  if (o.signal?.aborted) ac.abort();
  await deps.fs.writeText(paths.owner, `${JSON.stringify({ ...o.owner, since: deps.clock.now().toISOString() })}\n`);
  const poll = setInterval(() => {
    void deps.fs.stat(paths.cancelFlag).then((s) => s && ac.abort(), () => undefined);
  }, o.cancelPollMs ?? 200);

  const history = await bus.history(run);
  const state = new Map<string, BranchState>();
  const completed = new Set<string>();
  const stepInputs = new Map<string, { roundBase: string }>();
  for (const b of summarizeRun(history, deps.clock.now(), deps.maxReviewRounds).branches) state.set(b.slug, { status: b.status, head: b.head, previous: {}, log: [] });
  for (const m of history) {
    if (m.topic === 'step') stepInputs.set(m.key.step, ((m.payload as { input?: { roundBase: string } }).input ?? { roundBase: '' }));
    if (m.topic === 'result') remember(m as BusMessage<'result'>);
  }

  function remember(m: BusMessage<'result'>): void {
    completed.add(m.key.step);
    const s = state.get(m.payload.branch);
    if (!s) return;
    const p = m.payload;
    if (p.status === 'done') s.previous[p.role as StepRole] = p.output;
    if (p.head) s.head = p.head;
    s.log.push(`${p.role} round ${p.round}: ${p.status}${p.reason ? ` (${p.reason})` : ''}`);
  }

  let writing = Promise.resolve();
  const progress = (): Promise<void> => {
    writing = writing.then(async () => {
      const summary = summarizeRun(await bus.history(run), deps.clock.now(), deps.maxReviewRounds);
      await deps.fs.writeText(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
      o.onProgress?.(summary);
    }).catch(() => undefined);
    return writing;
  };

  const publishStep = async (slug: string, role: StepRole, round: number, roundBase: string): Promise<void> => {
    const key = stepKey(slug, role, round);
    stepInputs.set(key, { roundBase });
    await bus.publish({ topic: 'step', key: { run, step: key, attempt: 1 }, payload: { branch: slug, role, round, input: { roundBase } } });
  };

  /** Whatever comes next for a branch, published idempotently (a crash may have stopped between two messages). */
  const advance = async (slug: string): Promise<void> => {
    const s = state.get(slug)!;
    const results = (await bus.history(run)).filter((m): m is BusMessage<'result'> => m.topic === 'result' && m.payload.branch === slug);
    const last = results.at(-1);
    if (!last) return publishStep(slug, 'coder', 1, s.head);
    const p = last.payload;
    const next = nextAfter(p.role as StepRole, p.round, p.status, p.output, deps.maxReviewRounds);
    if (typeof next === 'string') {
      s.status = p.reason === 'cancelled' ? 'cancelled' : next;
      return;
    }
    s.status = 'running';
    const roundBase = next.role === 'coder' ? (p.head ?? s.head) : (stepInputs.get(last.key.step)?.roundBase ?? s.head);
    await publishStep(slug, next.role, next.round, roundBase);
  };

  for (const [slug, s] of state) if (!isTerminal(s.status)) await advance(slug);
  await progress();

  let inflight = 0;
  const allDone = () => [...state.values()].every((s) => isTerminal(s.status));
  const stopped = () => allDone() || (ac.signal.aborted && inflight === 0);

  const execute = async (d: Delivery<'step'>): Promise<void> => {
    const m = d.message;
    const p = m.payload;
    const role = p.role as StepRole;
    const s = state.get(p.branch);
    const entry = manifest.entry(p.branch);
    if (!s || !entry || completed.has(m.key.step)) return; // done before a crash: acknowledged, not redone
    const outcome = await runStep(deps, role, {
      run,
      task: entry.task,
      worktree: entry,
      round: p.round,
      previous: s.previous,
      roundBase: (p.input as { roundBase?: string } | undefined)?.roundBase || s.head,
      signal: ac.signal,
    }, s.log, entry);
    if (ac.signal.aborted && outcome.status === 'done' && role !== 'policy') Object.assign(outcome, { status: 'stopped', reason: 'cancelled' });
    await manifest.setHead(p.branch, outcome.head);
    const { calls: _c, ...usage } = outcome.usage;
    const published = await bus.publish({
      topic: 'result',
      key: m.key,
      payload: { branch: p.branch, role, round: p.round, status: outcome.status, head: outcome.head, ...(outcome.reason ? { reason: outcome.reason } : {}), ...(outcome.output !== undefined ? { output: outcome.output } : {}), usage },
    });
    remember(published.message);
  };

  const worker = async (n: number): Promise<void> => {
    const consumer = `${o.owner.host}:${o.owner.pid}:worker-${n}`;
    while (!stopped() && !ac.signal.aborted) {
      const got = await bus.consume({ topic: 'step', run, consumer, waitMs: 100, leaseMs: o.leaseMs ?? STEP_LEASE_MS });
      for (const d of got) {
        if (ac.signal.aborted) return; // not started: stays queued in the journal; a cancelled run is not resumed
        inflight++;
        void progress();
        const keepLease = setInterval(() => void bus.extend(d).catch(() => undefined), Math.max(1000, (o.leaseMs ?? STEP_LEASE_MS) / 3));
        try {
          await execute(d);
          await bus.ack(d);
        } finally {
          clearInterval(keepLease);
          inflight--;
        }
      }
    }
  };

  const driver = async (): Promise<void> => {
    for (;;) {
      const got = await bus.consume({ topic: 'result', run, consumer: `${o.owner.host}:${o.owner.pid}:driver`, waitMs: 100, max: 10 });
      for (const d of got) {
        if (!ac.signal.aborted) await advance(d.message.payload.branch);
        else {
          const s = state.get(d.message.payload.branch);
          if (s && !isTerminal(s.status)) s.status = 'cancelled';
        }
        await bus.ack(d);
        await progress();
      }
      if (!got.length && stopped()) return;
    }
  };

  try {
    await Promise.all([driver(), ...Array.from({ length: o.executeSteps === false ? 0 : Math.max(1, o.parallel) }, (_, i) => worker(i + 1))]);
    // Cancelled: some branch did not get to its end (steps stopped mid-way are marked cancelled, so not only !allDone).
    if (ac.signal.aborted && (!allDone() || [...state.values()].some((s) => s.status === 'cancelled'))) await bus.publish({ topic: 'run', key: { run, step: 'cancelled', attempt: 1 }, payload: { kind: 'cancelled' } });
    else await bus.publish({ topic: 'run', key: { run, step: 'finished', attempt: 1 }, payload: { kind: 'finished' } });
  } finally {
    clearInterval(poll);
    o.signal?.removeEventListener('abort', abort);
    await progress();
    await deps.fs.remove(paths.owner).catch(() => undefined);
    await deps.fs.remove(paths.cancelFlag).catch(() => undefined);
  }
  return summarizeRun(await bus.history(run), deps.clock.now(), deps.maxReviewRounds);
}

async function runStep(deps: AgentDeps, role: StepRole, input: Parameters<typeof runCoderStep>[1], log: string[], entry: WorktreeEntry): Promise<StepOutcome> {
  try {
    if (role === 'coder') return await runCoderStep(deps, input);
    if (role === 'policy') return await runPolicyStep(deps, input);
    if (role === 'librarian') return await runLibrarianStep(deps, input, log);
    return await runReviewerStep(deps, input);
  } catch (e) {
    // A git or file error inside a step: the branch stops with the reason, its worktree back at the last commit.
    await deps.git.discardChanges(entry.path).catch(() => undefined);
    const head = await deps.git.head(entry.path).catch(() => input.roundBase);
    return { status: 'failed', reason: `${role} step failed: ${((e as Error).message ?? String(e)).split('\n')[0]}`, head, usage: { tokensIn: 0, tokensOut: 0, costUsd: 0, ms: 0, calls: 0 } };
  }
}
