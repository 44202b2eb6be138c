import type { RouteDecision, RouteOverride, RouterMode, RoutingTask } from './classifier';
import { fitTaskContext, modelBudget, type FittableTask, type ModelBudget } from './budget';
import type { RoutingFeedback } from './feedback';
import { recordEscalation, routeTask, type RoutingInfo } from './taskRoute';
import { formatCost } from './taskSummary';
import { TaskTally } from './taskAccounting';
import type { SessionEventSink, TaskEventPayload } from '../sessions/sink';
import { NO_KEY_MESSAGE } from './anthropicProvider';
import { redactConversation, redactForCloud, type Redactor } from './cloudGuard';
import type { Conversation, ToolCall } from './conversation';
import { ProviderError, isProviderError, type ProviderErrorReason } from './errors';
import { priceOf, pricing as shippedPricing, type Pricing } from './pricing';
import { buildConversation, escalationTurn, normaliseCommand, systemPrompt, type TaskConversationInput } from './prompts';
import type { LlmProvider, ProviderId } from './provider';
import { checkAnswer, languageOfFile } from './quality';
import { DEFAULT_ROUTER_SETTINGS, type RouterSettings } from './settings';
import { runToolLoop, type LoopResult } from './toolLoop';
import type { ToolDefinition } from './tools';
import { providerProblemKey, type ShownOnce } from './shownOnce';
import { count } from '../text/plural';

export interface TaskInput extends TaskConversationInput, FittableTask {
  /** The caller's id for the task (the answer view's), so feedback about it is recorded once. */
  id?: string;
  /** Workspace-relative files the task is about, for the session log. */
  files?: string[];
  /**
   * The user's own words (an editor command's optional instruction; '' when there is none). The route is decided
   * on them, the command and the code; `prompt` is what the model is asked. Absent: the prompt is the user's words.
   */
  instruction?: string;
  /**
   * A conversation's follow-up: the route is decided on the whole conversation (every turn's words and code), not
   * on this turn alone, so a harder follow-up re-routes. `prompt`, `context` and `history` are still what is sent.
   */
  routeOn?: {
    instruction: string;
    context?: string;
    /** Auto mode: why the conversation stays on Claude even if this turn alone would not need it. */
    keepCloud?: string;
  };
}

export interface RouterDeps {
  /** Ollama; undefined when no local model is configured. */
  local?: LlmProvider;
  /** Claude; an AnthropicProvider without a key fails with 'no-key', which the router explains. */
  cloud?: LlmProvider;
  settings?: Partial<RouterSettings>;
  sink?: SessionEventSink;
  tools?: readonly ToolDefinition[];
  /** One-time notice keys already shown this session (the caller keeps the set between tasks). */
  shownNotices?: ShownOnce;
  decide?: (task: RoutingTask, mode: RouterMode, overrides?: Record<string, RouteOverride>) => RouteDecision;
  /** This workspace's routing feedback: its calibration adjusts the route (Auto mode), escalations are recorded. */
  feedback?: RoutingFeedback;
  redact?: Redactor;
  pricing?: Pricing;
  now?: () => number;
}

/**
 * What the caller sees while a task runs. After a 'switch' event, text streamed so far is superseded: the answer
 * that follows comes from the other provider (escalation of a weak local draft, or fallback when one side fails).
 */
export type RunEvent =
  | { kind: 'route'; route: 'local' | 'cloud'; score: number; reasons: string[]; mode: RouterMode; routing: RoutingInfo }
  | { kind: 'delta'; text: string; provider: ProviderId }
  | { kind: 'notice'; message: string; level: 'info' | 'warning' }
  | { kind: 'switch'; from: ProviderId; to: ProviderId; reason: string }
  | { kind: 'toolCall'; provider: ProviderId; call: ToolCall };

/** `ttftMs` is the first streamed text of the task from either provider: what the user saw first. */
export interface TaskResult extends TaskEventPayload {
  answer: string;
  notices: string[];
  /** Secrets masked in what was sent to Claude (highest count over the task's calls). */
  redactedSecrets: number;
  /** Why the final answer failed its checks, when it was kept anyway (forced Local, or escalation impossible). */
  qualityReasons?: string[];
  conversation: Conversation;
  routing: RoutingInfo;
  /** The provider error that ended a task without an answer (not logged: the log keeps the one-line `error`). */
  failure?: FailedCall;
}

