// What the faces show of agent runs (CLI `agents status`, MCP `agents_status`, the editor's Sessions tree): the
// runs of a workspace and one run's per-branch rows, read from the journals and manifests alone, so a run is
// inspectable from any process, while it runs, after it ended, or after the process that ran it died.
import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { machineName, processAlive } from '../platform/process';
import { EmbeddedBus } from './bus/embeddedBus';
import { listRunIds, runPaths } from './layout';
import { BRANCH_STATUSES, RUN_STATUSES, RunSummarySchema, summarizeRun, type BranchSummary, type RunSummary } from './runState';

/** Who runs a run right now (its `owner.json`, removed when the run's process ends cleanly). */
export interface RunOwnerState {
  pid: number;
  host: string;
  since?: string;
  /** false: the process is gone (on this machine); undefined: another machine, cannot tell. */
  alive?: boolean;
}

const OwnerFileSchema = z.object({ pid: z.number().int(), host: z.string(), since: z.string().optional() });

export async function readRunOwner(fs: FileSystem, root: string, run: string, host = machineName()): Promise<RunOwnerState | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readText(runPaths(root, run).owner));
  } catch {
    return undefined;
  }
  const o = OwnerFileSchema.safeParse(raw);
  if (!o.success) return undefined;
  return { ...o.data, ...(o.data.host === host ? { alive: processAlive(o.data.pid) } : {}) };
}

/** One branch as a row: the columns `agents run` and `agents status` print. */
export const BranchRowSchema = z.object({
  slug: z.string(),
  task: z.string(),
  branch: z.string(),
  worktree: z.string(),
  state: z.enum(BRANCH_STATUSES),
  reason: z.string().optional(),
  /** Completed steps out of those started, and the steps as `coder✓ policy✓ librarian… ` text. */
  stepsDone: z.number().int(),
  stepsStarted: z.number().int(),
  steps: z.string(),
  verdict: z.enum(['approve', 'request_changes']).optional(),
  findings: z.number().int().optional(),
  handoffScore: z.number().optional(),
  handoffPassed: z.boolean().optional(),
  handoffPackage: z.string().optional(),
  /** The minimum the run held the package to (`llmgenie.agents.minScore` or `--min-score`). */
  handoffMinScore: z.number().optional(),
  head: z.string(),
  base: z.string(),
  tokens: z.number(),
  costUsd: z.number(),
  ms: z.number(),
});
export type BranchRow = z.infer<typeof BranchRowSchema>;

/** One run as the faces show it: the journal's summary, who runs it, and a row per branch. */
export const RunStatusSchema = z.object({
  run: z.string(),
  /** `interrupted`: the journal says running but its process is gone (`agents resume RUN` continues it). */
  status: z.enum(RUN_STATUSES),
  engine: z.string(),
  started: z.string(),
  updated: z.string(),
  parallel: z.number().int(),
  messages: z.number().int(),
  unreadableLines: z.number().int(),
  owner: z.object({ pid: z.number().int(), host: z.string(), alive: z.boolean().optional() }).optional(),
  branches: z.array(BranchRowSchema),
  tokens: z.number(),
  costUsd: z.number(),
});
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunListSchema = z.object({
  runs: z.array(RunStatusSchema.pick({ run: true, status: true, engine: true, started: true, updated: true, tokens: true, costUsd: true }).extend({ branches: z.number().int(), approved: z.number().int() })),
});
export type RunList = z.infer<typeof RunListSchema>;

const MARK: Record<string, string> = { done: '✓', failed: '✗', stopped: '■', running: '…' };

