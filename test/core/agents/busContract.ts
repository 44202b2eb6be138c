import assert from 'node:assert/strict';
import { BusError, BusStatusSchema, type Bus, type BusMessage, type MessageKey } from '../../../src/core/agents/bus/bus';

/**
 * The semantics every Bus engine keeps (see src/core/agents/bus/bus.ts), as one suite each engine runs:
 *
 *   runBusContract('embedded', async () => { … return { open, cleanup }; });
 *
 * `open(options)` returns a bus over the engine's storage for this test; calling it again after closing the
 * previous one must give a bus over the SAME storage (a restart after a crash). `cleanup` removes the storage.
 * Engines must honour `leaseMs`, `maxDeliveries` and `maxBacklog` from the options.
 */
export interface BusContractOptions {
  leaseMs: number;
  maxDeliveries: number;
  maxBacklog: number;
}

export interface BusContractStorage {
  open(options: BusContractOptions): Promise<Bus>;
  cleanup(): Promise<void>;
}

const OPTIONS: BusContractOptions = { leaseMs: 10_000, maxDeliveries: 3, maxBacklog: 1000 };
let runCounter = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runBusContract(name: string, makeStorage: () => Promise<BusContractStorage>): void {
  describe(`Bus contract: ${name}`, function () {
    this.timeout(10_000);
    let storage: BusContractStorage;
    let bus: Bus | undefined;
    let run: string;
    const key = (step: string, attempt = 1): MessageKey => ({ run, step, attempt });
    const open = async (o: Partial<BusContractOptions> = {}): Promise<Bus> => {
      await bus?.close();
      bus = await storage.open({ ...OPTIONS, ...o });
      return bus;
    };
    const step = (b: Bus, s: string, attempt = 1) =>
      b.publish({ topic: 'step', key: key(s, attempt), payload: { branch: 'clamp', role: 'coder', round: 1, input: { s } } });

    beforeEach(async () => {
      storage = await makeStorage();
      run = `contract-${process.pid}-${++runCounter}-${Date.now().toString(36)}`;
    });
    afterEach(async () => {
      await bus?.close();
      bus = undefined;
      await storage.cleanup();
    });

    it('publishes with a gap-free per-run seq and replays the run in publish order across topics', async () => {
      const b = await open();
      const a = await step(b, 'a');
      const r = await b.publish({ topic: 'result', key: key('a'), payload: { branch: 'clamp', role: 'coder', round: 1, status: 'done', head: 'abc' } });
      const c = await b.publish({ topic: 'run', key: key('finished'), payload: { kind: 'finished' } });
      assert.deepEqual([a, r, c].map((x) => x.message.seq), [1, 2, 3]);
      assert.equal(a.duplicate, false);
      const h = await b.history(run);
      assert.deepEqual(h.map((m) => [m.seq, m.topic, m.key.step]), [[1, 'step', 'a'], [2, 'result', 'a'], [3, 'run', 'finished']]);
      assert.deepEqual(h[1]!.payload, { branch: 'clamp', role: 'coder', round: 1, status: 'done', head: 'abc' });
      assert.ok(!Number.isNaN(Date.parse(h[0]!.time)));
    });

    it('keeps runs apart', async () => {
      const b = await open();
      await step(b, 'a');
      const other = `${run}-other`;
      await b.publish({ topic: 'step', key: { run: other, step: 'a', attempt: 1 }, payload: { branch: 'x', role: 'coder', round: 1 } });
      assert.equal((await b.history(other)).length, 1);
      assert.equal((await b.history(run)).length, 1);
      assert.equal((await b.consume({ topic: 'step', run: other, consumer: 'w' })).length, 1);
      assert.equal((await b.status(run)).pending, 1);
    });

    it('is idempotent on (topic, run, step, attempt): a repeat returns the first message and queues nothing', async () => {
      const b = await open();
      const first = await step(b, 'a');
      const again = await step(b, 'a');
      assert.equal(again.duplicate, true);
      assert.equal(again.message.id, first.message.id);
      assert.equal(again.message.seq, first.message.seq);
      const next = await step(b, 'a', 2);
      assert.equal(next.duplicate, false);
      const sameStepOtherTopic = await b.publish({ topic: 'result', key: key('a'), payload: { branch: 'clamp', role: 'coder', round: 1, status: 'done' } });
      assert.equal(sameStepOtherTopic.duplicate, false);
      const got = await b.consume({ topic: 'step', run, consumer: 'w', max: 10 });
      assert.deepEqual(got.map((d) => d.message.key.attempt), [1, 2]);
      assert.equal((await b.history(run)).length, 3);
    });

    it('rejects an invalid message with one clear BusError and writes nothing', async () => {
      const b = await open();
      await assert.rejects(b.publish({ topic: 'nope' as never, key: key('a'), payload: {} as never }), (e: unknown) => e instanceof BusError && e.reason === 'invalid');
      await assert.rejects(b.publish({ topic: 'step', key: { run: 'Bad Run!', step: 'a', attempt: 1 }, payload: { branch: 'b', role: 'coder', round: 1 } }), /run id/);
      await assert.rejects(b.publish({ topic: 'step', key: key('a'), payload: { branch: 'b', role: 'coder', round: 0 } }), /bad step payload: round/);
      assert.equal((await b.history(run)).length, 0);
    });

    it('delivers a topic in seq order to competing consumers, each message to one of them, and never again after ack', async () => {
      const b = await open();
      for (const s of ['a', 'b', 'c', 'd']) await step(b, s);
      const first = await b.consume({ topic: 'step', run, consumer: 'w1', max: 2 });
      const second = await b.consume({ topic: 'step', run, consumer: 'w2', max: 5 });
      assert.deepEqual(first.map((d) => d.message.key.step), ['a', 'b']);
      assert.deepEqual(second.map((d) => d.message.key.step), ['c', 'd']);
      assert.ok(first.every((d) => d.deliveryCount === 1 && d.consumer === 'w1' && d.leaseExpiresAt > Date.now()));
      assert.equal((await b.consume({ topic: 'result', run, consumer: 'w1' })).length, 0, 'topics are separate queues');
      for (const d of [...first, ...second]) await b.ack(d);
      await b.ack(first[0]!); // acking twice is a no-op
      assert.equal((await b.consume({ topic: 'step', run, consumer: 'w3', max: 10 })).length, 0);
      const s = BusStatusSchema.parse(await b.status(run));
      assert.deepEqual(s.topics.step, { published: 4, acked: 4, pending: 0, deadLettered: 0 });
      assert.equal(s.lastSeq, 4);
    });

    it('a waiting consume wakes up when a message is published, and returns [] on timeout', async () => {
      const b = await open();
      const t0 = Date.now();
      assert.deepEqual(await b.consume({ topic: 'step', run, consumer: 'w', waitMs: 80 }), []);
      assert.ok(Date.now() - t0 >= 60);
      const waiting = b.consume({ topic: 'step', run, consumer: 'w', waitMs: 5000 });
      await sleep(30);
      await step(b, 'late');
      const got = await waiting;
      assert.equal(got[0]?.message.key.step, 'late');
    });

    it('redelivers a delivery whose lease expired, with deliveryCount + 1, and reports the lease in status', async () => {
      const b = await open({ leaseMs: 60 });
      await step(b, 'a');
      const [d1] = await b.consume({ topic: 'step', run, consumer: 'w1' });
      const s = await b.status(run);
      assert.equal(s.leases.length, 1);
      assert.equal(s.leases[0]!.consumer, 'w1');
      assert.equal(s.leases[0]!.deliveryCount, 1);
      assert.equal(s.pending, 1);
      assert.deepEqual(await b.consume({ topic: 'step', run, consumer: 'w2' }), [], 'leased, not yet expired');
      const [d2] = await b.consume({ topic: 'step', run, consumer: 'w2', waitMs: 2000 });
      assert.equal(d2!.message.id, d1!.message.id);
      assert.equal(d2!.deliveryCount, 2);
      assert.equal(d2!.consumer, 'w2');
      await b.ack(d2!);
      assert.equal((await b.status(run)).leases.length, 0);
    });

    it('extend keeps the lease of a long step', async () => {
      const b = await open({ leaseMs: 80 });
      await step(b, 'a');
      let [d] = await b.consume({ topic: 'step', run, consumer: 'w1' });
      for (let i = 0; i < 3; i++) {
        await sleep(40);
        d = await b.extend(d!, 80);
      }
      assert.deepEqual(await b.consume({ topic: 'step', run, consumer: 'w2' }), []);
      await b.ack(d!);
    });

    it('nack requeues (counting a delivery) or dead-letters; maxDeliveries dead-letters a poison message', async () => {
      const b = await open({ maxDeliveries: 2 });
      await step(b, 'poison');
      await step(b, 'bad');
      const [p1] = await b.consume({ topic: 'step', run, consumer: 'w' });
      assert.equal(await b.nack(p1!, { reason: 'crashed', requeue: true }), 'requeued');
      const [p2] = await b.consume({ topic: 'step', run, consumer: 'w' });
      assert.equal(p2!.message.key.step, 'poison', 'a requeued message keeps its place');
      assert.equal(p2!.deliveryCount, 2);
      assert.equal(await b.nack(p2!, { reason: 'crashed again', requeue: true }), 'dead-lettered');
      const [q] = await b.consume({ topic: 'step', run, consumer: 'w' });
      assert.equal(q!.message.key.step, 'bad');
      assert.equal(await b.nack(q!, { reason: 'schema', requeue: false }), 'dead-lettered');
      const s = await b.status(run);
      assert.deepEqual(s.deadLettered.map((x) => [x.key.step, x.deliveries, x.reason]), [['poison', 2, 'crashed again'], ['bad', 1, 'schema']]);
      assert.equal(s.pending, 0);
      assert.equal(s.topics.step.deadLettered, 2);
      assert.deepEqual(await b.consume({ topic: 'step', run, consumer: 'w' }), []);
    });

    it('applies back-pressure: publish waits while the topic backlog is full, and an abort rejects it', async () => {
      const b = await open({ maxBacklog: 2 });
      await step(b, 'a');
      await step(b, 'b');
      let third = false;
      const p = step(b, 'c').then((r) => ((third = true), r));
      await sleep(50);
      assert.equal(third, false, 'waits while 2 are unacked');
      await b.publish({ topic: 'result', key: key('a'), payload: { branch: 'x', role: 'coder', round: 1, status: 'done' } });
      const [d] = await b.consume({ topic: 'step', run, consumer: 'w' });
      await b.ack(d!);
      const r = await p;
      assert.equal(r.message.key.step, 'c');
      const ac = new AbortController();
      const blocked = b.publish({ topic: 'step', key: key('d'), payload: { branch: 'x', role: 'coder', round: 1 } }, { signal: ac.signal });
      setTimeout(() => ac.abort(), 30);
      await assert.rejects(blocked, (e: unknown) => e instanceof BusError && e.reason === 'cancelled');
      assert.deepEqual((await b.history(run)).map((m) => m.key.step), ['a', 'b', 'a', 'c']);
    });

    it('survives a restart: acked stays done, unacked comes back with its delivery count, history and idempotency are kept', async () => {
      let b = await open({ leaseMs: 50 });
      await step(b, 'done');
      await step(b, 'inflight');
      await step(b, 'untouched');
      const [d1, d2] = await b.consume({ topic: 'step', run, consumer: 'w', max: 2 });
      await b.publish({ topic: 'result', key: key('done'), payload: { branch: 'x', role: 'coder', round: 1, status: 'done' } });
      await b.ack(d1!);
      void d2; // the process "dies" holding this lease
      b = await open({ leaseMs: 50 });
      assert.deepEqual((await b.history(run)).map((m) => `${m.topic}:${m.key.step}`), ['step:done', 'step:inflight', 'step:untouched', 'result:done']);
      assert.equal((await step(b, 'done')).duplicate, true);
      await sleep(60);
      const got = await b.consume({ topic: 'step', run, consumer: 'w-after-restart', max: 10, waitMs: 1000 });
      assert.deepEqual(got.map((d) => [d.message.key.step, d.deliveryCount]), [['inflight', 2], ['untouched', 1]]);
      const next = await step(b, 'new');
      assert.equal(next.message.seq, 5);
    });

    it('close ends waiting consumers with [] and refuses later calls', async () => {
      const b = await open();
      const waiting = b.consume({ topic: 'step', run, consumer: 'w', waitMs: 5000 });
      await sleep(20);
      await b.close();
      assert.deepEqual(await waiting, []);
      await assert.rejects(step(b, 'x'), (e: unknown) => e instanceof BusError && e.reason === 'closed');
      bus = undefined;
    });

    it('an aborted consume returns []', async () => {
      const b = await open();
      const ac = new AbortController();
      const waiting = b.consume({ topic: 'step', run, consumer: 'w', waitMs: 5000, signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      const t0 = Date.now();
      assert.deepEqual(await waiting, []);
      assert.ok(Date.now() - t0 < 1000);
    });

    it('handles 200 concurrent publishes and consumers without losing or duplicating a message', async () => {
      const b = await open();
      const published = await Promise.all(Array.from({ length: 200 }, (_, i) => step(b, `s${i}`)));
      assert.deepEqual(published.map((p) => p.message.seq).sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i + 1));
      const seen: BusMessage[] = [];
      await Promise.all(
        ['w1', 'w2', 'w3'].map(async (consumer) => {
          for (;;) {
            const got = await b.consume({ topic: 'step', run, consumer, max: 7 });
            if (!got.length) return;
            for (const d of got) {
              seen.push(d.message);
              await b.ack(d);
            }
          }
        }),
      );
      assert.equal(seen.length, 200);
      assert.equal(new Set(seen.map((m) => m.id)).size, 200);
      assert.equal((await b.status(run)).topics.step.acked, 200);
    });
  });
}
