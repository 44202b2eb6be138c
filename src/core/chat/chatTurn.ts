// One turn of a conversation on the router: the earlier turns go to the model as history, the route is decided on
// the whole conversation (so a harder follow-up re-routes, and says so), and the answer streams as answer-view
// events. The chat view and the `@llmgenie` chat participant both run turns through here.
import { doneEvent, failedResult, toAnswerEvent } from '../router/answerEvents';
import { newAnswerView, reduceAnswer, type AnswerEvent, type AnswerView } from '../router/answerView';
import type { RouterMode } from '../router/classifier';
import type { Turn } from '../router/conversation';
import type { ProviderId } from '../router/provider';
import { userMessage } from '../router/prompts';
import type { RunOptions, TaskInput, TaskResult } from '../router/runTask';
import { countLines } from '../router/budget';
import type { ChatChip, ChatThread, ChatTurn, TurnContext } from './thread';

/** The router as a turn needs it: the editor's runtime, or `runTask` with its deps in tests and the CLI. */
export type TurnRunner = (input: TaskInput, opts: RunOptions & { force?: 'local' | 'cloud' }) => Promise<TaskResult>;

export interface TurnRequest {
  /** The thread so far (for a re-run: including the turn being re-run). */
  thread: Pick<ChatThread, 'turns'>;
  /** The new turn's id (a re-run keeps the turn's own id). */
  id: string;
  text: string;
  context?: TurnContext;
  /** The document the context came from, for its chip. */
  contextUri?: string;
  /** The router mode in force; `force` overrides it for this turn (Re-run on Claude / Try locally). */
  mode: RouterMode;
  force?: 'local' | 'cloud';
  models: Record<ProviderId, string>;
  now?: () => number;
}

export interface TurnHooks {
  signal?: AbortSignal;
  /** The turn's view before anything streams (show it at once). */
  onStart?(view: AnswerView): void;
  onEvent?(event: AnswerEvent): void;
}

/** Earlier turns as the model reads them: each question with the code it carried, then its answer. */
export function historyOf(turns: readonly ChatTurn[]): Turn[] {
  return turns.flatMap((t): Turn[] => {
    const answer = t.answer.answer.trim();
    // A failed or stopped turn had no answer: leaving it out keeps the conversation user/assistant alternating.
    if (!answer || t.answer.status === 'failed') return [];
    const c = t.context;
    return [
      { role: 'user', content: userMessage(t.text, c?.text, c?.fileName, c?.language) },
      { role: 'assistant', content: t.answer.answer },
    ];
  });
}

/**
 * The router task for a turn: this turn's words and code are the request, the earlier turns its history, and the
 * route is decided on the whole conversation: every turn's words and every distinct piece of code; once Claude has
 * answered, the conversation stays on Claude (Auto mode) until the user tries the local model.
 */
export function turnTask(before: readonly ChatTurn[], id: string, text: string, context?: TurnContext): TaskInput {
  const codes = [...new Set([...before.map((t) => t.context?.text), context?.text].filter((c): c is string => !!c?.trim()))];
  // Newest first: the follow-up is read as the request, the earlier turns as its background (their risks count).
  const words = [text, ...before.map((t) => t.text).reverse()].map((w) => w.trim()).filter(Boolean);
  const last = before.filter((t) => answeredBy(t)).at(-1);
  const language = context?.language ?? [...before].reverse().find((t) => t.context?.language)?.context?.language;
  const fileName = context?.fileName ?? [...before].reverse().find((t) => t.context)?.context?.fileName;
  const files = [...new Set([...before.map((t) => t.context?.fileName), context?.fileName].filter((f): f is string => !!f))];
  return {
    id,
    command: 'ask',
    prompt: text,
    instruction: text,
    ...(context ? { context: context.text, fileName: context.fileName, contextScope: context.scope, ...(context.firstLine ? { contextFirstLine: context.firstLine } : {}) } : {}),
    ...(language ? { language } : {}),
    ...(!context && fileName ? { fileName } : {}),
    ...(files.length ? { files } : {}),
    history: historyOf(before),
    routeOn: {
      instruction: words.join('\n'),
      ...(codes.length ? { context: codes.join('\n\n') } : {}),
      ...(last && answeredBy(last) === 'anthropic' ? { keepCloud: 'the conversation is already on Claude' } : {}),
    },
  };
}

/** Who answered a turn in the end, if it was answered. */
function answeredBy(t: ChatTurn): ProviderId | undefined {
  return t.answer.status === 'done' ? t.answer.metrics?.provider : undefined;
}

/**
 * What the user should know when a follow-up's route differs from the turns before: a turn on Claude after local
 * turns (the conversation got harder), or back on the local model. Nothing for the first turn or a forced one. The
 * route's own summary (why, in words) is shown beside it.
 */
