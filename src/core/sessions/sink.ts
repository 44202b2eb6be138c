/**
 * The contract every feature writes session events through (router tasks, policy runs, handoff validations,
 * decisions, lessons, later agents). The store in this folder implements it over append-only JSONL; tests and
 * callers that do not log pass `nullSink`.
 */
export interface SessionEventSink {
  append(event: SessionEventInput): Promise<void>;
}

export type SessionEventInput =
  | { type: 'task'; payload: TaskEventPayload }
  | { type: 'policy'; payload: PolicyEventPayload }
  | { type: 'handoff'; payload: HandoffEventPayload }
  | { type: 'decision'; payload: DecisionEventPayload }
  | { type: 'lesson'; payload: LessonEventPayload }
  | { type: 'note'; payload: { message: string; [k: string]: unknown } };

export interface TaskEventPayload {
  command: string;
  route: 'local' | 'cloud';
  mode: 'auto' | 'local' | 'cloud';
  reasons: string[];
  provider: 'ollama' | 'anthropic';
  model: string;
  escalated: boolean;
  escalationReason?: string;
  tokensIn: number;
  tokensOut: number;
  /** The split of tokensIn / tokensOut between the local model and Claude (absent in logs before Router v2). */
  localTokensIn?: number;
  localTokensOut?: number;
  cloudTokensIn?: number;
  cloudTokensOut?: number;
  /** USD; local runs cost 0. */
  costUsd: number;
  /**
   * What the task would have cost sent to the default cloud model directly, from the tokens Claude would have
   * seen (never the local model's): the base for "savings", so an escalation shows as a loss.
   */
  cloudCostUsd: number;
  /** An escalated task: what trying locally first cost beyond sending it to Claude directly. */
  extraCostUsd?: number;
  ttftMs?: number;
  totalMs: number;
  ok: boolean;
  error?: string;
  files?: string[];
}

export interface PolicyEventPayload {
  source: 'editor' | 'cli' | 'mcp';
  files: number;
  findings: number;
  byRule: Record<string, number>;
  bySeverity: Record<string, number>;
}

export interface HandoffEventPayload {
  path: string;
  score: number;
  passed: boolean;
  gaps: number;
  action: 'validate' | 'create';
}

export interface DecisionEventPayload {
  title: string;
  decision: string;
  file?: string;
}

export interface LessonEventPayload {
  id: string;
  title: string;
  action: 'add' | 'update' | 'delete';
}

export const nullSink: SessionEventSink = { append: async () => {} };

/** Where an appended event landed, so a decision or report can link to it. */
export interface EventLocation {
  sessionId: string;
  /** The session file the event is in, relative to the workspace root, '/'-separated. */
  file: string;
  eventId: string;
}

/** A sink that can report where each event landed (the JSONL store and the CLI sink do; `nullSink` does not). */
export interface LocatingSessionEventSink extends SessionEventSink {
  appendLocated(event: SessionEventInput): Promise<EventLocation | undefined>;
}

export function isLocatingSink(sink: SessionEventSink): sink is LocatingSessionEventSink {
  return typeof (sink as Partial<LocatingSessionEventSink>).appendLocated === 'function';
}
