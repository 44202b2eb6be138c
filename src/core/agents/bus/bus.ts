import { z } from 'zod';

/**
 * The agents' message bus: the contract between the orchestrator, the role workers and any engine that carries
 * their messages (the embedded journal in this folder, Redis Streams next). Engines differ in transport only; the
 * semantics below hold for all of them and are checked by one contract suite (test/core/agents/busContract.ts).
 *
 * Semantics every engine keeps:
 * - **Topics** are work queues, one set per run (a Redis engine: one stream per run and topic, one consumer group).
 * - **Per-run order**: every message of a run gets `seq`, gap-free from 1 in publish order across the run's topics;
 *   `consume` hands out a run's messages of one topic in `seq` order (redeliveries first), `history` replays all
 *   of a run's messages in `seq` order.
 * - **Idempotency**: `(topic, key.run, key.step, key.attempt)` identifies a message. Publishing the same key again
 *   returns the first message with `duplicate: true` and delivers nothing new. Handlers are written to be
 *   idempotent on that key too, because delivery is at-least-once.
 * - **Durability / ack-after-journal**: `publish` resolves only after the message is durable (embedded: appended
 *   to the run's JSONL journal; Redis: XADD returned). A consumer publishes what it produced *before* it acks what
 *   it consumed, so a crash between the two re-delivers the input and the handler finds its output already there.
 * - **Leases and redelivery**: a delivery is leased to one consumer for `leaseMs`. Not acked in time (consumer
 *   died, process killed), it is handed out again with `deliveryCount + 1` (Redis: XAUTOCLAIM with min-idle-time).
 *   After `maxDeliveries` deliveries it is dead-lettered instead (Redis: a `<stream>:dead` stream, then XACK).
 * - **Back-pressure**: `publish` waits while the run's topic holds `maxBacklog` messages not yet acked or
 *   dead-lettered, and rejects with a BusError('cancelled') when its signal aborts.
 * - `status` reports pending messages, current leases and dead letters, so a stuck run can be explained.
 */
export const BUS_MESSAGE_VERSION = 1;

/** The agents' topics: step requests to role workers, their results, and the run's own lifecycle records. */
export const TOPICS = ['run', 'step', 'result'] as const;
export type Topic = (typeof TOPICS)[number];
export const TopicSchema = z.enum(TOPICS);

/** Run ids are also folder and Redis key parts: short, lower-case, no separators beyond '-'. */
export const RunIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a run id is lower-case letters, digits and "-"');

/** Identifies one message: what run, which step of it, which attempt at that step. */
export const MessageKeySchema = z.object({
  run: RunIdSchema,
  step: z.string().min(1).max(200),
  attempt: z.number().int().min(1).max(1000),
});
export type MessageKey = z.infer<typeof MessageKeySchema>;

const usageSchema = z.looseObject({
  tokensIn: z.number().nonnegative(),
  tokensOut: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  ms: z.number().nonnegative(),
});

/** Payloads are loose objects: an engine carries fields a newer build adds without dropping them. */
export const TOPIC_PAYLOADS = {
  /** Lifecycle of the run: started, a branch's worktree created, cancelled, finished, notes. */
  run: z.looseObject({ kind: z.string().min(1).max(50) }),
  /** Ask a role worker to perform one step of one branch. */
  step: z.looseObject({
    branch: z.string().min(1).max(100),
    role: z.string().min(1).max(50),
    round: z.number().int().min(1),
    input: z.unknown().optional(),
  }),
  /** What a step produced. `head` is the branch's commit after the step (resume checks the worktree against it). */
  result: z.looseObject({
    branch: z.string().min(1).max(100),
    role: z.string().min(1).max(50),
    round: z.number().int().min(1),
    status: z.enum(['done', 'failed', 'stopped']),
    head: z.string().optional(),
    reason: z.string().optional(),
    output: z.unknown().optional(),
    usage: usageSchema.optional(),
  }),
} as const satisfies Record<Topic, z.ZodType>;
export type TopicPayload<T extends Topic> = z.infer<(typeof TOPIC_PAYLOADS)[T]>;

export const BusMessageSchema = z.object({
  v: z.literal(BUS_MESSAGE_VERSION),
  /** Engine-assigned, unique within the run (embedded: `<seq>`; Redis: the stream entry id). */
  id: z.string().min(1).max(100),
  topic: TopicSchema,
  key: MessageKeySchema,
  /** Position in the run, gap-free from 1. */
  seq: z.number().int().positive(),
  /** ISO 8601 UTC, when it was published. */
  time: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});
export type BusMessage<T extends Topic = Topic> = Omit<z.infer<typeof BusMessageSchema>, 'topic' | 'payload'> & {
  topic: T;
  payload: TopicPayload<T>;
};

export interface PublishInput<T extends Topic = Topic> {
  topic: T;
  key: MessageKey;
  payload: TopicPayload<T>;
}

export interface PublishResult<T extends Topic = Topic> {
  message: BusMessage<T>;
  /** The key was published before; `message` is that first message and nothing new was queued. */
  duplicate: boolean;
}