export function routeNote(before: readonly ChatTurn[], route: 'local' | 'cloud', forced: boolean): string | undefined {
  if (forced) return undefined;
  const answered = before.filter((t) => answeredBy(t));
  const last = answered.at(-1);
  if (!last) return undefined;
  const now: ProviderId = route === 'local' ? 'ollama' : 'anthropic';
  if (answeredBy(last) === now) return undefined;
  if (now === 'anthropic') {
    const locals = answered.filter((t) => answeredBy(t) === 'ollama').length;
    return `Re-routed to Claude: this follow-up makes the conversation harder than the ${locals} earlier local turn${locals === 1 ? '' : 's'}. Claude reads the whole conversation.`;
  }
  return 'Back on the local model: the conversation so far is routine enough for it.';
}

/** Chips for what a turn was about: the code it carried, and what the model looked up while answering. */
export function turnChips(context: TurnContext | undefined, uri: string | undefined, toolCalls: AnswerView['toolCalls']): ChatChip[] {
  const chips: ChatChip[] = [];
  if (context) {
    const lines = countLines(context.text);
    const first = context.firstLine ?? 1;
    const label = context.scope === 'selection' ? `${context.fileName}:${first === first + lines - 1 ? first : `${first}–${first + lines - 1}`}` : `${context.fileName} (whole file)`;
    chips.push({ kind: context.scope, label, ...(uri ? { uri } : {}) });
  }
  for (const call of toolCalls) {
    let input: Record<string, unknown> = {};
    try {
      input = JSON.parse(call.input) as Record<string, unknown>;
    } catch {
      // a shortened input: fall back to the raw line
    }
    const chip: ChatChip | undefined =
      call.name === 'search_lessons'
        ? { kind: 'lessons', label: `lessons: ${typeof input.query === 'string' ? input.query : call.input}` }
        : call.name === 'read_file'
          ? { kind: 'read', label: `read ${typeof input.path === 'string' ? input.path : call.input}` }
          : undefined;
    if (chip && !chips.some((c) => c.label === chip.label)) chips.push(chip);
  }
  return chips;
}

/**
 * Runs one turn (or re-runs an existing one, `req.id` naming it: its history is the turns before it) and returns
 * it finished. Never throws for a provider failure: the turn ends failed, with the reason in its view.
 */
export async function runChatTurn(req: TurnRequest, run: TurnRunner, hooks: TurnHooks = {}): Promise<ChatTurn> {
  const now = req.now ?? Date.now;
  const at = now();
  const index = req.thread.turns.findIndex((t) => t.id === req.id);
  const before = index >= 0 ? req.thread.turns.slice(0, index) : req.thread.turns;
  const previous = index >= 0 ? req.thread.turns[index] : undefined;
  const mode: RouterMode = req.force ?? req.mode;
  const chips = turnChips(req.context, req.contextUri, []);
  let view = newAnswerView({ id: req.id, title: 'Chat', label: chips[0]?.label ?? 'no code', mode, models: req.models, startedAt: at });
  // A re-run keeps the answer it replaces, marked as superseded, so the user can compare the two.
  if (previous?.answer.answer.trim() && previous.answer.metrics)
    view = { ...view, drafts: [...previous.answer.drafts, { provider: previous.answer.metrics.provider, text: previous.answer.answer, reason: 'replaced at your request' }].slice(-3) };
  hooks.onStart?.(view);
  let note: string | undefined;
  const apply = (e: AnswerEvent): void => {
    view = reduceAnswer(view, e);
    hooks.onEvent?.(e);
  };
  if (req.force) apply({ kind: 'notice', level: 'info', message: req.force === 'cloud' ? 'Re-run on Claude at your request.' : 'Trying the local model at your request.' });
  // Code the conversation already holds is not sent again: the model reads it in the history.
  const repeated = req.context && before.some((t) => t.context?.text === req.context!.text && t.context.fileName === req.context!.fileName && historyOf([t]).length);
  const context = repeated ? undefined : req.context;
  const input = turnTask(before, req.id, req.text, context);
  let result: TaskResult;
  try {
    result = await run(input, {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(req.force ? { force: req.force } : {}),
      onEvent: (e) => {
        const ev = toAnswerEvent(e);
        if (!ev) return;
        apply(ev);
        if (ev.kind === 'route') {
          note = routeNote(before, ev.route, !!req.force || req.mode !== 'auto');
          if (note) apply({ kind: 'notice', level: 'info', message: note });
        }
      },
    });
  } catch (e) {
    apply({ kind: 'notice', level: 'error', message: `Internal error: ${(e as Error).message}` });
    result = failedResult(mode, req.models.ollama, e);
  }
  apply(doneEvent(result));
  return {
    id: req.id,
    at: previous?.at ?? at,
    text: req.text,
    ...(context ? { context } : {}),
    chips: turnChips(req.context, req.contextUri, view.toolCalls),
    answer: view,
    ...(note ? { note } : {}),
    routing: { score: result.routing.score, threshold: result.routing.threshold, language: result.routing.language },
  };
}
