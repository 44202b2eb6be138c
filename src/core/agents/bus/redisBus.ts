// The team bus on Redis Streams: the same `Bus` contract as the embedded journal, so runs can be spread over
// several machines. Layout, under `llmgenie:<workspace>:`
//   run:<run>:t:step:<role>   one stream per run and role, consumer group <role> (a worker serves only its roles)
//   run:<run>:t:<topic>       the run and result topics, consumer group <topic>
//   run:<run>:seq|idem|stats|holders|streams   seq counter, idempotency map, counters, lease holders, stream set
//   run:<run>:dead            the dead-letter stream (why each message was given up on)
//   work:<role>               one stream per role for the workspace: a doorbell entry per step published, which
//                             idle workers of that role block on (XREAD) and then compete for through the group
//   runs                      sorted set of runs with work, by last publish time
// Per-run streams keep the contract's per-run order and isolation; the doorbells are what workers wait on.
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
  type DeadLetter,
  type Delivery,
  type Lease,
  type MessageKey,
  type NackOptions,
  type PublishInput,
  type PublishResult,
  type Topic,
} from './bus';
import { openRedisConnection, replyMap as fieldMap, type RedisConnection, type RedisConnectionOptions, type RedisReply } from './redisConnection';
import { ACK, CONSUME, EXTEND, NACK, PUBLISH } from './redisScripts';

export interface RedisBusOptions extends RedisConnectionOptions {
  /** Namespace shared by every clone of the repository (see workspaceBusId). */
  readonly workspace: string;
  readonly leaseMs?: number;
  readonly maxDeliveries?: number;
  readonly maxBacklog?: number;
  readonly now?: () => number;
}

/** `roles`: only steps for these roles (a worker started with `--roles coder`). */
export interface RedisConsumeOptions<T extends Topic = Topic> extends ConsumeOptions<T> {
  roles?: readonly string[];
}

const REQUEUED_IDLE_MS = 1e11; // nack(requeue) sets an idle time far past any lease; such an entry holds no lease

export async function openRedisBus(opts: RedisBusOptions): Promise<RedisBus> {
  if (!/^[a-z0-9][a-z0-9-]{0,80}$/.test(opts.workspace)) throw new BusError('invalid', `bad bus workspace name "${opts.workspace}"`);
  return new RedisBus(await openRedisConnection(opts), opts);
}

export class RedisBus implements Bus {
  readonly engine = 'redis';
  readonly leaseMs: number;
  readonly maxDeliveries: number;
  private readonly maxBacklog: number;
  private readonly now: () => number;
  private readonly prefix: string;
  private closed = false;
  private readonly sleepers = new Set<() => void>();
  private readonly streamCache = new Map<string, { at: number; streams: string[] }>();

