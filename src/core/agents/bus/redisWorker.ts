// A team worker: serves the steps of any run on a Redis bus for the roles it was started with, in its own clone.
// Per step: lease it, skip it when its result is already on the bus (a redelivery after a crash), fetch the base
// commit, run the step in a worktree, push the branch, publish the result, and only then acknowledge the step.
// Heartbeats keep the leases of running steps alive and say in Redis who is working on what; a worker that dies
// stops heartbeating, its leases run out and another worker claims the steps (XAUTOCLAIM in consume).
import { z } from 'zod';
import { BusError, type BusMessage, type Delivery, type TopicPayload } from './bus';
import type { RedisBus } from './redisBus';
import { replyMap, type RedisConnection } from './redisConnection';
import type { StepCheckout, WorkerGit } from './redisWorkerGit';

/**
 * What a worker on another machine knows of a step, read from the run's history (the orchestrator's records):
 * the task and git branch from the run's `branch` record, the commit to start from (the branch's latest recorded
 * head, else the run's base), and the latest output of each role on the branch.
 */
export interface TeamStepContext {
  readonly slug: string;
  readonly task: string;
  /** The git branch, `llmgenie/<run>/<slug>`. */
  readonly branch: string;
  readonly base: string;
  readonly previous: Readonly<Record<string, unknown>>;
  /** One line per earlier step of the branch ("coder round 1: done"), for the librarian. */
  readonly log: readonly string[];
}

const BranchRecordSchema = z.looseObject({ kind: z.literal('branch'), slug: z.string(), task: z.string().min(1), branch: z.string(), base: z.string().regex(/^[0-9a-f]{7,64}$/) });

