// The Bus contract and the Redis-specific behaviour, against a real redis-server on a loopback port.
import assert from 'node:assert/strict';
import { openRedisBus, type RedisBus } from '../../../src/core/agents/bus/redisBus';
import { openRedisConnection } from '../../../src/core/agents/bus/redisConnection';
import { BusError } from '../../../src/core/agents/bus/bus';
import { REDIS_MISSING, findRedisServer, freePort, startRedisServer, type RedisServer } from '../../support/redisServer';
import { runBusContract } from './busContract';

const binary = findRedisServer();
let server: Promise<RedisServer> | undefined;
/** One server for the whole file, started on first use; every storage gets its own workspace namespace. */
const sharedServer = (): Promise<RedisServer> => (server ??= startRedisServer(binary!));
let workspaces = 0;
const newWorkspace = () => `contract-${process.pid}-${++workspaces}`;

async function dropWorkspace(url: string, workspace: string): Promise<void> {
  const c = await openRedisConnection({ url });
  let cursor = '0';
  do {
    const [next, keys] = (await c.command(['SCAN', cursor, 'MATCH', `llmgenie:${workspace}:*`, 'COUNT', 1000])) as [string, string[]];
    if (keys.length) await c.command(['DEL', ...keys]);
    cursor = next;
  } while (cursor !== '0');
  await c.close();
}

describe('Redis bus (real redis-server)', function () {
  before(function () {
    if (!binary) {
      console.log(`      ${REDIS_MISSING}`);
      this.skip();
    }
  });
  after(async () => {
    if (server) await (await server).stop();
  });

  runBusContract('redis (Streams, consumer groups, XAUTOCLAIM)', async () => {
    const srv = await sharedServer();
    const workspace = newWorkspace();
    return {
      open: (o) => openRedisBus({ url: srv.url, workspace, ...o }),
      cleanup: () => dropWorkspace(srv.url, workspace),
    };
  });

  describe('Redis specifics', () => {
    let bus: RedisBus | undefined;
    afterEach(async () => {
      await bus?.close();
      bus = undefined;
    });
    const coderStep = (b: RedisBus, run: string, step: string, role = 'coder') =>
      b.publish({ topic: 'step', key: { run, step, attempt: 1 }, payload: { branch: 'clamp', role, round: 1 } });

    it('keeps one stream per run and role: a worker for some roles never leases another role\'s step', async () => {
      const srv = await sharedServer();
      bus = await openRedisBus({ url: srv.url, workspace: newWorkspace() });
      await coderStep(bus, 'r1', 'review', 'reviewer');
      await coderStep(bus, 'r1', 'code', 'coder');
      const coder = await bus.consume({ topic: 'step', run: 'r1', consumer: 'c', roles: ['coder'], max: 5 });
      assert.deepEqual(coder.map((d) => d.message.key.step), ['code']);
      const reviewer = await bus.consume({ topic: 'step', run: 'r1', consumer: 'r', roles: ['reviewer', 'librarian'], max: 5 });
      assert.deepEqual(reviewer.map((d) => d.message.key.step), ['review']);
      assert.deepEqual(await bus.listRuns(), ['r1']);
      await bus.retireRun('r1');
      assert.deepEqual(await bus.listRuns(), []);
    });

    it('dead-letters a step whose lease ran out maxDeliveries times, and says who held it last', async () => {
      const srv = await sharedServer();
      bus = await openRedisBus({ url: srv.url, workspace: newWorkspace(), leaseMs: 30, maxDeliveries: 2 });
      await coderStep(bus, 'r2', 'crashy');
      assert.equal((await bus.consume({ topic: 'step', run: 'r2', consumer: 'w1' })).length, 1);
      const [again] = await bus.consume({ topic: 'step', run: 'r2', consumer: 'w2', waitMs: 1000 });
      assert.equal(again?.deliveryCount, 2);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(await bus.consume({ topic: 'step', run: 'r2', consumer: 'w3' }), []);
      const s = await bus.status('r2');
      assert.equal(s.deadLettered.length, 1);
      assert.equal(s.deadLettered[0]!.deliveries, 2);
      assert.match(s.deadLettered[0]!.reason, /lease expired after 2 deliveries \(last held by w2\)/);
      assert.equal(s.pending, 0);
    });

    it('a late ack from a worker whose lease moved on is a no-op; the new holder acks', async () => {
      const srv = await sharedServer();
      bus = await openRedisBus({ url: srv.url, workspace: newWorkspace(), leaseMs: 30 });
      await coderStep(bus, 'r3', 'slow');
      const [old] = await bus.consume({ topic: 'step', run: 'r3', consumer: 'w1' });
      const [now] = await bus.consume({ topic: 'step', run: 'r3', consumer: 'w2', waitMs: 1000 });
      await bus.ack(old!);
      assert.equal((await bus.status('r3')).topics.step.acked, 0, 'the stale ack did not count');
      await assert.rejects(bus.extend(old!), (e: unknown) => e instanceof BusError && e.reason === 'unknown-message');
      await bus.ack(now!);
      assert.equal((await bus.status('r3')).topics.step.acked, 1);
    });

    it('rides out a Redis restart: calls made while it is down finish once it is back, scripts are reloaded', async () => {
      const srv = await startRedisServer(binary!);
      try {
        const changes: string[] = [];
        bus = await openRedisBus({ url: srv.url, workspace: newWorkspace(), onConnectionChange: (s) => changes.push(s) });
        await coderStep(bus, 'r4', 'before');
        await srv.restart();
        await coderStep(bus, 'r4', 'after');
        const got = await bus.consume({ topic: 'step', run: 'r4', consumer: 'w', max: 5 });
        assert.deepEqual(got.map((d) => [d.message.key.step, d.message.seq]), [['before', 1], ['after', 2]]);
        assert.deepEqual(changes, ['lost', 'back']);
      } finally {
        await bus?.close();
        bus = undefined;
        await srv.stop();
      }
    });

    it('an unreachable Redis is one clear line, with the password masked', async () => {
      const port = await freePort();
      await assert.rejects(
        openRedisBus({ url: `redis://:hunter2-secret@127.0.0.1:${port}`, workspace: 'w', connectTimeoutMs: 1000 }), // llmgenie-allow(400): a test credential
        (e: unknown) => {
          assert.ok(e instanceof BusError && e.reason === 'io');
          assert.match(e.message, new RegExp(`^cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\); is redis-server running there`)); // llmgenie-allow(400): a test credential
          assert.doesNotMatch(e.message, /hunter2/);
          assert.doesNotMatch(e.message, /\n/);
          assert.equal(e.message.match(/cannot reach Redis/g)?.length, 1, 'said once, not wrapped in itself');
          return true;
        },
      );
    });

    it('uses the password from the options (environment / secret storage) and masks a wrong one', async () => {
      const srv = await startRedisServer(binary!, { password: 'team-pass-123' }); // llmgenie-allow(400): a test credential
      try {
        const plain = `redis://127.0.0.1:${srv.port}`;
        bus = await openRedisBus({ url: plain, password: 'team-pass-123', workspace: newWorkspace() }); // llmgenie-allow(400): a test credential
        await coderStep(bus, 'r5', 'a');
        await bus.close();
        bus = undefined;
        await assert.rejects(openRedisBus({ url: `redis://:wrong-pass-456@127.0.0.1:${srv.port}`, workspace: 'w' }), (e: unknown) => { // llmgenie-allow(400): a test credential
          assert.ok(e instanceof BusError);
          assert.doesNotMatch(e.message, /wrong-pass-456/);
          return true;
        });
      } finally {
        await srv.stop();
      }
    });
  });
});
