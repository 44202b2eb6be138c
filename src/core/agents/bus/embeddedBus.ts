import { z } from 'zod';
import type { FileSystem } from '../../platform/fileSystem';
import {
  BUS_MESSAGE_VERSION,
  BusError,
  TOPICS,
  idempotencyKey,
  parseBusMessage,
  parsePublishInput,
  type Bus,
  type BusMessage,
  type BusStatus,
  type ConsumeOptions,
  type Delivery,
  type NackOptions,
  type PublishInput,
  type PublishResult,
  type Topic,
} from './bus';

export interface EmbeddedBusOptions {
  fs: FileSystem;
  /** The run's JSONL journal (absolute path). */
  journalPath(run: string): string;
  now?: () => number;
  leaseMs?: number;
  maxDeliveries?: number;
  maxBacklog?: number;
}

/** One line of the journal: a message, or a change of its delivery state. */
const JournalLineSchema = z.discriminatedUnion('t', [
  z.object({ v: z.literal(1), t: z.literal('msg'), m: z.unknown() }),
  z.object({ v: z.literal(1), t: z.literal('lease'), id: z.string(), consumer: z.string(), count: z.number().int().positive(), until: z.number() }),
  z.object({ v: z.literal(1), t: z.literal('ack'), id: z.string() }),
  z.object({ v: z.literal(1), t: z.literal('requeue'), id: z.string(), reason: z.string() }),
  z.object({ v: z.literal(1), t: z.literal('dead'), id: z.string(), reason: z.string(), deliveries: z.number().int().nonnegative() }),
]);
type JournalLine = z.infer<typeof JournalLineSchema>;

interface Entry {
  message: BusMessage;
  /** 'writing' until its journal line is on disk: not yet deliverable, already counted for idempotency and backlog. */
  state: 'writing' | 'ready' | 'leased' | 'acked' | 'dead';
  deliveries: number;
  consumer?: string;
  leaseExpiresAt?: number;
  reason?: string;
  written: Promise<void>;
}

interface RunState {
  entries: Entry[];
  byId: Map<string, Entry>;
  byKey: Map<string, Entry>;
  /** Appends are chained so the file has the lines in seq order, each one whole. */
  chain: Promise<void>;
  /** Lines of the journal that could not be read (a torn last line after a kill). */
  unreadable: number;
}

/**
 * The in-process engine: state in memory, every message and every delivery change appended to the run's JSONL
 * journal before the call that caused it resolves. Opening a bus over an existing journal restores the run: acked
 * and dead-lettered messages stay done, everything else is ready again with its delivery count kept (the process
 * that held the leases is gone). One process owns a run's journal at a time.
 */
export class EmbeddedBus implements Bus {
  readonly engine = 'embedded';
  private readonly runs = new Map<string, Promise<RunState>>();
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly maxDeliveries: number;
  private readonly maxBacklog: number;

  constructor(private readonly opts: EmbeddedBusOptions) {
    this.now = opts.now ?? Date.now;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxDeliveries = opts.maxDeliveries ?? 3;
    this.maxBacklog = opts.maxBacklog ?? 1000;
  }

  async publish<T extends Topic>(input: PublishInput<T>, o: { signal?: AbortSignal } = {}): Promise<PublishResult<T>> {
    this.assertOpen();
    const clean = parsePublishInput(input);
    const run = await this.run(clean.key.run);
    const idem = idempotencyKey(clean.topic, clean.key);
    for (;;) {
      const existing = run.byKey.get(idem);
      if (existing) {
        await existing.written;
        return { message: existing.message as BusMessage<T>, duplicate: true };
      }
      if (this.backlog(run, clean.topic) < this.maxBacklog) break;
      await this.wait(undefined, o.signal);
      this.assertOpen();
    }
    const message = {
      v: BUS_MESSAGE_VERSION,
      id: String(run.entries.length + 1),
      topic: clean.topic,
      key: clean.key,
      seq: run.entries.length + 1,
      time: new Date(this.now()).toISOString(),
      payload: clean.payload,
    } as BusMessage<T>;
    const entry: Entry = { message, state: 'writing', deliveries: 0, written: Promise.resolve() };
    run.entries.push(entry);
    run.byId.set(message.id, entry);
    run.byKey.set(idem, entry);
    entry.written = this.append(run, clean.key.run, { v: 1, t: 'msg', m: message });
    try {
      await entry.written;
    } catch (e) {
      // Not durable, so not published: forget it (seq stays gap-free because nothing after it could be written).
      run.entries.pop();
      run.byId.delete(message.id);
      run.byKey.delete(idem);
      throw e;
    }
    entry.state = 'ready';
    this.wake();
    return { message, duplicate: false };
  }

