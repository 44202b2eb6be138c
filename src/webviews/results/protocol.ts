import { z } from 'zod';
import { MAX_ANSWER_CHARS, type AnswerEvent, type AnswerView } from '../../core/router/answerView';

/** The results panel's webview type; also the serializer's key, so it must never change. */
export const RESULTS_VIEW_TYPE = 'llmgenie.results';

const provider = z.enum(['ollama', 'anthropic']);
const line = z.string().max(4000);
const id = z.string().min(1).max(100);

const metricsSchema = z.object({
  provider,
  model: z.string().max(200),
  tokensIn: z.number().nonnegative(),
  tokensOut: z.number().nonnegative(),
  costUsd: z.number().nonnegative(),
  cloudCostUsd: z.number().nonnegative(),
  ttftMs: z.number().nonnegative().optional(),
  totalMs: z.number().nonnegative(),
  ok: z.boolean(),
  error: line.optional(),
  escalated: z.boolean(),
  escalationReason: line.optional(),
});

export const answerViewSchema = z.object({
  id,
  title: z.string().max(200),
  label: z.string().max(1000),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  mode: z.enum(['auto', 'local', 'cloud']),
  models: z.object({ ollama: z.string().max(200), anthropic: z.string().max(200) }),
  route: z.object({ route: z.enum(['local', 'cloud']), score: z.number(), reasons: z.array(line).max(20) }).optional(),
  provider: provider.optional(),
  answer: z.string().max(MAX_ANSWER_CHARS),
  drafts: z.array(z.object({ provider, text: z.string().max(MAX_ANSWER_CHARS), reason: line })).max(10),
  banners: z.array(z.object({ level: z.enum(['info', 'warning', 'error']), message: line })).max(50),
  toolCalls: z.array(z.object({ provider, name: z.string().max(200), input: line })).max(100),
  metrics: metricsSchema.optional(),
  source: z
    .object({ uri: z.string().max(4000), start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), original: z.string().max(2_000_000), scope: z.enum(['selection', 'file']) })
    .optional(),
  startedAt: z.number(),
}) satisfies z.ZodType<AnswerView>;

export const answerEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('route'), route: z.enum(['local', 'cloud']), score: z.number(), reasons: z.array(line).max(20) }),
  z.object({ kind: z.literal('delta'), text: z.string().max(MAX_ANSWER_CHARS), provider }),
  z.object({ kind: z.literal('notice'), message: line, level: z.enum(['info', 'warning', 'error']) }),
  z.object({ kind: z.literal('switch'), from: provider, to: provider, reason: line }),
  z.object({ kind: z.literal('toolCall'), provider, name: z.string().max(200), input: line }),
  z.object({ kind: z.literal('done'), metrics: metricsSchema, answer: z.string().max(MAX_ANSWER_CHARS) }),
]) satisfies z.ZodType<AnswerEvent>;

/** Host → webview. `show` replaces the view (a new task, or the current one after a reload); `event` updates it. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), view: answerViewSchema.nullable() }),
  z.object({ type: z.literal('event'), id, event: answerEventSchema }),
  z.object({ type: z.literal('flash'), text: line, kind: z.enum(['info', 'error']) }),
]);
export type ResultsHostMessage = z.infer<typeof hostMessageSchema>;

const block = z.number().int().nonnegative().max(10_000);

/** Webview → host. Code blocks are named by index; the host finds the code in its own copy of the answer. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('stop'), id }),
  z.object({ type: z.literal('copy'), id, block }),
  z.object({ type: z.literal('insert'), id, block }),
  z.object({ type: z.literal('apply'), id, block }),
  z.object({ type: z.literal('openLink'), href: z.string().max(4000) }),
  z.object({ type: z.literal('openSource'), id }),
]);
export type ResultsWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What VS Code keeps for the serializer (the webview's `setState`). */
export const persistedStateSchema = z.object({ view: answerViewSchema.nullable() });
export type ResultsPersistedState = z.infer<typeof persistedStateSchema>;
