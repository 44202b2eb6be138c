// Team runs across processes, no mocks: a real redis-server, a bare repository as the team remote, and two
// `llmgenie agents worker` processes, each with its own clone. A run is published the way the orchestrator
// publishes one (run/branch records, one coder step per task) and followed through its results.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentsWorkerCommands } from '../../../src/cli/commands/agentsWorker';
import { runCli } from '../../../src/cli/main';
import type { BusMessage } from '../../../src/core/agents/bus/bus';
import { openRedisBus, type RedisBus } from '../../../src/core/agents/bus/redisBus';
import { workspaceBusId } from '../../../src/core/agents/bus/redisConfig';
import { formatTeamStatus, teamStatus } from '../../../src/core/agents/bus/redisTeamStatus';
import { nodeGitRunner } from '../../../src/core/platform/git';
import { fakeCliIO } from '../../support/cliIO';
import { REDIS_MISSING, findRedisServer, freePort, startRedisServer, type RedisServer } from '../../support/redisServer';

const binary = findRedisServer();
const LEASE_MS = 1200;
const ID = ['-c', 'user.name=lead', '-c', 'user.email=lead@example.invalid'];
const git = (cwd: string, ...args: string[]) => nodeGitRunner([...ID, ...args], cwd).then((s) => s.trim());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Worker {
  id: string;
  child: ChildProcess;
  output: string;
  waitFor(re: RegExp, ms?: number): Promise<void>;
}

function startWorker(clone: string, url: string, id: string, holdMs: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'redisWorkerProcess.ts'), clone, String(holdMs), '--', '--bus', url, '--id', id, '--lease-ms', String(LEASE_MS), '--roles', 'coder'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WORKER_ID: id },
  });
  const w: Worker = {
    id,
    child,
    output: '',
    waitFor: (re, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => (re.test(w.output) ? resolve() : Date.now() - t0 > ms ? reject(new Error(`${id} never printed ${re}:\n${w.output}`)) : setTimeout(tick, 20));
        tick();
      }),
  };
  child.stdout!.on('data', (d: Buffer) => (w.output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (w.output += d.toString()));
  return w;
}

async function stopWorker(w: Worker): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  await exited;
}