  async consume<T extends Topic>(o: ConsumeOptions<T>): Promise<Delivery<T>[]> {
    this.assertOpen();
    const run = await this.run(o.run);
    const max = Math.max(1, o.max ?? 1);
    const deadline = this.now() + (o.waitMs ?? 0);
    for (;;) {
      if (this.closed || o.signal?.aborted) return [];
      const out = await this.take(run, o, max);
      if (out.length) return out;
      const left = deadline - this.now();
      if (left <= 0) return [];
      const nextExpiry = Math.min(...run.entries.filter((e) => e.state === 'leased' && e.message.topic === o.topic).map((e) => e.leaseExpiresAt!));
      await this.wait(Math.max(1, Math.min(left, nextExpiry - this.now())), o.signal).catch(() => undefined);
    }
  }

  async ack(d: Delivery): Promise<void> {
    this.assertOpen();
    const { run, entry } = await this.entryOf(d);
    if (entry.state === 'acked' || entry.state === 'dead') return;
    await this.append(run, d.message.key.run, { v: 1, t: 'ack', id: entry.message.id });
    entry.state = 'acked';
    entry.consumer = undefined;
    this.wake();
  }

  async extend<T extends Topic>(d: Delivery<T>, leaseMs = this.leaseMs): Promise<Delivery<T>> {
    this.assertOpen();
    const { run, entry } = await this.entryOf(d);
    if (entry.state !== 'leased' || entry.consumer !== d.consumer)
      throw new BusError('unknown-message', `message ${d.message.id} of run ${d.message.key.run} is no longer leased to ${d.consumer}`);
    const until = this.now() + leaseMs;
    await this.append(run, d.message.key.run, { v: 1, t: 'lease', id: entry.message.id, consumer: d.consumer, count: entry.deliveries, until });
    entry.leaseExpiresAt = until;
    return { ...d, leaseExpiresAt: until };
  }

  async nack(d: Delivery, o: NackOptions): Promise<'requeued' | 'dead-lettered'> {
    this.assertOpen();
    const { run, entry } = await this.entryOf(d);
    if (entry.state === 'acked') return 'requeued';
    if (entry.state === 'dead') return 'dead-lettered';
    if (!o.requeue || entry.deliveries >= this.maxDeliveries) {
      await this.deadLetter(run, entry, o.reason);
      return 'dead-lettered';
    }
    await this.append(run, d.message.key.run, { v: 1, t: 'requeue', id: entry.message.id, reason: o.reason });
    entry.state = 'ready';
    entry.consumer = undefined;
    this.wake();
    return 'requeued';
  }

  async history(runId: string): Promise<BusMessage[]> {
    const run = await this.run(runId);
    await run.chain.catch(() => undefined);
    return run.entries.filter((e) => e.state !== 'writing').map((e) => e.message);
  }

