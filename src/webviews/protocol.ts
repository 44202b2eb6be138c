// zod/mini's functional safeParse takes any zod schema (mini or classic) and keeps the webview bundles small.
import * as z from 'zod/mini';

/**
 * Webview IPC, one transport (postMessage), typed both ways. Each view declares two zod discriminated unions in
 * `src/webviews/<view>/protocol.ts` — host→webview and webview→host, discriminated by `type` — and both sides
 * parse what they receive with `parseMessage`, so a malformed message is logged and dropped, never acted on.
 * The webview posts `{type: 'ready'}` first; the host queues notifications until then (see WebviewChannel).
 * The view protocols use zod/mini: they are bundled into the webviews, where classic zod would cost ~450 KB.
 */
export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

export function parseMessage<S extends z.core.$ZodType>(schema: S, raw: unknown): ParseResult<z.infer<S>> {
  const r = z.safeParse(schema, raw);
  if (r.success) return { ok: true, message: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}` };
}
