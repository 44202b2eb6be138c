import { z } from 'zod';
import type { BusMessage } from './bus/bus';
import type { StepRole } from './stepContext';

/** A step's key in the bus: `<slug>/<role>/<round>`; its request and its result share it. */
export function stepKey(slug: string, role: StepRole, round: number): string {
  return `${slug}/${role}/${round}`;
}

export const BRANCH_STATUSES = ['queued', 'running', 'approved', 'changes-requested', 'stopped', 'failed', 'cancelled'] as const;
export type BranchStatus = (typeof BRANCH_STATUSES)[number];

export const StepSummarySchema = z.object({
  role: z.string(),
  round: z.number().int(),
  status: z.enum(['running', 'done', 'failed', 'stopped']),
  reason: z.string().optional(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.number(),
  ms: z.number(),
  head: z.string().optional(),
});
export type StepSummary = z.infer<typeof StepSummarySchema>;

export const BranchSummarySchema = z.object({
  slug: z.string(),
  task: z.string(),
  branch: z.string(),
  worktree: z.string(),
  base: z.string(),
  head: z.string(),
  status: z.enum(BRANCH_STATUSES),
  reason: z.string().optional(),
  steps: z.array(StepSummarySchema),
  handoff: z.object({ package: z.string(), score: z.number(), passed: z.boolean(), minScore: z.number() }).optional(),
  verdict: z.object({ verdict: z.enum(['approve', 'request_changes']), findings: z.number().int(), summary: z.string(), round: z.number().int() }).optional(),
  tokens: z.number(),
  costUsd: z.number(),
  ms: z.number(),
});
export type BranchSummary = z.infer<typeof BranchSummarySchema>;

export const RUN_STATUSES = ['running', 'finished', 'cancelled', 'interrupted'] as const;
export const RunSummarySchema = z.object({
  v: z.literal(1),
  run: z.string(),
  started: z.string(),
  updated: z.string(),
  engine: z.string(),
  status: z.enum(RUN_STATUSES),
  parallel: z.number().int(),
  branches: z.array(BranchSummarySchema),
  messages: z.number().int(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

const TERMINAL: ReadonlySet<BranchStatus> = new Set(['approved', 'changes-requested', 'stopped', 'failed', 'cancelled']);
export const isTerminal = (s: BranchStatus): boolean => TERMINAL.has(s);

export interface NextStep {
  role: StepRole;
  round: number;
}

/** What follows a step's result, or the branch's final status. Pure, so resume and the live run agree. */
export function nextAfter(role: StepRole, round: number, status: 'done' | 'failed' | 'stopped', output: unknown, maxReviewRounds: number): NextStep | BranchStatus {
  if (status !== 'done') return status === 'stopped' && (output as { cancelled?: boolean } | undefined)?.cancelled ? 'cancelled' : status;
  if (role === 'coder') return { role: 'policy', round };
  if (role === 'policy') return { role: 'librarian', round };
  if (role === 'librarian') return { role: 'reviewer', round };
  const verdict = (output as { verdict?: string } | undefined)?.verdict;
  if (verdict === 'approve') return 'approved';
  return round < maxReviewRounds ? { role: 'coder', round: round + 1 } : 'changes-requested';
}

/**
 * The run as its journal tells it: branches, their steps, package scores, verdicts, tokens and cost. The CLI
 * status, the Sessions tree and MCP all read this, whatever bus engine carried the messages.
 */
export function summarizeRun(history: readonly BusMessage[], now: Date, maxReviewRounds: number): RunSummary {
  const first = history[0];
  const started = first?.payload as { kind?: string; parallel?: number; engine?: string } | undefined;
  const branches = new Map<string, BranchSummary>();
  let status: RunSummary['status'] = 'running';
  for (const m of history) {
    if (m.topic === 'run') {
      const p = m.payload as Record<string, unknown>;
      if (p.kind === 'branch') {
        branches.set(String(p.slug), {
          slug: String(p.slug),
          task: String(p.task),
          branch: String(p.branch),
          worktree: String(p.path),
          base: String(p.base),
          head: String(p.base),
          status: 'queued',
          steps: [],
          tokens: 0,
          costUsd: 0,
          ms: 0,
        });
      } else if (p.kind === 'finished') status = 'finished';
      else if (p.kind === 'cancelled') status = 'cancelled';
      continue;
    }
    const p = m.payload as { branch: string; role: string; round: number };
    const b = branches.get(p.branch);
    if (!b) continue;
    if (m.topic === 'step') {
      if (!b.steps.some((s) => s.role === p.role && s.round === p.round)) b.steps.push({ role: p.role, round: p.round, status: 'running', tokensIn: 0, tokensOut: 0, costUsd: 0, ms: 0 });
      if (!isTerminal(b.status)) b.status = 'running';
      continue;
    }
    const r = m.payload as BusMessage<'result'>['payload'];
    const step = b.steps.find((s) => s.role === r.role && s.round === r.round);
    const u = r.usage ?? { tokensIn: 0, tokensOut: 0, costUsd: 0, ms: 0 };
    const done: StepSummary = { role: r.role, round: r.round, status: r.status, ...(r.reason ? { reason: r.reason } : {}), tokensIn: u.tokensIn, tokensOut: u.tokensOut, costUsd: u.costUsd, ms: u.ms, ...(r.head ? { head: r.head } : {}) };
    if (step) Object.assign(step, done);
    else b.steps.push(done);
    if (r.head) b.head = r.head;
    b.tokens += u.tokensIn + u.tokensOut;
    b.costUsd = Math.round((b.costUsd + u.costUsd) * 1e6) / 1e6;
    b.ms += u.ms;
    const out = r.output as Record<string, unknown> | undefined;
    if (r.role === 'librarian' && out && typeof out.package === 'string')
      b.handoff = { package: out.package, score: Number(out.score), passed: out.passed === true, minScore: Number(out.minScore) };
    if (r.role === 'reviewer' && out && (out.verdict === 'approve' || out.verdict === 'request_changes'))
      b.verdict = { verdict: out.verdict, findings: Array.isArray(out.findings) ? out.findings.length : 0, summary: String(out.summary ?? ''), round: r.round };
    const next = nextAfter(r.role as StepRole, r.round, r.status, r.output, maxReviewRounds);
    if (typeof next === 'string') {
      b.status = r.reason === 'cancelled' ? 'cancelled' : next;
      if (r.reason) b.reason = r.reason;
      else if (next === 'changes-requested') {
        const gate = (out?.gate ?? undefined) as { command?: string; status?: string } | undefined;
        b.reason = gate
          ? `the check command \`${gate.command}\` still ${gate.status === 'timeout' ? 'timed out' : 'failed'} after ${maxReviewRounds} round(s), so the branch is not approved`
          : `the reviewer still requested changes after ${maxReviewRounds} round(s)`;
      }
    }
  }
  if (status === 'cancelled') for (const b of branches.values()) if (!isTerminal(b.status)) b.status = 'cancelled';
  return {
    v: 1,
    run: first?.key.run ?? '',
    started: first?.time ?? now.toISOString(),
    updated: history.at(-1)?.time ?? now.toISOString(),
    engine: started?.engine ?? 'embedded',
    status,
    parallel: started?.parallel ?? 1,
    branches: [...branches.values()],
    messages: history.length,
  };
}