export function branchRow(b: BranchSummary): BranchRow {
  const done = b.steps.filter((s) => s.status !== 'running').length;
  return {
    slug: b.slug,
    task: b.task,
    branch: b.branch,
    worktree: b.worktree,
    state: b.status,
    ...(b.reason ? { reason: b.reason } : {}),
    stepsDone: done,
    stepsStarted: b.steps.length,
    steps: b.steps.map((s) => `${s.role}${s.round > 1 ? `#${s.round}` : ''}${MARK[s.status] ?? ''}`).join(' '),
    ...(b.verdict ? { verdict: b.verdict.verdict, findings: b.verdict.findings } : {}),
    ...(b.handoff ? { handoffScore: b.handoff.score, handoffPassed: b.handoff.passed, handoffPackage: b.handoff.package, handoffMinScore: b.handoff.minScore } : {}),
    head: b.head,
    base: b.base,
    tokens: b.tokens,
    costUsd: b.costUsd,
    ms: b.ms,
  };
}

/** The run's state from its summary and owner: a `running` run whose process died is `interrupted`. */
export function runStatusFrom(summary: RunSummary, owner: RunOwnerState | undefined, unreadableLines = 0): RunStatus {
  const live = owner && owner.alive !== false;
  const status = summary.status === 'running' && !live ? 'interrupted' : summary.status;
  const branches = summary.branches.map(branchRow);
  return {
    run: summary.run,
    status,
    engine: summary.engine,
    started: summary.started,
    updated: summary.updated,
    parallel: summary.parallel,
    messages: summary.messages,
    unreadableLines,
    ...(owner ? { owner: { pid: owner.pid, host: owner.host, ...(owner.alive !== undefined ? { alive: owner.alive } : {}) } } : {}),
    branches,
    tokens: branches.reduce((n, b) => n + b.tokens, 0),
    costUsd: Math.round(branches.reduce((n, b) => n + b.costUsd, 0) * 1e6) / 1e6,
  };
}

export class RunNotFoundError extends Error {
  constructor(readonly run: string) {
    super(`no agent run "${run}" in this workspace (see "llmgenie agents status")`);
    this.name = 'RunNotFoundError';
  }
}

/** One run, replayed from its journal (read only: nothing is written). */
export async function readRunStatus(fs: FileSystem, root: string, run: string, o: { maxReviewRounds?: number; now?: Date } = {}): Promise<RunStatus> {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(run)) throw new RunNotFoundError(run);
  const paths = runPaths(root, run);
  if (!(await fs.stat(paths.journal))) {
    // A team run's messages live on the team bus; its driver keeps the latest summary here.
    const summary = await fs.readText(paths.summary).then((t) => RunSummarySchema.safeParse(JSON.parse(t)), () => undefined);
    if (!summary?.success) throw new RunNotFoundError(run);
    return runStatusFrom(summary.data, await readRunOwner(fs, root, run));
  }
  const bus = new EmbeddedBus({ fs, journalPath: (r) => runPaths(root, r).journal });
  try {
    const history = await bus.history(run);
    if (!history.length) throw new RunNotFoundError(run);
    const summary = summarizeRun(history, o.now ?? new Date(), o.maxReviewRounds ?? 2);
    return runStatusFrom(summary, await readRunOwner(fs, root, run), await bus.unreadableLines(run));
  } finally {
    await bus.close();
  }
}

/** Every run of the workspace, newest first. */
export async function listRuns(fs: FileSystem, root: string, o: { maxReviewRounds?: number } = {}): Promise<RunList> {
  const runs: RunList['runs'] = [];
  for (const id of await listRunIds(fs, root)) {
    const s = await readRunStatus(fs, root, id, o).catch(() => undefined);
    if (!s) continue;
    runs.push({ run: s.run, status: s.status, engine: s.engine, started: s.started, updated: s.updated, tokens: s.tokens, costUsd: s.costUsd, branches: s.branches.length, approved: s.branches.filter((b) => b.verdict === 'approve').length });
  }
  return { runs };
}

const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const cost = (usd: number) => (usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`);

/** The run as text: a header line, then per branch its columns and, when it stopped, why. */
export function formatRunStatus(s: RunStatus): string {
  const lines = [`run ${s.run}: ${s.status} (${s.engine} bus, ${s.branches.length} branch${s.branches.length === 1 ? '' : 'es'}, ${s.tokens} tokens, ${cost(s.costUsd)})`];
  const rows = s.branches.map((b) => [
    b.branch,
    b.state,
    `${b.stepsDone}/${b.stepsStarted} ${b.steps}`.trim(),
    b.verdict ?? '-',
    b.handoffScore !== undefined ? `${b.handoffScore}${b.handoffPassed ? '' : ' (below minimum)'}` : '-',
    String(b.tokens),
    cost(b.costUsd),
    secs(b.ms),
  ]);
  const head = ['branch', 'state', 'steps', 'verdict', 'handoff', 'tokens', 'cost', 'time'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `  ${r.map((c, i) => c.padEnd(width[i]!)).join('  ').trimEnd()}`;
  lines.push(fmt(head), ...rows.map(fmt));
  for (const b of s.branches) if (b.reason) lines.push(`  ${b.branch}: ${b.reason}`);
  if (s.status === 'interrupted') lines.push(`  its process is gone: "llmgenie agents resume ${s.run}" continues it`);
  if (s.unreadableLines) lines.push(`  ${s.unreadableLines} journal line(s) could not be read (a write cut off by a crash)`);
  return `${lines.join('\n')}\n`;
}

export function formatRunList(l: RunList): string {
  if (!l.runs.length) return 'no agent runs in this workspace yet (llmgenie agents run "<task>")\n';
  return `${l.runs.map((r) => `${r.run}  ${r.status.padEnd(11)}  ${r.branches} branch(es), ${r.approved} approved  ${r.tokens} tokens  ${cost(r.costUsd)}  ${r.engine}`).join('\n')}\n`;
}
