// A conversation thread: the user's turns, what code each carried, and each answer as the answer view shows it
// (route, reasons, drafts, cost). Kept as one append-only JSONL file per thread, so a thread survives a reload
// and a person can read (and review in a diff) exactly what was asked and answered. Schemas are zod/mini: the chat
// webview parses the same shapes.
import * as z from 'zod/mini';
import type { AnswerView } from '../router/answerView';
import { answerViewSchema } from '../../webviews/results/protocol';

/** What a turn was about, shown as chips: the selection or file sent, lessons searched, files the model read. */
export interface ChatChip {
  kind: 'selection' | 'file' | 'lessons' | 'read';
  label: string;
  /** The document, for selection / file chips (opens it). */
  uri?: string;
}

/** The code a turn carried (masked as stored): the route and every later turn's history see it. */
export interface TurnContext {
  text: string;
  fileName: string;
  language?: string;
  scope: 'selection' | 'file';
  /** 1-based first line of a selection. */
  firstLine?: number;
}

export interface ChatTurn {
  id: string;
  /** Epoch ms the user sent it. */
  at: number;
  /** The user's own words. */
  text: string;
  context?: TurnContext;
  chips: ChatChip[];
  /** The answer as the answer view holds it (its id is the turn's id). */
  answer: AnswerView;
  /** How this turn's route relates to the turns before it ("Re-routed to Claude: …"), when it changed. */
  note?: string;
  /** The route's figures, for feedback when the user re-runs or takes the answer. */
  routing?: { score: number; threshold: number; language: string };
}

export interface ChatThread {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: ChatTurn[];
}

export interface ThreadSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: number;
}

const text = (max: number) => z.string().check(z.maxLength(max));
export const THREAD_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const threadIdSchema = z.string().check(z.regex(THREAD_ID));

export const chipSchema = z.object({ kind: z.enum(['selection', 'file', 'lessons', 'read']), label: text(500), uri: z.optional(text(4000)) }) satisfies z.ZodMiniType<ChatChip>;

export const turnContextSchema = z.object({
  text: text(2_000_000),
  fileName: text(1000),
  language: z.optional(text(100)),
  scope: z.enum(['selection', 'file']),
  firstLine: z.optional(z.int().check(z.positive())),
}) satisfies z.ZodMiniType<TurnContext>;

export const chatTurnSchema = z.object({
  id: threadIdSchema,
  at: z.number(),
  text: text(100_000),
  context: z.optional(turnContextSchema),
  chips: z.array(chipSchema).check(z.maxLength(50)),
  answer: answerViewSchema,
  note: z.optional(text(1000)),
  routing: z.optional(z.object({ score: z.number(), threshold: z.number(), language: text(100) })),
}) satisfies z.ZodMiniType<ChatTurn>;

/**
 * One line of a thread file. A later `turn` line with an id already seen replaces that turn (a re-run on the
 * other model), so the file stays append-only and its history readable.
 */
export const threadRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('thread'), v: z.literal(1), id: threadIdSchema, title: text(200), createdAt: z.number() }),
  z.object({ kind: z.literal('title'), title: text(200), at: z.number() }),
  z.object({ kind: z.literal('turn'), turn: chatTurnSchema }),
]);
export type ThreadRecord = z.infer<typeof threadRecordSchema>;

/** Folds a thread file's records; `undefined` without its header line. */
export function foldThread(records: readonly ThreadRecord[]): ChatThread | undefined {
  const head = records[0];
  if (head?.kind !== 'thread') return undefined;
  const thread: ChatThread = { id: head.id, title: head.title, createdAt: head.createdAt, updatedAt: head.createdAt, turns: [] };
  for (const r of records.slice(1)) {
    if (r.kind === 'title') {
      thread.title = r.title;
      thread.updatedAt = Math.max(thread.updatedAt, r.at);
    } else if (r.kind === 'turn') {
      const i = thread.turns.findIndex((t) => t.id === r.turn.id);
      if (i >= 0) thread.turns[i] = r.turn;
      else thread.turns.push(r.turn);
      thread.updatedAt = Math.max(thread.updatedAt, r.turn.answer.startedAt, r.turn.at);
    }
  }
  return thread;
}

/** A thread's title from its first question: one line, at most 60 characters. */
export function titleFrom(question: string): string {
  const flat = question.replace(/\s+/g, ' ').trim();
  if (!flat) return 'New conversation';
  return flat.length > 60 ? `${flat.slice(0, 59).trimEnd()}…` : flat;
}

export function summarise(t: ChatThread): ThreadSummary {
  return { id: t.id, title: t.title, createdAt: t.createdAt, updatedAt: t.updatedAt, turns: t.turns.length };
}