export interface ConsumeOptions<T extends Topic = Topic> {
  topic: T;
  run: string;
  /** Who holds the lease (a Redis consumer name); shown in status. */
  consumer: string;
  /** Most deliveries returned by this call; default 1. */
  max?: number;
  /** Lease length; default the engine's. */
  leaseMs?: number;
  /** How long to wait for a message when none is ready; 0 returns at once. Default 0. */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface Delivery<T extends Topic = Topic> {
  message: BusMessage<T>;
  /** 1 on first delivery; each redelivery (lease expired, nack with requeue, restart) adds one. */
  deliveryCount: number;
  consumer: string;
  /** Epoch ms after which the message may be handed to another consumer. */
  leaseExpiresAt: number;
}

export interface NackOptions {
  reason: string;
  /** true: hand it out again (counts as a delivery, dead-lettered after maxDeliveries); false: dead-letter now. */
  requeue: boolean;
}

export const LeaseSchema = z.object({
  id: z.string(),
  topic: TopicSchema,
  key: MessageKeySchema,
  consumer: z.string(),
  deliveryCount: z.number().int().positive(),
  leaseExpiresAt: z.number(),
});
export type Lease = z.infer<typeof LeaseSchema>;

export const DeadLetterSchema = z.object({
  id: z.string(),
  topic: TopicSchema,
  key: MessageKeySchema,
  deliveries: z.number().int().nonnegative(),
  reason: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

const topicCountsSchema = z.object({
  published: z.number().int().nonnegative(),
  acked: z.number().int().nonnegative(),
  /** Published, not acked, not dead-lettered: waiting for a consumer or leased to one. */
  pending: z.number().int().nonnegative(),
  deadLettered: z.number().int().nonnegative(),
});

export const BusStatusSchema = z.object({
  engine: z.string(),
  run: RunIdSchema,
  /** Highest seq published in the run (0 when none). */
  lastSeq: z.number().int().nonnegative(),
  topics: z.record(TopicSchema, topicCountsSchema),
  pending: z.number().int().nonnegative(),
  leases: z.array(LeaseSchema),
  deadLettered: z.array(DeadLetterSchema),
});
export type BusStatus = z.infer<typeof BusStatusSchema>;

export interface Bus {
  /** 'embedded', 'redis', …: shown in status and the CLI output. */
  readonly engine: string;
  /** Resolves once the message is durable; waits under back-pressure; idempotent on (topic, key). */
  publish<T extends Topic>(input: PublishInput<T>, opts?: { signal?: AbortSignal }): Promise<PublishResult<T>>;
  /** Expired leases of the run's topic first (redelivery), then new messages, in seq order. */
  consume<T extends Topic>(opts: ConsumeOptions<T>): Promise<Delivery<T>[]>;
  /** Done with it: never delivered again. Acking twice, or after the lease moved on, is a no-op. */
  ack(delivery: Delivery): Promise<void>;
  /** Keeps the lease while a long step runs (Redis: XCLAIM by the same consumer). */
  extend<T extends Topic>(delivery: Delivery<T>, leaseMs?: number): Promise<Delivery<T>>;
  nack(delivery: Delivery, opts: NackOptions): Promise<'requeued' | 'dead-lettered'>;
  /** Every message of the run in seq order (what `resume` replays). */
  history(run: string): Promise<BusMessage[]>;
  status(run: string): Promise<BusStatus>;
  /** Pending consumes return [], later calls fail with BusError('closed'). */
  close(): Promise<void>;
}

export type BusErrorReason = 'invalid' | 'cancelled' | 'closed' | 'io' | 'unknown-message';

export class BusError extends Error {
  constructor(
    readonly reason: BusErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'BusError';
  }
}

/** The idempotency key as one string (a Redis key part, a map key). */
export function idempotencyKey(topic: Topic, key: MessageKey): string {
  return `${topic}/${key.run}/${encodeURIComponent(key.step)}/${key.attempt}`;
}

/** Validates what a caller wants to publish; throws BusError('invalid') with the first problem. */
export function parsePublishInput<T extends Topic>(input: PublishInput<T>): PublishInput<T> {
  const topic = TopicSchema.safeParse(input.topic);
  if (!topic.success) throw new BusError('invalid', `unknown topic "${String(input.topic)}"`);
  const key = MessageKeySchema.safeParse(input.key);
  if (!key.success) throw new BusError('invalid', `bad message key: ${firstIssue(key.error)}`);
  const payload = TOPIC_PAYLOADS[topic.data].safeParse(input.payload);
  if (!payload.success) throw new BusError('invalid', `bad ${topic.data} payload: ${firstIssue(payload.error)}`);
  return { topic: input.topic, key: key.data, payload: payload.data as TopicPayload<T> };
}

/** Validates a message read back from storage (journal line, stream entry); undefined when it is not one. */
export function parseBusMessage(raw: unknown): BusMessage | undefined {
  const m = BusMessageSchema.safeParse(raw);
  if (!m.success) return undefined;
  const payload = TOPIC_PAYLOADS[m.data.topic].safeParse(m.data.payload);
  if (!payload.success) return undefined;
  return { ...m.data, payload: payload.data } as BusMessage;
}

export function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return 'invalid';
  return i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message;
}
