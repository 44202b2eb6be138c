// Router events as the answer view's events: one conversion for the results panel, the chat view and the chat
// participant, so every face shows a task the same way.
import type { AnswerEvent } from './answerView';
import type { RouterMode } from './classifier';
import type { RunEvent, TaskResult } from './runTask';
import { oneLine } from './taskSummary';

/** Router events as the results view's events (tool inputs as one short line). */
export function toAnswerEvent(e: RunEvent): AnswerEvent | undefined {
  switch (e.kind) {
    case 'route':
      return {
        kind: 'route', route: e.route, score: e.score, reasons: e.reasons, summary: oneLine(e.routing.summary, 400),
        ...(e.routing.uncertain ? { uncertain: true } : {}), ...(e.routing.calibration ? { calibration: oneLine(e.routing.calibration, 400) } : {}),
      };
    case 'delta':
      return e.text ? { kind: 'delta', text: e.text, provider: e.provider } : undefined;
    case 'notice':
      return { kind: 'notice', message: e.message, level: e.level };
    case 'switch':
      return { kind: 'switch', from: e.from, to: e.to, reason: oneLine(e.reason, 400) };
    case 'toolCall':
      return { kind: 'toolCall', provider: e.provider, name: e.call.name, input: oneLine(JSON.stringify(e.call.input), 300) };
  }
}

export function doneEvent(r: TaskResult): AnswerEvent {
  return {
    kind: 'done',
    answer: r.answer,
    metrics: {
      provider: r.provider, model: r.model, tokensIn: r.tokensIn, tokensOut: r.tokensOut, costUsd: r.costUsd, cloudCostUsd: r.cloudCostUsd,
      ...(r.localTokensIn !== undefined ? { localTokensIn: r.localTokensIn, localTokensOut: r.localTokensOut ?? 0, cloudTokensIn: r.cloudTokensIn ?? 0, cloudTokensOut: r.cloudTokensOut ?? 0 } : {}),
      ...(r.extraCostUsd !== undefined ? { extraCostUsd: r.extraCostUsd } : {}),
      ...(r.ttftMs !== undefined ? { ttftMs: r.ttftMs } : {}), totalMs: r.totalMs, ok: r.ok, ...(r.error ? { error: oneLine(r.error, 1000) } : {}),
      escalated: r.escalated, ...(r.escalationReason ? { escalationReason: oneLine(r.escalationReason, 1000) } : {}),
    },
  };
}

/** A result for a task that threw before the router could produce one (a bug, or a provider setup failure). */
export function failedResult(mode: RouterMode, localModel: string, e: unknown): TaskResult {
  return {
    command: 'ask', route: 'local', mode, reasons: [], provider: 'ollama', model: localModel, escalated: false,
    tokensIn: 0, tokensOut: 0, costUsd: 0, cloudCostUsd: 0, totalMs: 0, ok: false, error: (e as Error).message ?? String(e),
    answer: '', notices: [], redactedSecrets: 0, conversation: { turns: [] },
    routing: { score: 0, threshold: 0, language: 'none', uncertain: false, summary: 'not routed (internal error)' },
  };
}
