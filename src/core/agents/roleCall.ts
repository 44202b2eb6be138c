import type { z } from 'zod';
import type { LlmProvider } from '../router/provider';
import { runTask, type RunEvent, type TaskResult } from '../router/runTask';
import type { RouterSettings } from '../router/settings';
import type { ShownOnce } from '../router/shownOnce';
import type { ToolDefinition } from '../router/tools';
import type { SessionEventSink } from '../sessions/sink';
import type { Role } from './roles';
import { parseRoleOutput } from './schemas';

/** The router as the agents use it: the same providers, settings and session sink as every other task. */
export interface AgentRouter {
  local?: LlmProvider;
  cloud?: LlmProvider;
  settings?: Partial<RouterSettings>;
  sink?: SessionEventSink;
  shownNotices?: ShownOnce;
}

export interface StepUsage {
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  ms: number;
  calls: number;
}

export const zeroUsage = (): StepUsage => ({ tokensIn: 0, tokensOut: 0, costUsd: 0, ms: 0, calls: 0 });

export function addUsage(into: StepUsage, r: Pick<TaskResult, 'tokensIn' | 'tokensOut' | 'costUsd' | 'totalMs'>): void {
  into.tokensIn += r.tokensIn;
  into.tokensOut += r.tokensOut;
  into.costUsd = Math.round((into.costUsd + r.costUsd) * 1e6) / 1e6;
  into.ms += r.totalMs;
  into.calls += 1;
}

export type RoleCallResult<T> =
  | { ok: true; value: T; usage: StepUsage; attempts: number; last: TaskResult }
  | { ok: false; reason: string; usage: StepUsage; attempts: number };

export interface RoleCallInput<S extends z.ZodType> {
  role: Role;
  prompt: string;
  schema: S;
  /** Checks beyond the schema (findings on diff lines, files that exist); errors go back to the model too. */
  check?: (value: z.infer<S>) => Promise<string[]> | string[];
  tools?: readonly ToolDefinition[];
  /** Workspace-relative files for the session log. */
  files?: string[];
  /** Earlier turns (a retry with gaps continues the same conversation). */
  history?: TaskResult['conversation']['turns'];
}

/**
 * One role's model call through the router (routed by the role's preference, checked, escalated, masked, logged
 * as a `task`), its JSON answer parsed with the step's schema. An answer failing the schema or the checks goes
 * back once with the errors; a second failure, or a provider failure, ends with `ok: false` and a clear reason.
 */
export async function callRole<S extends z.ZodType>(
  router: AgentRouter,
  input: RoleCallInput<S>,
  opts: { signal?: AbortSignal; onEvent?: (e: RunEvent) => void } = {},
): Promise<RoleCallResult<z.infer<S>>> {
  const usage = zeroUsage();
  const tools = (input.tools ?? []).filter((t) => (input.role.tools as readonly string[]).includes(t.name));
  let history = input.history;
  let prompt = input.prompt;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await runTask(
      { prompt, system: input.role.prompt, command: input.role.name === 'reviewer' ? 'review' : 'ask', ...(history ? { history } : {}), ...(input.files?.length ? { files: input.files } : {}) },
      {
        ...router,
        tools,
        settings: { ...router.settings, mode: input.role.route, maxToolIterations: input.role.maxRounds },
      },
      opts,
    );
    addUsage(usage, result);
    if (result.error === 'cancelled' || opts.signal?.aborted) return { ok: false, reason: 'cancelled', usage, attempts: attempt };
    if (!result.answer.trim()) return { ok: false, reason: `the ${input.role.name} model gave no answer: ${result.error ?? 'empty reply'}`, usage, attempts: attempt };
    const parsed = parseRoleOutput(result.answer, input.schema);
    const errors = parsed.ok ? await (input.check?.(parsed.value) ?? []) : parsed.errors;
    if (parsed.ok && !errors.length) return { ok: true, value: parsed.value, usage, attempts: attempt, last: result };
    if (attempt === 2)
      return { ok: false, reason: `the ${input.role.name}'s output failed its schema twice: ${errors.slice(0, 5).join('; ')}`, usage, attempts: attempt };
    history = result.conversation.turns;
    prompt =
      `Your reply could not be accepted:\n${errors.map((e) => `- ${e}`).join('\n')}\n\n` +
      'Reply again with the complete corrected JSON in one fenced json block, nothing after it.';
  }
  /* c8 ignore next */
  return { ok: false, reason: 'unreachable', usage, attempts: 2 };
}