  constructor(
    readonly connection: RedisConnection,
    opts: RedisBusOptions,
  ) {
    this.prefix = `llmgenie:${opts.workspace}:`;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.maxDeliveries = opts.maxDeliveries ?? 5;
    this.maxBacklog = opts.maxBacklog ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  /** The masked URL, for messages. */
  get display(): string {
    return this.connection.display;
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }
  private runKey(run: string, part: string): string {
    return this.key('run', run, part);
  }
  /** The stream a message lives in, and the consumer group that reads it. */
  private streamOf(topic: Topic, run: string, role?: string): { stream: string; group: string } {
    if (topic === 'step') return { stream: this.runKey(run, `t:step:${role}`), group: role ?? 'step' };
    return { stream: this.runKey(run, `t:${topic}`), group: topic };
  }
  private streamOfMessage(m: BusMessage): { stream: string; group: string } {
    return this.streamOf(m.topic, m.key.run, m.topic === 'step' ? (m.payload as { role: string }).role : undefined);
  }

  async publish<T extends Topic>(input: PublishInput<T>, opts: { signal?: AbortSignal } = {}): Promise<PublishResult<T>> {
    this.assertOpen();
    const valid = parsePublishInput(input);
    const run = valid.key.run;
    const role = valid.topic === 'step' ? (valid.payload as { role: string }).role : undefined;
    if (role !== undefined && !/^[a-z0-9][a-z0-9_-]*$/i.test(role)) throw new BusError('invalid', `bad step payload: role "${role}" is not a plain name`);
    const { stream, group } = this.streamOf(valid.topic, run, role);
    const fields = { v: BUS_MESSAGE_VERSION, topic: valid.topic, key: valid.key, time: new Date(this.now()).toISOString(), payload: valid.payload } as const;
    const body = JSON.stringify(fields);
    const keys = [this.runKey(run, 'idem'), this.runKey(run, 'seq'), this.runKey(run, 'stats'), stream, this.runKey(run, 'streams'), this.key('runs'), role ? this.key('work', role) : ''];
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      const reply = asList(await this.io(() => this.connection.script(PUBLISH, keys, [idempotencyKey(valid.topic, valid.key), valid.topic, body, group, this.maxBacklog, this.now(), run])));
      if (reply[0] === 'dup') return { message: this.fromStored(String(reply[1])) as BusMessage<T>, duplicate: true };
      // Validated above, so the message is built, not parsed back.
      if (reply[0] === 'ok') return { message: { ...fields, id: String(reply[2]), seq: Number(reply[1]) } as BusMessage<T>, duplicate: false };
      // Back-pressure: the run's topic holds maxBacklog messages nobody has finished; wait for room.
      if (!(await this.sleep(delay, opts.signal))) {
        throw new BusError(this.closed ? 'closed' : 'cancelled', `publish to ${valid.topic} of run ${run} ${this.closed ? 'ended by close' : 'cancelled'} while the backlog was full`);
      }
    }
  }

