import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
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
  'WorkspaceSettingError',
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

export interface ToolOutput<R = Record<string, unknown>> {
  /** The structured result (also serialized as the text fallback). */
  readonly result: R;
  /**
   * The session event for this call. `null`: the core function already logged it (lessons, decisions, routed
   * tasks); undefined: a generic `note` is logged.
   */
  readonly event?: SessionEventInput | null;
}

export interface ToolLogger {
  log(event: SessionEventInput): Promise<void>;
}

/** What a tool declares: the output shape is both the schema hosts list and the type the body must return. */
export interface ToolSpec<I extends z.ZodRawShape, O extends z.ZodRawShape> {
  readonly title: string;
  readonly description: string;
  readonly inputSchema: I;
  readonly outputSchema: O;
  readonly annotations?: ToolAnnotations;
}

export type ToolBody<I extends z.ZodRawShape, O extends z.ZodRawShape> = (
  args: z.infer<z.ZodObject<I>>,
  signal: AbortSignal,
) => Promise<ToolOutput<ReadonlyDeep<z.input<z.ZodObject<O>>>>>;

/** Core results are readonly; the schema's input type accepts them as they are. */
type ReadonlyDeep<T> = T extends (infer E)[] ? readonly ReadonlyDeep<E>[] : T extends object ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> } : T;

/**
 * Registers a tool whose results are built by parsing through the very schema `tools/list` shows. Hosts (VS Code,
 * Cursor, Claude Code) reject structured content with a property the schema does not list, so a result can never
 * carry one: the type checker holds the body to the shape and the parse drops anything the shape does not name.
 */
export function registerTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  server: McpServer,
  logger: ToolLogger,
  name: string,
  spec: ToolSpec<I, O>,
  body: ToolBody<I, O>,
): void {
  const handler = toolHandler(name, logger, z.object(spec.outputSchema), body);
  server.registerTool(name, spec, handler as unknown as ToolCallback<I>);
}

/**
 * Wraps a tool body: shapes the result by its output schema, masks secrets in everything returned, turns every
 * failure into an MCP tool error (`isError: true`, one line) instead of a protocol error, and logs the call as a
 * session event.
 */
export function toolHandler<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  name: string,
  logger: ToolLogger,
  output: z.ZodObject<O>,
  body: ToolBody<I, O>,
): (args: z.infer<z.ZodObject<I>>, extra: { signal: AbortSignal }) => Promise<CallToolResult> {
  return async (args, extra) => {
    const t0 = performance.now();
    const ms = () => Math.round((performance.now() - t0) * 10) / 10;
    try {
      const out = await body(args, extra.signal);
      const shaped = output.safeParse(out.result);
      if (!shaped.success) throw new Error(`${name} built a result its output schema rejects: ${z.prettifyError(shaped.error)}`);
      const { value } = redactDeep(shaped.data as Record<string, unknown>);
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
