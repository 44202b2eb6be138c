// What `agents status` shows for a team bus: the workers (alive or gone, what each holds), and per run its
// pending steps, current leases and dead letters with the reason each was given up on.
import type { BusStatus } from './bus';
import type { RedisBus } from './redisBus';
import { listWorkers, type WorkerRecord } from './redisWorker';

export interface TeamStatus {
  readonly bus: string;
  readonly workers: Array<WorkerRecord & { alive: boolean }>;
  readonly runs: BusStatus[];
}

export async function teamStatus(bus: RedisBus, opts: { run?: string; limit?: number } = {}): Promise<TeamStatus> {
  const runs = opts.run ? [opts.run] : await bus.listRuns(opts.limit ?? 20);
  return { bus: bus.display, workers: await listWorkers(bus), runs: await Promise.all(runs.map((r) => bus.status(r))) };
}

const ago = (ms: number) => (ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`);

export function formatTeamStatus(s: TeamStatus, now = Date.now()): string {
  const lines = [`bus: redis ${s.bus}`];
  lines.push(s.workers.length ? `workers (${s.workers.length}):` : 'workers: none registered');
  for (const w of s.workers) {
    const state = w.alive ? `alive, last heartbeat ${ago(now - w.beatAt)} ago` : `GONE (no heartbeat for ${ago(now - w.beatAt)})`;
    lines.push(`  ${w.id}  ${w.host} pid ${w.pid}  roles ${w.roles.join(',')}  concurrency ${w.concurrency}  ${state}`);
    for (const st of w.steps) lines.push(`    running ${st.run} ${st.branch} ${st.role} (step ${st.step}, delivery ${st.deliveryCount})`);
  }
  if (!s.runs.length) lines.push('runs: none with work on the bus');
  for (const r of s.runs) {
    const t = r.topics.step;
    lines.push(`run ${r.run}: steps ${t.published} published, ${t.acked} done, ${t.pending} pending, ${t.deadLettered} dead-lettered`);
    for (const l of r.leases) {
      const left = l.leaseExpiresAt - now;
      lines.push(`  lease ${l.topic} ${l.key.step} held by ${l.consumer} (delivery ${l.deliveryCount}) ${left >= 0 ? `expires in ${ago(left)}` : `EXPIRED ${ago(-left)} ago, will be claimed by the next worker`}`);
    }
    for (const d of r.deadLettered) lines.push(`  dead-lettered ${d.topic} ${d.key.step} after ${d.deliveries} deliveries: ${d.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