  async consume<T extends Topic>(opts: RedisConsumeOptions<T>): Promise<Delivery<T>[]> {
    this.assertOpen();
    const deadline = this.now() + (opts.waitMs ?? 0);
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      if (this.closed || opts.signal?.aborted) return [];
      let got: Delivery<T>[];
      try {
        got = await this.consumeOnce(opts);
      } catch (e) {
        if (this.closed) return [];
        throw e;
      }
      if (got.length) return got;
      const left = deadline - this.now();
      if (left <= 0 || !(await this.sleep(Math.min(delay, left), opts.signal))) return [];
    }
  }

  private async consumeOnce<T extends Topic>(opts: RedisConsumeOptions<T>): Promise<Delivery<T>[]> {
    const run = opts.run;
    let streams: { stream: string; group: string }[];
    if (opts.topic === 'step') {
      const members = await this.stepStreams(run);
      const stepPrefix = this.runKey(run, 't:step:');
      streams = members
        .filter((s) => s.startsWith(stepPrefix))
        .map((s) => ({ stream: s, group: s.slice(stepPrefix.length) }))
        .filter((s) => !opts.roles || opts.roles.includes(s.group))
        .sort((a, b) => a.stream.localeCompare(b.stream));
      if (!streams.length) {
        this.streamCache.delete(run);
        return [];
      }
    } else {
      streams = [this.streamOf(opts.topic, run)];
    }
    const max = Math.max(1, opts.max ?? 1);
    const leaseMs = opts.leaseMs ?? this.leaseMs;
    const keys = [this.runKey(run, 'stats'), this.runKey(run, 'dead'), this.runKey(run, 'holders'), ...streams.map((s) => s.stream)];
    const flat = asList(await this.io(() => this.connection.script(CONSUME, keys, [opts.consumer, max, this.leaseMs, this.maxDeliveries, opts.topic, ...streams.map((s) => s.group)])));
    if (!flat.length && opts.topic === 'step') this.streamCache.delete(run); // a new role's stream may have appeared
    const redelivered: Delivery<T>[] = [];
    const fresh: Delivery<T>[] = [];
    const at = this.now();
    for (let i = 0; i + 5 < flat.length; i += 6) {
      const [, id, seq, body, count, again] = flat.slice(i, i + 6);
      const message = this.toMessage(String(id), Number(seq), String(body));
      const delivery = { message, deliveryCount: Number(count), consumer: opts.consumer, leaseExpiresAt: at + leaseMs } as Delivery<T>;
      (Number(again) ? redelivered : fresh).push(delivery);
    }
    const bySeq = (a: Delivery<T>, b: Delivery<T>) => a.message.seq - b.message.seq;
    return [...redelivered.sort(bySeq), ...fresh.sort(bySeq)];
  }

  async ack(delivery: Delivery): Promise<void> {
    this.assertOpen();
    const { stream, group } = this.streamOfMessage(delivery.message);
    const run = delivery.message.key.run;
    await this.io(() =>
      this.connection.script(ACK, [stream, this.runKey(run, 'stats'), this.runKey(run, 'holders')], [group, delivery.message.id, delivery.consumer, delivery.deliveryCount, delivery.message.topic]),
    );
  }

  async extend<T extends Topic>(delivery: Delivery<T>, leaseMs?: number): Promise<Delivery<T>> {
    this.assertOpen();
    const { stream, group } = this.streamOfMessage(delivery.message);
    const r = await this.io(() => this.connection.script(EXTEND, [stream], [group, delivery.message.id, delivery.consumer, delivery.deliveryCount]));
    if (Number(r) !== 1) {
      throw new BusError('unknown-message', `the lease of ${delivery.message.topic} ${delivery.message.key.step} (run ${delivery.message.key.run}) is no longer held by ${delivery.consumer}`);
    }
    return { ...delivery, leaseExpiresAt: this.now() + (leaseMs ?? this.leaseMs) };
  }

  async nack(delivery: Delivery, opts: NackOptions): Promise<'requeued' | 'dead-lettered'> {
    this.assertOpen();
    const { stream, group } = this.streamOfMessage(delivery.message);
    const run = delivery.message.key.run;
    const r = await this.io(() =>
      this.connection.script(
        NACK,
        [stream, this.runKey(run, 'stats'), this.runKey(run, 'dead'), this.runKey(run, 'holders')],
        [group, delivery.message.id, delivery.consumer, delivery.deliveryCount, opts.requeue ? 1 : 0, this.maxDeliveries, opts.reason.slice(0, 2000), delivery.message.topic],
      ),
    );
    if (r === 'requeued') return 'requeued';
    if (r === 'dead') return 'dead-lettered';
    throw new BusError('unknown-message', `the lease of ${delivery.message.topic} ${delivery.message.key.step} (run ${run}) is no longer held by ${delivery.consumer}`);
  }

  async history(run: string): Promise<BusMessage[]> {
    this.assertOpen();
    const out: BusMessage[] = [];
    for (const stream of await this.runStreams(run)) {
      const entries = asList(await this.io(() => this.connection.command(['XRANGE', stream, '-', '+'])));
      for (const e of entries) {
        const [id, fields] = asList(e);
        const f = fieldMap(fields);
        out.push(this.toMessage(String(id), Number(f.seq), f.m ?? ''));
      }
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  async status(run: string): Promise<BusStatus> {
    this.assertOpen();
    const stats = fieldMap(await this.io(() => this.connection.command(['HGETALL', this.runKey(run, 'stats')])));
    const n = (k: string) => Number(stats[k] ?? 0);
    const topics = Object.fromEntries(
      TOPICS.map((t) => {
        const published = n(`${t}.published`);
        const acked = n(`${t}.acked`);
        const deadLettered = n(`${t}.dead`);
        return [t, { published, acked, pending: Math.max(0, published - acked - deadLettered), deadLettered }];
      }),
    ) as BusStatus['topics'];
    const leases: Lease[] = [];
    const at = this.now();
    for (const stream of await this.runStreams(run)) {
      const group = stream.split(':t:').pop()!.split(':').pop()!;
      const pending = asList(await this.io(() => this.connection.command(['XPENDING', stream, group, '-', '+', 1000])).catch(() => []));
      for (const p of pending) {
        const [id, consumer, idle, count] = asList(p);
        if (Number(idle) >= REQUEUED_IDLE_MS) continue; // requeued: waiting for a consumer, nobody holds it
        const [entry] = asList(await this.io(() => this.connection.command(['XRANGE', stream, String(id), String(id)])));
        if (!entry) continue;
        const f = fieldMap(asList(entry)[1]);
        const m = this.toMessage(String(id), Number(f.seq), f.m ?? '');
        leases.push({ id: m.id, topic: m.topic, key: m.key, consumer: String(consumer), deliveryCount: Number(count), leaseExpiresAt: at - Number(idle) + this.leaseMs });
      }
    }
    const deadLettered: DeadLetter[] = asList(await this.io(() => this.connection.command(['XRANGE', this.runKey(run, 'dead'), '-', '+']))).map((e) => {
      const f = fieldMap(asList(e)[1]);
      const m = this.toMessage(f.id ?? '?', Number(f.seq), f.m ?? '');
      return { id: m.id, topic: m.topic, key: m.key, deliveries: Number(f.deliveries ?? 0), reason: f.reason ?? '' };
    });
    const lastSeq = Number((await this.io(() => this.connection.command(['GET', this.runKey(run, 'seq')]))) ?? 0);
    const pending = Object.values(topics).reduce((s, t) => s + t.pending, 0);
    return { engine: this.engine, run, lastSeq, topics, pending, leases: leases.sort((a, b) => a.leaseExpiresAt - b.leaseExpiresAt), deadLettered };
  }

  /** Whether (topic, key) was published: a worker asks before redoing a redelivered step. */
  async wasPublished(topic: Topic, key: MessageKey): Promise<boolean> {
    this.assertOpen();
    return Number(await this.io(() => this.connection.command(['HEXISTS', this.runKey(key.run, 'idem'), idempotencyKey(topic, key)]))) === 1;
  }

  /** Runs of the workspace with published work, most recent first (workers serve every one of them). */
  async listRuns(limit = 200): Promise<string[]> {
    this.assertOpen();
    return asList(await this.io(() => this.connection.command(['ZREVRANGE', this.key('runs'), 0, limit - 1]))).map(String);
  }

  /** A finished run is no longer scanned by workers; its streams stay for status and history. */
  async retireRun(run: string): Promise<void> {
    this.assertOpen();
    await this.io(() => this.connection.command(['ZREM', this.key('runs'), run]));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.sleepers) wake();
    await this.connection.close();
  }

  /**
   * The run's streams as consume sees them: cached for a second (or until a consume finds nothing), which saves a
   * round trip per consume; a role's stream created meanwhile is seen within that second.
   */
  private async stepStreams(run: string): Promise<string[]> {
    const cached = this.streamCache.get(run);
    if (cached && cached.at > this.now() - 1000) return cached.streams;
    const streams = await this.runStreams(run);
    this.streamCache.set(run, { at: this.now(), streams });
    return streams;
  }

  private async runStreams(run: string): Promise<string[]> {
    return asList(await this.io(() => this.connection.command(['SMEMBERS', this.runKey(run, 'streams')])))
      .map(String)
      .sort();
  }

  private toMessage(id: string, seq: number, body: string): BusMessage {
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      raw = undefined;
    }
    const m = parseBusMessage(raw && typeof raw === 'object' ? { ...(raw as object), id, seq } : undefined);
    if (!m) throw new BusError('io', `unreadable bus entry ${id} (seq ${seq}) in Redis: not a bus message of this version`);
    return m;
  }

  private fromStored(stored: string): BusMessage {
    const [seq, id, ...body] = stored.split('\n');
    return this.toMessage(id ?? '', Number(seq), body.join('\n'));
  }

  /** Resolves true after `ms`, false at once when closed or aborted. */
  private sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve(ok);
      };
      const wake = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      this.sleepers.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('closed', 'the Redis bus is closed');
  }

  /** Redis errors become one BusError line (the URL masked). */
  private async io<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof BusError) throw e;
      throw new BusError(this.closed ? 'closed' : 'io', `Redis at ${this.display}: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
    }
  }
}

function asList(r: RedisReply | undefined): RedisReply[] {
  return Array.isArray(r) ? r : [];
}
