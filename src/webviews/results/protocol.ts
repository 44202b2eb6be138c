// zod/mini, imported as a namespace: the webview bundles this file and esbuild can then keep only what is used.
import * as z from 'zod/mini';
import { MAX_ANSWER_CHARS, type AnswerEvent, type AnswerView } from '../../core/router/answerView';

/** The results panel's webview type; also the serializer's key, so it must never change. */
export const RESULTS_VIEW_TYPE = 'llmgenie.results';

const provider = z.enum(['ollama', 'anthropic']);
const line = z.string().check(z.maxLength(4000));
const id = z.string().check(z.minLength(1), z.maxLength(100));
const name = z.string().check(z.maxLength(200));
const answer = z.string().check(z.maxLength(MAX_ANSWER_CHARS));
const amount = z.number().check(z.nonnegative());
const offset = z.int().check(z.nonnegative());
const level = z.enum(['info', 'warning', 'error']);
const reasons = z.array(line).check(z.maxLength(20));

const metricsSchema = z.object({
  provider,
  model: name,
  tokensIn: amount,
  tokensOut: amount,
  costUsd: amount,
  cloudCostUsd: amount,
  ttftMs: z.optional(amount),
  totalMs: amount,
  ok: z.boolean(),
  error: z.optional(line),
  escalated: z.boolean(),
  escalationReason: z.optional(line),
  localTokensIn: z.optional(amount),
  localTokensOut: z.optional(amount),
  cloudTokensIn: z.optional(amount),
  cloudTokensOut: z.optional(amount),
  extraCostUsd: z.optional(amount),
});

const failureActionSchema = z.discriminatedUnion('id', [
  z.object({ id: z.literal('setKey'), label: name }),
  z.object({ id: z.literal('openSettings'), label: name, setting: name }),
  z.object({ id: z.literal('retry'), label: name }),
  z.object({ id: z.literal('askClaude'), label: name }),
  z.object({ id: z.literal('tryLocal'), label: name }),
  z.object({ id: z.literal('pullModel'), label: name, model: name }),
]);

const failureSchema = z.object({
  kind: z.enum(['no-key', 'bad-key', 'unreachable', 'wrong-url', 'model-not-found', 'rate-limited', 'overloaded', 'ollama-down', 'model-missing', 'timeout', 'blocked', 'bad-request', 'server-error']),
  provider,
  title: line,
  detail: line,
  message: line,
  actions: z.array(failureActionSchema).check(z.maxLength(8)),
});

const routeFields = {
  route: z.enum(['local', 'cloud']),
  score: z.number(),
  reasons,
  summary: z.optional(line),
  uncertain: z.optional(z.boolean()),
  calibration: z.optional(line),
};

export const answerViewSchema = z.object({
  id,
  title: name,
  label: z.string().check(z.maxLength(1000)),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  mode: z.enum(['auto', 'local', 'cloud']),
  models: z.object({ ollama: name, anthropic: name }),
  route: z.optional(z.object(routeFields)),
  provider: z.optional(provider),
  answer,
  drafts: z.array(z.object({ provider, text: answer, reason: line })).check(z.maxLength(10)),
  banners: z.array(z.object({ level, message: line })).check(z.maxLength(50)),
  toolCalls: z.array(z.object({ provider, name, input: line })).check(z.maxLength(100)),
  metrics: z.optional(metricsSchema),
  failure: z.optional(failureSchema),
  source: z.optional(
    z.object({ uri: z.string().check(z.maxLength(4000)), start: offset, end: offset, original: z.string().check(z.maxLength(2_000_000)), scope: z.enum(['selection', 'file']) }),
  ),
  startedAt: z.number(),
}) satisfies z.ZodMiniType<AnswerView>;

export const answerEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('route'), ...routeFields }),
  z.object({ kind: z.literal('delta'), text: answer, provider }),
  z.object({ kind: z.literal('notice'), message: line, level }),
  z.object({ kind: z.literal('switch'), from: provider, to: provider, reason: line }),
  z.object({ kind: z.literal('toolCall'), provider, name, input: line }),
  z.object({ kind: z.literal('failure'), failure: failureSchema }),
  z.object({ kind: z.literal('done'), metrics: metricsSchema, answer }),
]) satisfies z.ZodMiniType<AnswerEvent>;

/** Host → webview. `show` replaces the view (a new task, or the current one after a reload); `event` updates it. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), view: z.nullable(answerViewSchema) }),
  z.object({ type: z.literal('event'), id, event: answerEventSchema }),
  z.object({ type: z.literal('flash'), text: line, kind: z.enum(['info', 'error']) }),
]);
export type ResultsHostMessage = z.infer<typeof hostMessageSchema>;

const block = z.int().check(z.nonnegative(), z.maximum(10_000));

/** Webview → host. Code blocks are named by index; the host finds the code in its own copy of the answer. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('stop'), id }),
  z.object({ type: z.literal('copy'), id, block }),
  z.object({ type: z.literal('insert'), id, block }),
  z.object({ type: z.literal('apply'), id, block }),
  z.object({ type: z.literal('openLink'), href: z.string().check(z.maxLength(4000)) }),
  z.object({ type: z.literal('openSource'), id }),
  /** "Re-run on Claude" / "Try locally": the same task on the other side. */
  z.object({ type: z.literal('rerun'), id, target: provider }),
  /** A button on the failure card, named by its index in `failure.actions`; the host reads the action from its copy. */
  z.object({ type: z.literal('failureAction'), id, action: z.int().check(z.nonnegative(), z.maximum(20)) }),
]);
export type ResultsWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What VS Code keeps for the serializer (the webview's `setState`). */
export const persistedStateSchema = z.object({ view: z.nullable(answerViewSchema) });
export type ResultsPersistedState = z.infer<typeof persistedStateSchema>;
