import type { Clock } from '../../../src/core/platform/clock';
import type { SessionEvent } from '../../../src/core/sessions/events';
import type { SessionEventInput, TaskEventPayload } from '../../../src/core/sessions/sink';

/** A clock that starts at `iso` and advances `stepMs` on every read, so event times are distinct and ordered. */
export function steppingClock(iso: string, stepMs = 1000): Clock & { set(iso: string): void } {
  let t = Date.parse(iso);
  return {
    now: () => {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
    set: (next: string) => {
      t = Date.parse(next);
    },
  };
}

export function task(over: Partial<TaskEventPayload> = {}): TaskEventPayload {
  return {
    command: 'explain',
    route: 'local',
    mode: 'auto',
    reasons: ['short prompt'],
    provider: 'ollama',
    model: 'qwen2.5-coder:7b',
    escalated: false,
    tokensIn: 100,
    tokensOut: 50,
    costUsd: 0,
    cloudCostUsd: 0.5,
    totalMs: 100,
    ok: true,
    ...over,
  };
}

let n = 0;
/** A stored event as a reader would return it. */
export function ev(time: string, e: SessionEventInput): SessionEvent {
  return { v: 1, id: `e${++n}`, time, ...e } as SessionEvent;
}