export async function teamStepContext(bus: RedisBus, m: BusMessage<'step'>): Promise<TeamStepContext | { error: string }> {
  const history = await bus.history(m.key.run);
  const slug = m.payload.branch;
  const record = history.map((h) => (h.topic === 'run' ? BranchRecordSchema.safeParse(h.payload) : undefined)).find((r) => r?.success && r.data.slug === slug);
  if (!record?.success) return { error: `run ${m.key.run} has no branch record for "${slug}" (task, branch and base commit)` };
  let base = record.data.base;
  const previous: Record<string, unknown> = {};
  const log: string[] = [];
  for (const h of history) {
    if (h.topic !== 'result' || h.seq > m.seq || (h.payload as { branch: string }).branch !== slug) continue;
    const r = h.payload as TopicPayload<'result'>;
    if (r.head) base = r.head;
    if (r.status === 'done') previous[r.role] = r.output;
    log.push(`${r.role} round ${r.round}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
  }
  return { slug, task: record.data.task, branch: record.data.branch, base, previous, log };
}

export interface StepWork {
  readonly message: BusMessage<'step'>;
  readonly context: TeamStepContext;
  readonly checkout: StepCheckout;
  readonly deliveryCount: number;
  /** Aborted when the worker stops or loses the step's lease: stop at once, the step will run elsewhere. */
  readonly signal: AbortSignal;
}

export interface StepExecution {
  status: 'done' | 'failed' | 'stopped';
  reason?: string;
  output?: unknown;
  usage?: { tokensIn: number; tokensOut: number; costUsd: number; ms: number };
}

/** Runs one step in its checkout (commits there when it changes code). The agents' role steps plug in here. */
export type StepExecutor = (work: StepWork) => Promise<StepExecution>;

export const WorkerRecordSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  roles: z.array(z.string()),
  concurrency: z.number(),
  startedAt: z.number(),
  beatAt: z.number(),
  heartbeatMs: z.number(),
  steps: z.array(z.object({ run: z.string(), step: z.string(), attempt: z.number(), role: z.string(), branch: z.string(), deliveryCount: z.number(), leaseExpiresAt: z.number() })),
});
export type WorkerRecord = z.infer<typeof WorkerRecordSchema>;

export interface TeamWorkerOptions {
  readonly bus: RedisBus;
  /** A second connection for the blocking doorbell read (a blocked connection cannot heartbeat). */
  readonly doorbell: RedisConnection;
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly roles: readonly string[];
  readonly concurrency: number;
  /** The worker's own clone of the team repository. */
  readonly clone: string;
  readonly git: WorkerGit;
  readonly execute: StepExecutor;
  /** Default: a third of the bus lease. */
  readonly heartbeatMs?: number;
  /** Longest wait on the doorbell before the runs are scanned again (for leases that ran out). */
  readonly idleMs?: number;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

interface Active {
  delivery: Delivery<'step'>;
  abort: AbortController;
  why?: 'stopping' | 'lease lost';
  done: Promise<void>;
}

export const workerKey = (bus: RedisBus) => bus.key('workers');
const label = (m: BusMessage<'step'>) => `${m.key.run} ${m.payload.branch} ${m.payload.role} (step ${m.key.step}, attempt ${m.key.attempt})`;

/** Serves until `signal` aborts; then running steps are handed back to the bus (requeued) and it returns. */
export async function runTeamWorker(o: TeamWorkerOptions): Promise<{ done: number; skipped: number; requeued: number }> {
  const { bus, log } = o;
  const active = new Map<string, Active>();
  const counts = { done: 0, skipped: 0, requeued: 0 };
  const startedAt = Date.now();
  const heartbeatMs = o.heartbeatMs ?? Math.max(100, Math.floor(bus.leaseMs / 3));
  const writeRecord = async () => {
    const record: WorkerRecord = {
      id: o.id,
      host: o.host,
      pid: o.pid,
      roles: [...o.roles],
      concurrency: o.concurrency,
      startedAt,
      beatAt: Date.now(),
      heartbeatMs,
      steps: [...active.values()].map(({ delivery: d }) => ({
        run: d.message.key.run,
        step: d.message.key.step,
        attempt: d.message.key.attempt,
        role: d.message.payload.role,
        branch: d.message.payload.branch,
        deliveryCount: d.deliveryCount,
        leaseExpiresAt: d.leaseExpiresAt,
      })),
    };
    await bus.connection.command(['HSET', workerKey(bus), o.id, JSON.stringify(record)]);
  };
  const beat = async () => {
    for (const a of active.values()) {
      if (a.why) continue;
      try {
        a.delivery = await bus.extend(a.delivery);
      } catch (e) {
        if (e instanceof BusError && e.reason === 'unknown-message') {
          a.why = 'lease lost';
          a.abort.abort();
          log(`${label(a.delivery.message)}: lease lost to another worker; stopping this copy`);
        }
      }
    }
    await writeRecord().catch(() => undefined);
  };
  const timer = setInterval(() => void beat(), heartbeatMs);

  const handle = async (a: Active): Promise<void> => {
    const m = a.delivery.message;
    const p = m.payload;
    try {
      if (await bus.wasPublished('result', m.key)) {
        await bus.ack(a.delivery);
        counts.skipped++;
        log(`${label(m)}: its result is already on the bus (delivery ${a.delivery.deliveryCount}); acknowledged without redoing it`);
        return;
      }
      const context = await teamStepContext(bus, m);
      if ('error' in context) {
        await bus.nack(a.delivery, { reason: context.error, requeue: false });
        log(`${label(m)}: dead-lettered: ${context.error}`);
        return;
      }
      log(`${label(m)}: started (delivery ${a.delivery.deliveryCount})`);
      const prepared = bus.key('run', m.key.run, 'prepared');
      const field = `${m.key.step}/${m.key.attempt}`;
      // A copy that died after pushing but before publishing left its result here: publish that, do not redo.
      const earlier = await bus.connection.command(['HGET', prepared, field]);
      let result: TopicPayload<'result'> | undefined;
      if (typeof earlier === 'string') {
        const r = JSON.parse(earlier) as TopicPayload<'result'>;
        if (!r.head || r.head === context.base || (await o.git.remoteHead(o.clone, context.branch)) === r.head) result = r;
      }
      if (!result) {
        const checkout = await o.git.checkout(o.clone, m.key.run, context.branch, context.base);
        const exec = await o.execute({ message: m, context, checkout, deliveryCount: a.delivery.deliveryCount, signal: a.abort.signal });
        if (a.abort.signal.aborted) throw new BusError('cancelled', a.why ?? 'stopping');
        const head = await o.git.head(checkout.path);
        const commits = await o.git.commitsSince(checkout.path, context.base, head);
        result = { branch: p.branch, role: p.role, round: p.round, status: exec.status, head, ...(exec.reason ? { reason: exec.reason } : {}), ...(exec.output !== undefined ? { output: exec.output } : {}), ...(exec.usage ? { usage: exec.usage } : {}), worker: o.id, base: context.base, commits };
        await bus.connection.command(['HSET', prepared, field, JSON.stringify(result)]);
        if (head !== context.base) await o.git.push(o.clone, context.branch, head);
      }
      await bus.publish({ topic: 'result', key: m.key, payload: result });
      await bus.ack(a.delivery);
      counts.done++;
      log(`${label(m)}: ${result.status}${result.head ? ` at ${result.head.slice(0, 12)}` : ''}${result.reason ? ` (${result.reason})` : ''}`);
    } catch (e) {
      const why = a.why ?? (o.signal.aborted ? 'stopping' : undefined);
      if (why === 'lease lost') return; // another worker owns the step now
      const reason = why === 'stopping' ? `worker ${o.id} stopped` : `worker ${o.id}: ${String((e as Error)?.message ?? e).split('\n')[0]}`;
      const r = await bus.nack(a.delivery, { reason, requeue: true }).catch(() => 'lost' as const);
      if (r === 'requeued') counts.requeued++;
      log(`${label(m)}: ${why === 'stopping' ? 'handed back' : `failed: ${reason}`} → ${r}`);
    } finally {
      active.delete(m.id);
      await writeRecord().catch(() => undefined);
    }
  };

  const bells = new Map<string, string>();
  const waitForWork = async (ms: number) => {
    const keys = o.roles.map((r) => bus.key('work', r));
    for (const k of keys) if (!bells.has(k)) bells.set(k, await lastEntryId(o.doorbell, k));
    const reply = await o.doorbell.command(['XREAD', 'COUNT', 100, 'BLOCK', ms, 'STREAMS', ...keys, ...keys.map((k) => bells.get(k)!)]);
    if (Array.isArray(reply)) for (const s of reply) if (Array.isArray(s)) {
      const entries = s[1];
      const last = Array.isArray(entries) ? entries[entries.length - 1] : undefined;
      if (Array.isArray(last)) bells.set(String(s[0]), String(last[0]));
    }
  };
  const pause = (ms: number) => new Promise<void>((r) => {
    const t = setTimeout(r, ms);
    o.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
  });

  await writeRecord();
  log(`worker ${o.id} serving ${o.roles.join(', ')} (concurrency ${o.concurrency}) on ${bus.display}`);
  const idleMs = o.idleMs ?? 500;
  try {
    while (!o.signal.aborted) {
      let took = 0;
      try {
        if (active.size < o.concurrency) {
          for (const run of await bus.listRuns()) {
            const free = o.concurrency - active.size;
            if (free <= 0 || o.signal.aborted) break;
            for (const d of await bus.consume({ topic: 'step', run, consumer: o.id, roles: o.roles, max: free })) {
              took++;
              const a: Active = { delivery: d as Delivery<'step'>, abort: new AbortController(), done: Promise.resolve() };
              active.set(d.message.id, a);
              a.done = handle(a);
            }
          }
        }
        if (!took && !o.signal.aborted) {
          if (active.size >= o.concurrency) await Promise.race([...[...active.values()].map((a) => a.done), pause(idleMs)]);
          else await waitForWork(idleMs);
        }
      } catch (e) {
        if (o.signal.aborted) break;
        log(`worker ${o.id}: ${String((e as Error)?.message ?? e).split('\n')[0]}; retrying in a second`);
        await pause(1000);
      }
    }
  } finally {
    clearInterval(timer);
    for (const a of active.values()) {
      a.why ??= 'stopping';
      a.abort.abort();
    }
    await Promise.all([...active.values()].map((a) => a.done));
    await bus.connection.command(['HDEL', workerKey(bus), o.id]).catch(() => undefined);
  }
  return counts;
}

async function lastEntryId(c: RedisConnection, key: string): Promise<string> {
  const r = await c.command(['XREVRANGE', key, '+', '-', 'COUNT', 1]);
  const first = Array.isArray(r) ? r[0] : undefined;
  return Array.isArray(first) ? String(first[0]) : '0-0';
}

/** The workers registered on the bus, with whether each still heartbeats. */
export async function listWorkers(bus: RedisBus, now = Date.now()): Promise<Array<WorkerRecord & { alive: boolean }>> {
  const out: Array<WorkerRecord & { alive: boolean }> = [];
  for (const raw of Object.values(replyMap(await bus.connection.command(['HGETALL', workerKey(bus)])))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    const rec = WorkerRecordSchema.safeParse(parsed);
    // A worker that missed three heartbeats in a row is gone (its leases run out about then too).
    if (rec.success) out.push({ ...rec.data, alive: now - rec.data.beatAt <= 3 * rec.data.heartbeatMs + 100 });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