  async status(runId: string): Promise<BusStatus> {
    const run = await this.run(runId);
    const topics = Object.fromEntries(
      TOPICS.map((t) => {
        const list = run.entries.filter((e) => e.message.topic === t && e.state !== 'writing');
        const count = (s: Entry['state'][]) => list.filter((e) => s.includes(e.state)).length;
        return [t, { published: list.length, acked: count(['acked']), pending: count(['ready', 'leased']), deadLettered: count(['dead']) }];
      }),
    ) as BusStatus['topics'];
    return {
      engine: this.engine,
      run: runId,
      lastSeq: run.entries.filter((e) => e.state !== 'writing').length,
      topics,
      pending: Object.values(topics).reduce((n, t) => n + t.pending, 0),
      leases: run.entries
        .filter((e) => e.state === 'leased')
        .map((e) => ({ id: e.message.id, topic: e.message.topic, key: e.message.key, consumer: e.consumer!, deliveryCount: e.deliveries, leaseExpiresAt: e.leaseExpiresAt! })),
      deadLettered: run.entries
        .filter((e) => e.state === 'dead')
        .map((e) => ({ id: e.message.id, topic: e.message.topic, key: e.message.key, deliveries: e.deliveries, reason: e.reason ?? '' })),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    for (const r of this.runs.values()) await (await r.catch(() => undefined))?.chain.catch(() => undefined);
  }

  /** Lines of a run's journal that could not be read back (torn writes); shown by `agents status`. */
  async unreadableLines(runId: string): Promise<number> {
    return (await this.run(runId)).unreadable;
  }

  private async take<T extends Topic>(run: RunState, o: ConsumeOptions<T>, max: number): Promise<Delivery<T>[]> {
    const now = this.now();
    const out: Delivery<T>[] = [];
    const expired = run.entries.filter((e) => e.message.topic === o.topic && e.state === 'leased' && e.leaseExpiresAt! <= now);
    const ready = run.entries.filter((e) => e.message.topic === o.topic && e.state === 'ready');
    for (const e of [...expired, ...ready]) {
      if (out.length >= max) break;
      // Another consume may have claimed it while this one awaited a journal write.
      if (!(e.state === 'ready' || (e.state === 'leased' && e.leaseExpiresAt! <= now))) continue;
      if (e.deliveries >= this.maxDeliveries) {
        await this.deadLetter(run, e, `not acknowledged after ${e.deliveries} deliveries`);
        continue;
      }
      const until = now + (o.leaseMs ?? this.leaseMs);
      const count = e.deliveries + 1;
      // Claim in memory first so a concurrent consume cannot take it while the lease line is written.
      e.state = 'leased';
      e.consumer = o.consumer;
      e.leaseExpiresAt = until;
      e.deliveries = count;
      await this.append(run, o.run, { v: 1, t: 'lease', id: e.message.id, consumer: o.consumer, count, until });
      out.push({ message: e.message as BusMessage<T>, deliveryCount: count, consumer: o.consumer, leaseExpiresAt: until });
    }
    return out;
  }

  private async deadLetter(run: RunState, entry: Entry, reason: string): Promise<void> {
    await this.append(run, entry.message.key.run, { v: 1, t: 'dead', id: entry.message.id, reason, deliveries: entry.deliveries });
    entry.state = 'dead';
    entry.reason = reason;
    entry.consumer = undefined;
    this.wake();
  }

  private backlog(run: RunState, topic: Topic): number {
    return run.entries.filter((e) => e.message.topic === topic && (e.state === 'writing' || e.state === 'ready' || e.state === 'leased')).length;
  }

  private async entryOf(d: Delivery): Promise<{ run: RunState; entry: Entry }> {
    const run = await this.run(d.message.key.run);
    const entry = run.byId.get(d.message.id);
    if (!entry) throw new BusError('unknown-message', `no message ${d.message.id} in run ${d.message.key.run}`);
    return { run, entry };
  }

  private append(run: RunState, runId: string, line: JournalLine): Promise<void> {
    const next = run.chain.then(() =>
      this.opts.fs.appendText(this.opts.journalPath(runId), `${JSON.stringify(line)}\n`).catch((e: unknown) => {
        throw new BusError('io', `cannot write the journal of run ${runId}: ${(e as Error).message}`);
      }),
    );
    run.chain = next.catch(() => undefined);
    return next;
  }

  private run(runId: string): Promise<RunState> {
    let r = this.runs.get(runId);
    if (!r) {
      r = this.load(runId);
      this.runs.set(runId, r);
      r.catch(() => this.runs.delete(runId));
    }
    return r;
  }

  private async load(runId: string): Promise<RunState> {
    const state: RunState = { entries: [], byId: new Map(), byKey: new Map(), chain: Promise.resolve(), unreadable: 0 };
    let text = '';
    try {
      text = await this.opts.fs.readText(this.opts.journalPath(runId));
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT' && (await this.opts.fs.stat(this.opts.journalPath(runId)))) throw new BusError('io', `cannot read the journal of run ${runId}: ${(e as Error).message}`);
    }
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        state.unreadable++;
        continue;
      }
      const line = JournalLineSchema.safeParse(parsed);
      if (!line.success) {
        state.unreadable++;
        continue;
      }
      applyLine(state, line.data);
    }
    // The process that held these leases is gone: hand them out again (their delivery counts are kept).
    for (const e of state.entries) if (e.state === 'leased') Object.assign(e, { state: 'ready', consumer: undefined, leaseExpiresAt: undefined });
    return state;
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('closed', 'the bus is closed');
  }

  private wake(): void {
    for (const w of [...this.wakers]) w();
  }

  /** Resolves on the next state change, after `ms`, on close; rejects when the signal aborts. */
  private wait(ms: number | undefined, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.closed) return resolve();
      if (signal?.aborted) return reject(new BusError('cancelled', 'cancelled'));
      const done = (): void => {
        this.wakers.delete(done);
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(new BusError('cancelled', 'cancelled'));
      };
      const timer = ms !== undefined ? setTimeout(done, ms) : undefined;
      this.wakers.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function applyLine(state: RunState, line: JournalLine): void {
  if (line.t === 'msg') {
    const m = parseBusMessage(line.m);
    if (!m || m.seq !== state.entries.length + 1) {
      state.unreadable++;
      return;
    }
    const entry: Entry = { message: m, state: 'ready', deliveries: 0, written: Promise.resolve() };
    state.entries.push(entry);
    state.byId.set(m.id, entry);
    state.byKey.set(idempotencyKey(m.topic, m.key), entry);
    return;
  }
  const e = state.byId.get(line.id);
  if (!e) {
    state.unreadable++;
    return;
  }
  if (line.t === 'lease') Object.assign(e, { state: e.state === 'ready' || e.state === 'leased' ? 'leased' : e.state, deliveries: line.count, consumer: line.consumer, leaseExpiresAt: line.until });
  else if (line.t === 'ack') e.state = 'acked';
  else if (line.t === 'requeue') e.state = e.state === 'leased' ? 'ready' : e.state;
  else Object.assign(e, { state: 'dead', reason: line.reason, deliveries: line.deliveries });
}
