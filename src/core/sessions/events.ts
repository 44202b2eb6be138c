import { z } from 'zod';
import type {
  DecisionEventPayload,
  HandoffEventPayload,
  LessonEventPayload,
  PolicyEventPayload,
  TaskEventPayload,
} from './sink';

/** Envelope version written on every line; readers accept only versions they know. */
export const EVENT_VERSION = 1;

export type SessionHost = 'editor' | 'cli' | 'mcp';

/** First line of every session file: who opened it, where, with which build. */
export interface SessionStartPayload {
  host: SessionHost;
  workspace: string;
  version: string;
  pid?: number;
}

interface Envelope {
  v: 1;
  id: string;
  /** ISO 8601, always UTC as written by this store. */
  time: string;
  /** How many secrets were masked in this event before it was written (absent when none). */
  redacted?: number;
  generic?: undefined;
}

export type KnownSessionEvent =
  | (Envelope & { type: 'session-start'; payload: SessionStartPayload })
  | (Envelope & { type: 'task'; payload: TaskEventPayload })
  | (Envelope & { type: 'policy'; payload: PolicyEventPayload })
  | (Envelope & { type: 'handoff'; payload: HandoffEventPayload })
  | (Envelope & { type: 'decision'; payload: DecisionEventPayload })
  | (Envelope & { type: 'lesson'; payload: LessonEventPayload })
  | (Envelope & { type: 'note'; payload: { message: string; [k: string]: unknown } });

/**
 * A line whose envelope is valid but whose type this build does not know (written by a newer build) or whose
 * payload does not match its type. Kept so nothing on disk is silently dropped; analytics ignores it.
 */
export interface GenericSessionEvent {
  v: 1;
  id: string;
  time: string;
  type: string;
  payload: unknown;
  redacted?: number;
  generic: true;
}

/** Check `e.generic` first; after that `e.type` narrows the payload. */
export type SessionEvent = KnownSessionEvent | GenericSessionEvent;
export type KnownEventType = KnownSessionEvent['type'];

const num = z.number().finite();
const nonNeg = num.nonnegative();

const taskSchema = z.looseObject({
  command: z.string(),
  route: z.enum(['local', 'cloud']),
  mode: z.enum(['auto', 'local', 'cloud']),
  reasons: z.array(z.string()),
  provider: z.enum(['ollama', 'anthropic']),
  model: z.string(),
  escalated: z.boolean(),
  escalationReason: z.string().optional(),
  tokensIn: nonNeg,
  tokensOut: nonNeg,
  costUsd: nonNeg,
  cloudCostUsd: nonNeg,
  ttftMs: nonNeg.optional(),
  totalMs: nonNeg,
  ok: z.boolean(),
  error: z.string().optional(),
  files: z.array(z.string()).optional(),
});

const policySchema = z.looseObject({
  source: z.enum(['editor', 'cli', 'mcp']),
  files: nonNeg,
  findings: nonNeg,
  byRule: z.record(z.string(), nonNeg),
  bySeverity: z.record(z.string(), nonNeg),
});

const handoffSchema = z.looseObject({
  path: z.string(),
  score: num,
  passed: z.boolean(),
  gaps: nonNeg,
  action: z.enum(['validate', 'create']),
});

const decisionSchema = z.looseObject({ title: z.string(), decision: z.string(), file: z.string().optional() });
const lessonSchema = z.looseObject({ id: z.string(), title: z.string(), action: z.enum(['add', 'update', 'delete']) });
const noteSchema = z.looseObject({ message: z.string() });
const startSchema = z.looseObject({
  host: z.enum(['editor', 'cli', 'mcp']),
  workspace: z.string(),
  version: z.string(),
  pid: z.number().int().optional(),
});

export const PAYLOAD_SCHEMAS: Record<KnownEventType, z.ZodType> = {
  'session-start': startSchema,
  task: taskSchema,
  policy: policySchema,
  handoff: handoffSchema,
  decision: decisionSchema,
  lesson: lessonSchema,
  note: noteSchema,
};

export const envelopeSchema = z.object({
  v: z.literal(EVENT_VERSION),
  id: z.string().min(1).max(200),
  time: z.iso.datetime({ offset: true }),
  type: z.string().min(1).max(100),
  payload: z.unknown(),
  redacted: z.number().int().positive().optional(),
});

export function isKnownType(type: string): type is KnownEventType {
  return Object.prototype.hasOwnProperty.call(PAYLOAD_SCHEMAS, type);
}

export type LineResult = { ok: true; event: SessionEvent; note?: string } | { ok: false; error: string };

/** Parses one JSONL line. Never throws: garbage gives `{ok:false}`, a known type with a bad payload is kept as generic. */
export function parseEventLine(line: string): LineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not valid JSON (garbled line)' };
  }
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) return { ok: false, error: `not a session event: ${firstIssue(env.error)}` };
  const e = env.data;
  const base = { v: e.v, id: e.id, time: e.time, ...(e.redacted ? { redacted: e.redacted } : {}) };
  if (!isKnownType(e.type)) return { ok: true, event: { ...base, type: e.type, payload: e.payload, generic: true } };
  const p = PAYLOAD_SCHEMAS[e.type].safeParse(e.payload);
  if (!p.success) {
    return {
      ok: true,
      event: { ...base, type: e.type, payload: e.payload, generic: true },
      note: `payload does not match type '${e.type}' (${firstIssue(p.error)}); kept as generic`,
    };
  }
  return { ok: true, event: { ...base, type: e.type, payload: p.data } as KnownSessionEvent };
}

function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  if (!i) return 'invalid';
  return i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message;
}
