// The results view's model: one task's route, streamed answer, superseded drafts, notices and final figures. The
// host and the webview apply the same events with `reduceAnswer`, so the host always holds what the view shows
// and can send it whole after a reload.
import type { TaskEventPayload } from '../sessions/sink';
import type { TaskFailureCard } from './failure';
import type { ProviderId } from './provider';

export type AnswerStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** The task's final figures, as the session log records them. */
export type AnswerMetrics = Pick<
  TaskEventPayload,
  | 'provider' | 'model' | 'tokensIn' | 'tokensOut' | 'costUsd' | 'cloudCostUsd' | 'ttftMs' | 'totalMs' | 'ok' | 'error' | 'escalated' | 'escalationReason'
  | 'localTokensIn' | 'localTokensOut' | 'cloudTokensIn' | 'cloudTokensOut' | 'extraCostUsd'
>;

/** Why the task went where it went: the classifier's figures and, in the user's terms, the summary. */
export interface AnswerRoute {
  route: 'local' | 'cloud';
  score: number;
  reasons: string[];
  /** "Rust, unsafe pointer code, 140 lines → Claude". */
  summary?: string;
  /** The router was unsure: local first, strictest checks. */
  uncertain?: boolean;
  /** This workspace's feedback moved the route: why. */
  calibration?: string;
}

/** Where a code block can go back to: the document and the selection the task was about. */
export interface AnswerSource {
  uri: string;
  start: number;
  end: number;
  original: string;
  scope: 'selection' | 'file';
}

export interface AnswerView {
  id: string;
  /** Command title, e.g. "Explain". */
  title: string;
  /** What was sent, e.g. "src/billing.ts:3–7". */
  label: string;
  status: AnswerStatus;
  mode: 'auto' | 'local' | 'cloud';
  models: Record<ProviderId, string>;
  route?: AnswerRoute;
  /** Who is answering now (changes on escalation / fallback). */
  provider?: ProviderId;
  answer: string;
  /** Answers superseded by a switch, newest last, kept so the user can see what was rejected. */
  drafts: Array<{ provider: ProviderId; text: string; reason: string }>;
  banners: Array<{ level: 'info' | 'warning' | 'error'; message: string }>;
  toolCalls: Array<{ provider: ProviderId; name: string; input: string }>;
  metrics?: AnswerMetrics;
  /** Why the task ended without an answer, and the fix: shown once, as a card, instead of banners and toasts. */
  failure?: TaskFailureCard;
  source?: AnswerSource;
  /** Epoch ms, for "running for …". */
  startedAt: number;
}

export type AnswerEvent =
  | ({ kind: 'route' } & AnswerRoute)
  | { kind: 'delta'; text: string; provider: ProviderId }
  | { kind: 'notice'; message: string; level: 'info' | 'warning' | 'error' }
  | { kind: 'switch'; from: ProviderId; to: ProviderId; reason: string }
  | { kind: 'toolCall'; provider: ProviderId; name: string; input: string }
  | { kind: 'failure'; failure: TaskFailureCard }
  | { kind: 'done'; metrics: AnswerMetrics; answer: string };

export const MAX_ANSWER_CHARS = 400_000;
const MAX_DRAFTS = 3;
const MAX_DRAFT_CHARS = 50_000;
const MAX_BANNERS = 20;
const MAX_TOOL_CALLS = 40;

export function newAnswerView(init: Omit<AnswerView, 'status' | 'answer' | 'drafts' | 'banners' | 'toolCalls'>): AnswerView {
  return { ...init, status: 'running', answer: '', drafts: [], banners: [], toolCalls: [] };
}

/** Pure: returns a new view; events after the task ended are ignored except a repeated 'done'. */
export function reduceAnswer(view: AnswerView, event: AnswerEvent): AnswerView {
  if (view.status !== 'running' && event.kind !== 'done') return view;
  switch (event.kind) {
    case 'route': {
      const { kind: _k, ...route } = event;
      return { ...view, route, provider: view.provider ?? (event.route === 'local' ? 'ollama' : 'anthropic') };
    }
    case 'delta':
      return { ...view, provider: event.provider, answer: (view.answer + event.text).slice(0, MAX_ANSWER_CHARS) };
    case 'notice':
      if (view.banners.some((b) => b.message === event.message)) return view;
      return { ...view, banners: [...view.banners, { level: event.level, message: event.message }].slice(-MAX_BANNERS) };
    case 'switch': {
      const drafts = view.answer.trim()
        ? [...view.drafts, { provider: event.from, text: view.answer.slice(0, MAX_DRAFT_CHARS), reason: event.reason }].slice(-MAX_DRAFTS)
        : view.drafts;
      return { ...view, drafts, answer: '', provider: event.to };
    }
    case 'toolCall':
      return { ...view, toolCalls: [...view.toolCalls, { provider: event.provider, name: event.name, input: event.input }].slice(-MAX_TOOL_CALLS) };
    case 'failure':
      // The card says it: the same message as a banner would be the second copy.
      return { ...view, failure: event.failure, banners: view.banners.filter((b) => b.message !== event.failure.message) };
    case 'done': {
      const m = event.metrics;
      const status: AnswerStatus = m.error === 'cancelled' ? 'cancelled' : event.answer.trim() || view.answer.trim() ? 'done' : 'failed';
      return { ...view, status, metrics: m, provider: m.provider, answer: (event.answer || view.answer).slice(0, MAX_ANSWER_CHARS) };
    }
  }
}
