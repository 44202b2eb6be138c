import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { oneLine } from '../core/handoff/errors';
import { DecisionInputError } from '../core/sessions/decisionLog';
import { SessionNotFoundError } from '../core/sessions/read';
import type { SessionEventInput } from '../core/sessions/sink';
import { redactDeep, redactText } from './redact';

/** A failure the client caused or can act on (bad path, malformed package, no such rule): shown as-is. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(message: string) {
    super(oneLine(message));
  }
}

/** Error types whose message is already a clear one-line explanation for the client (by `name`: survives minifying). */
const EXPECTED = new Set([
  'ToolError',
  'WorkspacePathError',
  'HandoffReadError',
  'HandoffConfigError',
  'LessonError',
  'MissingPathError',
  'PolicyConfigError',
  'BaselineError',
]);

export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const msg = oneLine(e.message || e.name);
    const expected = EXPECTED.has(e.name) || e instanceof DecisionInputError || e instanceof SessionNotFoundError;
    return expected ? msg : `unexpected error: ${msg}`;
  }
  return `unexpected error: ${oneLine(String(e))}`;
}

export interface ToolOutput {
  /** The structured result (also serialized as the text fallback). */
  readonly result: Record<string, unknown>;
  /**
   * The session event for this call. `null`: the core function already logged it (lessons, decisions, routed
   * tasks); undefined: a generic `note` is logged.
   */
  readonly event?: SessionEventInput | null;
}

export interface ToolLogger {
  log(event: SessionEventInput): Promise<void>;
}

/**
 * Wraps a tool body: masks secrets in everything returned, turns every failure into an MCP tool error
 * (`isError: true`, one line) instead of a protocol error, and logs the call as a session event.
 */
export function toolHandler<A>(
  name: string,
  logger: ToolLogger,
  body: (args: A, signal: AbortSignal) => Promise<ToolOutput>,
): (args: A, extra: { signal: AbortSignal }) => Promise<CallToolResult> {
  return async (args, extra) => {
    const t0 = performance.now();
    const ms = () => Math.round((performance.now() - t0) * 10) / 10;
    try {
      const out = await body(args, extra.signal);
      const { value } = redactDeep(out.result);
      if (out.event !== null) {
        await logger.log(out.event ?? { type: 'note', payload: { message: `mcp ${name}`, tool: name, ok: true, ms: ms() } });
      }
      return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
    } catch (e) {
      const message = redactText(errorMessage(e));
      await logger.log({ type: 'note', payload: { message: `mcp ${name} failed: ${message}`, tool: name, ok: false, ms: ms() } });
      return { content: [{ type: 'text', text: message }], isError: true };
    }
  };
}
