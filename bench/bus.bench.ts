// The team bus over a real redis-server: throughput and per-message overhead of RedisBus (publish → consume →
// ack, one message at a time), beside a raw @redis/client XADD / XREADGROUP / XACK loop in the same run (goal:
// ≥ 0.8 of raw); the embedded bus is printed as a second baseline. Then the time from a worker's death (kill -9)
// to its step being claimed by another worker (goal: ≤ lease + 1 s).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import type { Bus } from '../src/core/agents/bus/bus';
import { EmbeddedBus } from '../src/core/agents/bus/embeddedBus';
import { openRedisBus } from '../src/core/agents/bus/redisBus';
import { nodeFileSystem } from '../src/core/platform/fileSystem';
import { REDIS_MISSING, findRedisServer, startRedisServer } from '../test/support/redisServer';
import type { Emit } from './run';
import { percentile } from '../src/core/analytics/percentile';

const MESSAGES = 300;
const ROUNDS = 15;
const RATIO_TARGET = 0.8;
const LEASE_MS = 2000;
const CLAIM_SLACK_MS = 1000;
const DEATHS = 3;

/** Raw client, the same shape of work: add one entry, read it through the group, ack it. Messages per second. */
async function rawLoop(url: string, stream: string): Promise<number> {
  const c = createClient({ url });
  await c.connect();
  await c.xGroupCreate(stream, 'g', '0', { MKSTREAM: true });
  const payload = JSON.stringify({ branch: 'clamp', role: 'coder', round: 1, input: { task: 'Add a clamp helper with tests' } });
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    await c.xAdd(stream, '*', { m: payload });
    const r = await c.xReadGroup('g', 'w', { key: stream, id: '>' }, { COUNT: 1 });
    const id = (r as { messages: { id: string }[] }[] | null)?.[0]?.messages[0]?.id;
    if (!id) throw new Error('raw loop lost a message');
    await c.xAck(stream, 'g', id);
  }
  const ms = performance.now() - t0;
  c.destroy();
  return (MESSAGES * 1000) / ms;
}

async function busLoop(bus: Bus, run: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    await bus.publish({ topic: 'step', key: { run, step: `s${i}`, attempt: 1 }, payload: { branch: 'clamp', role: 'coder', round: 1, input: { task: 'Add a clamp helper with tests' } } });
    const [d] = await bus.consume({ topic: 'step', run, consumer: 'w' });
    if (!d) throw new Error('bus loop lost a message');
    await bus.ack(d);
  }
  return (MESSAGES * 1000) / (performance.now() - t0);
}

/**
 * A child process takes a step with RedisBus and keeps its lease alive (extend every lease/3, as a worker's
 * heartbeat does) until it is killed; this process waits for the step with a competing consumer. Returns the ms
 * from SIGKILL to the claim.
 */
async function deathToClaim(url: string, workspace: string, run: string): Promise<number> {
  const bus = await openRedisBus({ url, workspace, leaseMs: LEASE_MS });
  try {
    await bus.publish({ topic: 'step', key: { run, step: 'long', attempt: 1 }, payload: { branch: 'clamp', role: 'coder', round: 1 } });
    const holder = `
      const { openRedisBus } = await import(${JSON.stringify(join(process.cwd(), 'src/core/agents/bus/redisBus.ts'))});
      const bus = await openRedisBus({ url: ${JSON.stringify(url)}, workspace: ${JSON.stringify(workspace)}, leaseMs: ${LEASE_MS} });
      let [d] = await bus.consume({ topic: 'step', run: ${JSON.stringify(run)}, consumer: 'doomed', waitMs: 5000 });
      process.stdout.write('leased\\n');
      setInterval(async () => { d = await bus.extend(d); }, ${Math.round(LEASE_MS / 3)});`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', holder], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('leased') && resolve());
      child.once('exit', () => reject(new Error('the lease holder exited early')));
    });
    // Die at a random point of the heartbeat cycle, as a real crash would.
    await new Promise((r) => setTimeout(r, Math.random() * LEASE_MS));
    const killedAt = performance.now();
    child.kill('SIGKILL');
    const [claimed] = await bus.consume({ topic: 'step', run, consumer: 'survivor', waitMs: LEASE_MS * 3 });
    if (!claimed) throw new Error('nobody claimed the dead worker\'s step');
    await bus.ack(claimed);
    return performance.now() - killedAt;
  } finally {
    await bus.close();
  }
}

export async function run(emit: Emit): Promise<void> {
  const binary = findRedisServer();
  if (!binary) {
    emit({ bench: 'bus', metric: 'skipped', reason: REDIS_MISSING });
    return;
  }
  const server = await startRedisServer(binary);
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-bus-bench-'));
  try {
    // Many short interleaved rounds: the machine's load drifts (it is shared), so each bus round is compared
    // with the raw round right beside it and the median of those ratios is the figure.
    const raws: number[] = [];
    const redis: number[] = [];
    const embedded: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      raws.push(await rawLoop(server.url, `bench:raw:${r}`));
      const bus = await openRedisBus({ url: server.url, workspace: `bench-${r}`, maxBacklog: MESSAGES + 1 });
      redis.push(await busLoop(bus, `bench-${r}`));
      await bus.close();
      const emb = new EmbeddedBus({ fs: nodeFileSystem, journalPath: (run) => join(dir, `${run}.jsonl`), maxBacklog: MESSAGES + 1 });
      embedded.push(await busLoop(emb, `bench-${r}`));
      await emb.close();
    }
    const ratio = percentile(redis.map((x, i) => x / raws[i]!), 50);
    const [raw, bus, emb] = [percentile(raws, 50), percentile(redis, 50), percentile(embedded, 50)];
    emit({ bench: 'bus', metric: 'redis_bus_msgs_per_s', value: Math.round(bus), unit: 'msg/s', raw_client_msgs_per_s: Math.round(raw), embedded_bus_msgs_per_s: Math.round(emb), messages_per_round: MESSAGES, rounds: ROUNDS });
    emit({ bench: 'bus', metric: 'redis_bus_vs_raw_ratio', value: Math.round(ratio * 1000) / 1000, target: RATIO_TARGET, pass: ratio >= RATIO_TARGET, note: 'median of per-round ratios' });
    emit({ bench: 'bus', metric: 'redis_bus_overhead_per_msg_ms', value: Math.round((1000 / bus - 1000 / raw) * 1000) / 1000, unit: 'ms', raw_ms_per_msg: Math.round((1000 / raw) * 1000) / 1000 });
    const claims: number[] = [];
    for (let i = 0; i < DEATHS; i++) claims.push(await deathToClaim(server.url, 'bench-claim', `claim-${i}`));
    claims.sort((a, b) => a - b);
    const worst = claims[claims.length - 1]!;
    emit({ bench: 'bus', metric: 'death_to_claim_ms', value: Math.round(worst), unit: 'ms', runs: claims.map(Math.round), lease_ms: LEASE_MS, target: LEASE_MS + CLAIM_SLACK_MS, pass: worst <= LEASE_MS + CLAIM_SLACK_MS });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