describe('Team runs over Redis: worker processes with their own clones (real redis-server, real git)', function () {
  this.timeout(90_000);
  let dir: string;
  let server: RedisServer;
  let remote: string;
  let lead: string;
  let base: string;
  let bus: RedisBus;
  const workers: Worker[] = [];

  before(async function () {
    if (!binary) {
      console.log(`      ${REDIS_MISSING}`);
      this.skip();
    }
    server = await startRedisServer(binary!);
  });
  after(async () => server?.stop());

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmgenie-team-'));
    remote = join(dir, 'team.git');
    lead = join(dir, 'lead');
    await git(dir, 'init', '-q', '--bare', '-b', 'main', remote);
    await git(dir, 'clone', '-q', remote, lead);
    await nodeGitRunner(['checkout', '-q', '-b', 'main'], lead).catch(() => undefined);
    await import('node:fs/promises').then((f) => f.writeFile(join(lead, 'README.md'), '# team repo\n'));
    await git(lead, 'add', '-A');
    await git(lead, 'commit', '-q', '-m', 'initial');
    await git(lead, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
    base = await git(lead, 'rev-parse', 'HEAD');
    for (const name of ['clone-a', 'clone-b']) await git(dir, 'clone', '-q', remote, join(dir, name));
    bus = await openRedisBus({ url: server.url, workspace: workspaceBusId(remote), leaseMs: LEASE_MS });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map(stopWorker));
    await bus.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** What the orchestrator publishes for a run: its start, one branch record per task, each branch's coder step. */
  async function publishRun(run: string, tasks: Record<string, string>): Promise<string[]> {
    await bus.publish({ topic: 'run', key: { run, step: 'started', attempt: 1 }, payload: { kind: 'started', tasks: Object.values(tasks), base } });
    const steps: string[] = [];
    for (const [slug, task] of Object.entries(tasks)) {
      await bus.publish({ topic: 'run', key: { run, step: `branch/${slug}`, attempt: 1 }, payload: { kind: 'branch', slug, task, branch: `llmgenie/${run}/${slug}`, base } });
      steps.push(`${slug}/coder/1`);
      await bus.publish({ topic: 'step', key: { run, step: `${slug}/coder/1`, attempt: 1 }, payload: { branch: slug, role: 'coder', round: 1, input: { roundBase: base } } });
    }
    return steps;
  }

  /** The follower's side: every result, acknowledged after it is kept (the journal it would write). */
  async function follow(run: string, steps: string[], ms = 40_000): Promise<BusMessage<'result'>[]> {
    const journal: BusMessage<'result'>[] = [];
    const t0 = Date.now();
    while (journal.length < steps.length) {
      if (Date.now() - t0 > ms) throw new Error(`run ${run} did not finish: ${journal.length}/${steps.length} results\n${workers.map((w) => w.output).join('\n')}`);
      for (const d of await bus.consume({ topic: 'result', run, consumer: 'lead', waitMs: 200, max: 10 })) {
        journal.push(d.message as BusMessage<'result'>);
        await bus.ack(d);
      }
    }
    return journal;
  }

  async function assertExactlyOnce(run: string, steps: string[], journal: BusMessage<'result'>[]): Promise<void> {
    assert.deepEqual(journal.map((m) => m.key.step).sort(), [...steps].sort(), 'one result per step');
    for (const m of journal) {
      assert.equal(m.payload.status, 'done', JSON.stringify(m.payload));
      const branch = `llmgenie/${run}/${m.payload.branch}`;
      const tip = await git(lead, 'ls-remote', remote, `refs/heads/${branch}`).then((s) => s.split(/\s+/)[0]);
      assert.equal(tip, m.payload.head, `${branch} on the remote is the head the result recorded`);
      await git(lead, 'fetch', '-q', 'origin');
      assert.equal(await git(lead, 'rev-list', '--count', `${base}..origin/${branch}`), '1', `${branch}: the step's work was committed exactly once`);
    }
    // Nothing lost: the follower's journal and Redis agree, and nothing is left over.
    const inRedis = (await bus.history(run)).filter((m) => m.topic === 'result');
    assert.deepEqual(inRedis.map((m) => [m.id, m.key.step, m.payload]), journal.map((m) => [m.id, m.key.step, m.payload]));
    const s = await bus.status(run);
    assert.deepEqual(s.topics.step, { published: steps.length, acked: steps.length, pending: 0, deadLettered: 0 });
    assert.deepEqual(s.topics.result, { published: steps.length, acked: steps.length, pending: 0, deadLettered: 0 });
    assert.equal(s.leases.length, 0);
  }

  it('shares a two-task run between two workers; every step done once, on its branch on the remote', async () => {
    workers.push(startWorker(join(dir, 'clone-a'), server.url, 'worker-a', 600), startWorker(join(dir, 'clone-b'), server.url, 'worker-b', 600));
    await Promise.all(workers.map((w) => w.waitFor(/serving coder/)));
    const run = 'team-share';
    const steps = await publishRun(run, { clamp: 'Add a clamp helper with tests', slugify: 'Add a slugify helper with tests' });
    const journal = await follow(run, steps);
    await assertExactlyOnce(run, steps, journal);
    assert.deepEqual(new Set(journal.map((m) => (m.payload as { worker?: string }).worker)), new Set(['worker-a', 'worker-b']), 'each worker took one step');
    const status = formatTeamStatus(await teamStatus(bus, { run }));
    assert.match(status, /worker-a .* roles coder .* alive/);
    assert.match(status, /run team-share: steps 2 published, 2 done, 0 pending, 0 dead-lettered/);
  });

  it('kill -9 of a worker mid-step: the other claims the step once its lease runs out and finishes it', async () => {
    const a = startWorker(join(dir, 'clone-a'), server.url, 'worker-a', 60_000); // never finishes: killed mid-step
    workers.push(a);
    await a.waitFor(/serving coder/);
    const run = 'team-kill';
    const steps = await publishRun(run, { clamp: 'Add a clamp helper with tests', slugify: 'Add a slugify helper with tests' });
    await a.waitFor(/started \(delivery 1\)/);
    const b = startWorker(join(dir, 'clone-b'), server.url, 'worker-b', 300);
    workers.push(b);
    await b.waitFor(/slugify coder .*done|clamp coder .*done/);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    const journal = await follow(run, steps);
    await assertExactlyOnce(run, steps, journal);
    assert.ok(journal.every((m) => (m.payload as { worker?: string }).worker === 'worker-b'), 'worker-b did both steps: its own, and the one worker-a died holding');
    assert.match(b.output, /started \(delivery 2\)/, 'the claimed step came with its delivery count');
    assert.ok(Date.now() - killedAt >= LEASE_MS - 400, 'claimed only after the lease ran out');
    // The dead worker's record stays, marked gone once it has missed its heartbeats.
    for (let i = 0; i < 40 && !/worker-a .*GONE/.test(formatTeamStatus(await teamStatus(bus, { run }))); i++) await sleep(100);
    assert.match(formatTeamStatus(await teamStatus(bus, { run })), /worker-a .*GONE \(no heartbeat for/);
  });

  it('Redis restarted mid-run: workers reconnect and the run completes', async () => {
    workers.push(startWorker(join(dir, 'clone-a'), server.url, 'worker-a', 1500), startWorker(join(dir, 'clone-b'), server.url, 'worker-b', 1500));
    await Promise.all(workers.map((w) => w.waitFor(/serving coder/)));
    const run = 'team-restart';
    const steps = await publishRun(run, { clamp: 'Add a clamp helper with tests', slugify: 'Add a slugify helper with tests' });
    await Promise.all(workers.map((w) => w.waitFor(/started \(delivery 1\)/)));
    await server.restart();
    const journal = await follow(run, steps);
    await assertExactlyOnce(run, steps, journal);
    for (const w of workers) await w.waitFor(/reconnected to Redis/);
  });

  it('Redis unreachable: the worker says so in one line and exits 2', async () => {
    const port = await freePort();
    const io = fakeCliIO(join(dir, 'clone-a'), { LLMGENIE_REDIS_PASSWORD: 'sekret-password-1' });
    const code = await runCli(['agents', 'worker', '--bus', `redis://127.0.0.1:${port}`], io, createAgentsWorkerCommands({ executor: () => async () => ({ status: 'done' }) }));
    assert.equal(code, 2);
    assert.equal(io.stdout, '');
    assert.match(io.stderr, new RegExp(`^llmgenie agents worker: cannot reach Redis at redis://127\\.0\\.0\\.1:${port} \\(.*\\); is redis-server running there, and is the URL right\\?\\n$`));
    assert.doesNotMatch(io.stderr, /sekret/);
    assert.equal(io.stderr.match(/cannot reach Redis/g)?.length, 1, 'said once, not wrapped in itself');
    await sleep(0);
  });
});