/** What `describeFailure` needs of the error that ended a task; `both` when neither side could answer. */
export interface FailedCall {
  provider: ProviderId;
  reason: ProviderErrorReason;
  message: string;
  status?: number;
  availableModels?: readonly string[];
  both?: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

/** Cloud failures that make the local model the better answer than none (in Auto mode). */
const CLOUD_FALLBACK = new Set(['overloaded', 'rate-limited', 'timeout', 'unreachable', 'server-error', 'no-key', 'blocked']);

interface Final {
  provider: LlmProvider | undefined;
  answer: string;
  conversation: Conversation;
  escalationReason?: string;
  qualityReasons?: string[];
  error?: string;
  failure?: FailedCall;
}

/**
 * Runs one editor task end to end: route the whole task (classifier + mode + per-command overrides + this
 * workspace's calibration), cut its context once for the model that will read it, stream the answer, check a
 * local answer (strictest in the uncertain band) and escalate a weak one to Claude with the whole task re-fitted
 * to Claude's window, fall back across providers when one side is down, mask secrets before every Claude call, and
 * append a `task` event with tokens, cost and what it would have cost all on Claude.
 * Provider failures never throw: they end as a result with `ok: false` and a one-line `error`.
 */
export async function runTask(input: TaskInput, deps: RouterDeps, opts: RunOptions = {}): Promise<TaskResult> {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  const settings: RouterSettings = { ...DEFAULT_ROUTER_SETTINGS, ...deps.settings };
  const table = deps.pricing ?? shippedPricing;
  const redact = deps.redact ?? redactForCloud;
  const emit = opts.onEvent ?? (() => {});
  const command = normaliseCommand(input.command);
  const tools = deps.tools ?? [];
  const { local, cloud } = deps;
  const strict = settings.mode !== 'auto';
  const fileLanguage = input.language ?? (input.fileName ? languageOfFile(input.fileName) : undefined);
  const full: TaskInput = { ...input, ...(fileLanguage ? { language: fileLanguage } : {}) };

  const notices: string[] = [];
  const notice = (message: string, level: 'info' | 'warning' = 'info', onceKey?: string): void => {
    if (onceKey) {
      if (deps.shownNotices?.has(onceKey)) return;
      deps.shownNotices?.add(onceKey);
    }
    notices.push(message);
    emit({ kind: 'notice', message, level });
  };

  const { decision, routing } = await routeTask(full, command, settings, deps, notice);
  emit({ kind: 'route', route: decision.route, score: decision.score, reasons: decision.reasons, mode: settings.mode, routing });

  let ttftMs: number | undefined;
  const tally = new TaskTally(table, cloud?.model ?? table.defaultCloudModel);
  let redacted = 0;
  let lastProvider: LlmProvider | undefined;

  // The context is cut here and only here: once per provider, from the whole task, for that provider's window.
  const prepared = new Map<ProviderId, Promise<{ budget: ModelBudget; conversation: Conversation }>>();
  const prepare = (provider: LlmProvider): Promise<{ budget: ModelBudget; conversation: Conversation }> => {
    let p = prepared.get(provider.id);
    if (!p) {
      p = (async () => {
        const budget = modelBudget(await provider.contextWindow(opts.signal), settings.maxOutputTokens);
        const fitted = fitTaskContext(full, budget, systemPrompt(command, tools.length > 0));
        if (fitted.truncated) notice(`Context cut to fit ${provider.model}'s window: ${fitted.truncated}`);
        return { budget, conversation: buildConversation(fitted.task, tools.length > 0) };
      })();
      prepared.set(provider.id, p);
    }
    return p;
  };

  const run = async (provider: LlmProvider, conv?: Conversation): Promise<LoopResult> => {
    lastProvider = provider;
    const isCloud = provider.id === 'anthropic';
    const { budget, conversation } = await prepare(provider);
    return runToolLoop(provider, conv ?? conversation, {
      signal: opts.signal,
      tools,
      budget,
      maxIterations: settings.maxToolIterations,
      onText: (text) => {
        ttftMs ??= now() - t0;
        emit({ kind: 'delta', text, provider: provider.id });
      },
      onToolCall: (call) => emit({ kind: 'toolCall', provider: provider.id, call }),
      onUsage: (u) => tally.add(provider, u),
      onBudget: (b) =>
        notice(`Left out ${count(b.droppedTurns, 'older turn')}${b.summarised ? ' (summarised)' : ''} to fit ${provider.model}'s context window`),
      prepare: isCloud ? guard : undefined,
    });
  };

  const guard = (conv: Conversation): Conversation => {
    const r = redactConversation(conv, redact);
    if (r.count && settings.secrets === 'block')
      throw new ProviderError('blocked', `Not sent to Claude: ${count(r.count, 'secret')} found (${r.kinds.join(', ')}) and secrets are set to "block"`, 'anthropic');
    if (r.count > redacted) {
      notice(`Masked ${count(r.count, 'secret')} (${r.kinds.join(', ')}) before sending to Claude`, 'warning');
      redacted = r.count;
    }
    return r.conversation;
  };

  const check = async (r: LoopResult, strictest: boolean): Promise<string[]> => {
    const q = await checkAnswer({ answer: r.answer, command, fileLanguage, doneReason: r.doneReason, ...(strictest ? { strict: true, context: full.context } : {}) });
    if (r.doneReason === 'tool-limit') q.reasons.push(`tool loop did not finish within ${settings.maxToolIterations} model calls`);
    return q.reasons;
  };
  const unavailable = (what: ProviderId, reason: string): ProviderError =>
    what === 'ollama'
      ? new ProviderError('unreachable', `No local model is configured (${reason})`, 'ollama')
      : new ProviderError('no-key', NO_KEY_MESSAGE, 'anthropic');
  const bothDownErrors = new WeakSet<ProviderError>();
  const bothDown = (l: ProviderError, c: ProviderError): ProviderError => {
    const e = new ProviderError(
      c.reason,
      `${l.message}; and Claude is not available either: ${c.message}. ` +
        (c.reason === 'no-key' ? 'Start Ollama (`ollama serve`) or set an Anthropic API key.' : ''),
      c.provider,
      c.availableModels,
      c.status,
    );
    bothDownErrors.add(e);
    return e;
  };

  async function localFirst(): Promise<Final> {
    let r: LoopResult;
    try {
      if (!local) throw unavailable('ollama', 'route was local');
      r = await run(local);
    } catch (e) {
      if (!isProviderError(e) || e.reason === 'cancelled' || strict || !cloud) throw e;
      notice(`${e.message}. Sending to Claude instead.`, 'warning', providerProblemKey(e, local?.model));
      emit({ kind: 'switch', from: 'ollama', to: 'anthropic', reason: e.message });
      try {
        const c = await run(cloud);
        return { provider: cloud, answer: c.answer, conversation: c.conversation, escalationReason: `local model unavailable (${e.reason})` };
      } catch (ce) {
        if (isProviderError(ce) && ce.reason !== 'cancelled') throw bothDown(e, ce);
        throw ce;
      }
    }
    const reasons = await check(r, routing.uncertain && !strict);
    if (!reasons.length) return { provider: local, answer: r.answer, conversation: r.conversation };
    const why = reasons.join('; ');
    if (strict || !cloud) {
      notice(`Local answer failed checks: ${why}${strict ? ' (mode is Local: not escalating)' : ''}`, 'warning');
      return { provider: local, answer: r.answer, conversation: r.conversation, qualityReasons: reasons };
    }
    notice(`Local answer failed checks (${why}); escalating to Claude.`, 'warning');
    emit({ kind: 'switch', from: 'ollama', to: 'anthropic', reason: why });
    await recordEscalation(deps, full, command, routing, why, notice);
    // Claude re-reads the whole task fitted to its own window (not the local model's cut), then the local tool
    // rounds and draft, ending on a plain-text assistant turn so it sees a finished turn, then why it was rejected.
    const claudeTask = (await prepare(cloud)).conversation;
    const history = full.history?.length ?? 0;
    const localTurns = r.conversation.turns.slice(history + 1);
    const last = localTurns.at(-1);
    const draftTurns = last?.role === 'assistant' && !last.toolCalls?.length && last.content.trim() ? localTurns : [...localTurns, { role: 'assistant' as const, content: '(no answer)' }];
    const added = [...draftTurns, escalationTurn(r.answer, reasons)];
    tally.escalatedWith(added);
    const escalated: Conversation = { ...claudeTask, turns: [...claudeTask.turns, ...added] };
    try {
      const c = await run(cloud, escalated);
      return { provider: cloud, answer: c.answer, conversation: c.conversation, escalationReason: why };
    } catch (ce) {
      if (!isProviderError(ce) || ce.reason === 'cancelled') throw ce;
      notice(`Could not escalate to Claude (${ce.message}); showing the local answer.`, 'warning');
      emit({ kind: 'switch', from: 'anthropic', to: 'ollama', reason: ce.message });
      // The local draft was superseded by the switch; send it again so the caller shows it as the answer.
      emit({ kind: 'delta', text: r.answer, provider: 'ollama' });
      return { provider: local, answer: r.answer, conversation: r.conversation, qualityReasons: reasons };
    }
  }

  async function cloudFirst(): Promise<Final> {
    try {
      if (!cloud) throw unavailable('anthropic', 'route was cloud');
      const c = await run(cloud);
      return { provider: cloud, answer: c.answer, conversation: c.conversation };
    } catch (e) {
      if (!isProviderError(e) || e.reason === 'cancelled' || strict || !local || !CLOUD_FALLBACK.has(e.reason)) throw e;
      notice(`${e.message}. Answering with the local model instead.`, 'warning', providerProblemKey(e));
      emit({ kind: 'switch', from: 'anthropic', to: 'ollama', reason: e.message });
      let r: LoopResult;
      try {
        r = await run(local);
      } catch (le) {
        if (isProviderError(le) && le.reason !== 'cancelled') throw bothDown(le, e);
        throw le;
      }
      const reasons = await check(r, false);
      if (reasons.length) notice(`Local answer failed checks: ${reasons.join('; ')}`, 'warning');
      return { provider: local, answer: r.answer, conversation: r.conversation, ...(reasons.length ? { qualityReasons: reasons } : {}) };
    }
  }

  let final: Final;
  try {
    final = decision.route === 'local' ? await localFirst() : await cloudFirst();
  } catch (e) {
    if (!isProviderError(e)) throw e;
    if (e.reason !== 'cancelled') notice(e.message, 'warning');
    const failure: FailedCall = {
      provider: e.provider, reason: e.reason, message: e.message,
      ...(e.status !== undefined ? { status: e.status } : {}), ...(e.availableModels ? { availableModels: e.availableModels } : {}),
      ...(bothDownErrors.has(e) ? { both: true } : {}),
    };
    final = { provider: lastProvider, answer: '', conversation: { turns: [] }, error: e.reason === 'cancelled' ? 'cancelled' : e.message, ...(e.reason !== 'cancelled' ? { failure } : {}) };
  }

  // What Claude would have been sent, had the task gone to it directly (no Claude call is made for it).
  const claudeWindow = priceOf(tally.baselineModel, table)?.contextWindow ?? 200_000;
  const claudeTask = buildConversation(fitTaskContext(full, modelBudget(claudeWindow, settings.maxOutputTokens), systemPrompt(command, tools.length > 0)).task, tools.length > 0);
  const escalated = final.escalationReason !== undefined;
  const spend = tally.spend(claudeTask, escalated && tally.escalationTokens > 0);
  if (spend.extraCostUsd) notice(`Escalating cost ${formatCost(spend.extraCostUsd)} more than sending this task to Claude directly.`);

  const provider = final.provider ?? (decision.route === 'local' ? local : cloud);
  const result: TaskResult = {
    command,
    route: decision.route,
    mode: settings.mode,
    reasons: decision.reasons,
    provider: provider?.id ?? (decision.route === 'local' ? 'ollama' : 'anthropic'),
    model: provider?.model ?? '',
    escalated,
    ...(final.escalationReason !== undefined ? { escalationReason: final.escalationReason } : {}),
    tokensIn: spend.localTokensIn + spend.cloudTokensIn,
    tokensOut: spend.localTokensOut + spend.cloudTokensOut,
    ...spend,
    ...(ttftMs !== undefined ? { ttftMs: round1(ttftMs) } : {}),
    totalMs: round1(now() - t0),
    ok: !final.error && !final.qualityReasons,
    ...(final.error ? { error: final.error } : final.qualityReasons ? { error: `answer failed checks: ${final.qualityReasons.join('; ')}` } : {}),
    ...(input.files?.length ? { files: input.files } : input.fileName ? { files: [input.fileName] } : {}),
    answer: final.answer,
    notices,
    redactedSecrets: redacted,
    ...(final.qualityReasons ? { qualityReasons: final.qualityReasons } : {}),
    ...(final.failure ? { failure: final.failure } : {}),
    conversation: final.conversation,
    routing,
  };
  if (deps.sink) {
    try {
      await deps.sink.append({ type: 'task', payload: toPayload(result) });
    } catch (e) {
      notice(`Could not write the session log: ${(e as Error).message}`, 'warning');
    }
  }
  return result;
}

/** Only the logged fields: never the answer or conversation (they may hold code and secrets). */
export function toPayload(r: TaskResult): TaskEventPayload {
  const { answer: _a, notices: _n, redactedSecrets: _r, qualityReasons: _q, conversation: _c, routing: _g, failure: _f, ...payload } = r;
  return payload;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
