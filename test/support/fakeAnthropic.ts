import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { readBody, sleep, splitWords } from './httpHelpers';

/**
 * A local stand-in for the Anthropic Messages API, faithful to what `@anthropic-ai/sdk` reads: the SSE event
 * sequence (message_start with usage, content_block_start/delta/stop incl. tool_use `input_json_delta`, ping,
 * message_delta with stop_reason and usage, message_stop), JSON error bodies with `request-id`, 429 with
 * `retry-after`, 529 `overloaded_error`, and an `error` event mid-stream. It also rejects malformed requests the
 * way the API does (missing key, orphan tool_result, empty text block), so conversion bugs fail tests.
 */
export interface FakeClaudeReply {
  /** A string is streamed word by word; an array chunk by chunk. */
  text?: string | string[];
  toolUses?: Array<{ id?: string; name: string; input: Record<string, unknown> }>;
  stopReason?: string;
  inputTokens?: number;
  outputTokens?: number;
  firstByteDelayMs?: number;
  chunkDelayMs?: number;
  /** An HTTP error instead of a stream. */
  status?: number;
  errorType?: string;
  errorMessage?: string;
  retryAfter?: string;
  /** An SSE `error` event after the text (e.g. overloaded_error mid-stream). */
  midStreamError?: { type: string; message: string };
}

export interface FakeAnthropicOptions {
  /** The key the server accepts; default 'test-key'. */
  apiKey?: string;
  /**
   * Adaptive-thinking models: every streamed reply opens with a signed thinking block, and, as the API does, a
   * request continuing a tool loop must pass that block back unmodified at the start of the assistant message.
   */
  thinking?: boolean;
  replies?: FakeClaudeReply[];
  reply?: (body: ClaudeRequestBody) => FakeClaudeReply;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
}

export interface ClaudeRequestBody {
  model: string;
  max_tokens: number;
  system?: string | Array<{ type: string; text: string }>;
  messages: Array<{ role: string; content: string | Array<Record<string, unknown>> }>;
  tools?: Array<{ name: string; description?: string; input_schema: unknown }>;
  stream?: boolean;
}

export interface FakeAnthropic {
  /** Base URL for the SDK (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly requests: Array<{ headers: IncomingMessage['headers']; body: ClaudeRequestBody; at: number }>;
  enqueue(...replies: FakeClaudeReply[]): void;
  close(): Promise<void>;
}

export const FAKE_CLAUDE_KEY = 'test-key';

export function defaultClaudeReply(body: ClaudeRequestBody): FakeClaudeReply {
  const last = body.messages[body.messages.length - 1];
  const text = typeof last?.content === 'string' ? last.content : '';
  return { text: `Claude here. A thorough answer to "${text.replace(/\s+/g, ' ').slice(0, 60)}" follows, step by step.` };
}

export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const key = opts.apiKey ?? FAKE_CLAUDE_KEY;
  const queue: FakeClaudeReply[] = [...(opts.replies ?? [])];
  const requests: FakeAnthropic['requests'] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) apiError(res, 500, 'api_error', String(e));
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/messages') return apiError(res, 404, 'not_found_error', 'Not found');
    let body: ClaudeRequestBody;
    try {
      body = JSON.parse(raw) as ClaudeRequestBody;
    } catch {
      return apiError(res, 400, 'invalid_request_error', 'Request body is not valid JSON');
    }
    requests.push({ headers: req.headers, body, at: Date.now() });
    // SDK 1.x sends the key as `Authorization: Bearer`; older clients and curl use `x-api-key`.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if ((req.headers['x-api-key'] ?? bearer) !== key) return apiError(res, 401, 'authentication_error', 'invalid x-api-key');
    if (!req.headers['anthropic-version']) return apiError(res, 400, 'invalid_request_error', 'anthropic-version header is required');
    const invalid = validate(body) ?? validateThinking(body, !!opts.thinking);
    if (invalid) return apiError(res, 400, 'invalid_request_error', invalid);

    const reply = queue.shift() ?? (opts.reply ?? defaultClaudeReply)(body);
    if (reply.status) {
      const headers: Record<string, string> = {};
      if (reply.retryAfter !== undefined) headers['retry-after'] = reply.retryAfter;
      const type = reply.errorType ?? (reply.status === 429 ? 'rate_limit_error' : reply.status === 529 ? 'overloaded_error' : 'api_error');
      return apiError(res, reply.status, type, reply.errorMessage ?? (type === 'overloaded_error' ? 'Overloaded' : type), headers);
    }
    await sleep(reply.firstByteDelayMs ?? 0);
    if (res.destroyed) return;
    const chunks = Array.isArray(reply.text) ? reply.text : reply.text ? splitWords(reply.text) : [];
    const inputTokens = reply.inputTokens ?? Math.ceil(raw.length / 4);
    const outputTokens = reply.outputTokens ?? chunks.length + (reply.toolUses?.length ?? 0) * 10;
    const stopReason = reply.stopReason ?? (reply.toolUses?.length ? 'tool_use' : 'end_turn');
    const id = `msg_${randomBytes(12).toString('hex')}`;

    if (body.stream !== true) {
      const content: unknown[] = [];
      if (chunks.length) content.push({ type: 'text', text: chunks.join('') });
      for (const t of reply.toolUses ?? []) content.push({ type: 'tool_use', id: t.id ?? toolId(), name: t.name, input: t.input });
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${id}` });
      return void res.end(JSON.stringify({
        id, type: 'message', role: 'assistant', model: body.model, content, stop_reason: stopReason, stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens },
      }));
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${id}` });
    const send = (event: string, data: unknown): void => void res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('message_start', {
      type: 'message_start',
      message: {
        id, type: 'message', role: 'assistant', content: [], model: body.model, stop_reason: null, stop_sequence: null,
        usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
      },
    });
    let index = 0;
    if (opts.thinking) {
      const thought = `Considering: ${chunks.slice(0, 3).join('').trim() || 'tool use'}`;
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const part of [thought.slice(0, 10), thought.slice(10)])
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: part } });
      send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: sign(thought) } });
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    if (chunks.length) {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      send('ping', { type: 'ping' });
      for (let i = 0; i < chunks.length; i++) {
        if (i > 0) await sleep(reply.chunkDelayMs ?? 0);
        if (res.destroyed) return;
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: chunks[i] } });
      }
      if (reply.midStreamError) {
        send('error', { type: 'error', error: reply.midStreamError });
        return void res.end();
      }
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    } else if (reply.midStreamError) {
      send('error', { type: 'error', error: reply.midStreamError });
      return void res.end();
    }
    for (const t of reply.toolUses ?? []) {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: t.id ?? toolId(), name: t.name, input: {} } });
      const json = JSON.stringify(t.input);
      // Split the JSON at arbitrary points, as the API does.
      for (let at = 0; at < json.length; at += 7)
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(at, at + 7) } });
      send('content_block_stop', { type: 'content_block_stop', index });
      index++;
    }
    send('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
    send('message_stop', { type: 'message_stop' });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // a fixed port already taken
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...r) => void queue.push(...r),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The subset of the API's request validation that catches conversion mistakes. */
function validate(b: ClaudeRequestBody): string | undefined {
  if (typeof b.model !== 'string' || !b.model) return 'model: Field required';
  if (typeof b.max_tokens !== 'number' || b.max_tokens < 1) return 'max_tokens: Field required';
  if (!Array.isArray(b.messages) || !b.messages.length) return 'messages: at least one message is required';
  if (b.messages.some((m) => m.role === 'system')) return 'messages: Unexpected role "system". Use the top-level `system` parameter';
  const toolNames = new Set((b.tools ?? []).map((t) => t.name));
  let prevToolUses = new Set<string>();
  for (const [i, m] of b.messages.entries()) {
    if (m.role !== 'user' && m.role !== 'assistant') return `messages.${i}.role: must be user or assistant`;
    const blocks = typeof m.content === 'string' ? [] : m.content;
    const uses = new Set<string>();
    for (const blk of blocks) {
      if (blk.type === 'text' && !blk.text) return `messages.${i}: text content blocks must be non-empty`;
      if (blk.type === 'tool_use') {
        if (m.role !== 'assistant') return `messages.${i}: tool_use blocks are only allowed in assistant messages`;
        if (!toolNames.size) return 'Requests which include `tool_use` or `tool_result` blocks must define tools.';
        uses.add(String(blk.id));
      }
      if (blk.type === 'tool_result') {
        if (m.role !== 'user') return `messages.${i}: tool_result blocks are only allowed in user messages`;
        if (!prevToolUses.has(String(blk.tool_use_id)))
          return `messages.${i}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(blk.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
    prevToolUses = uses;
  }
  return undefined;
}

const SIGNING_KEY = randomBytes(16).toString('hex');
function sign(thinking: string): string {
  return createHash('sha256').update(SIGNING_KEY + thinking).digest('base64');
}

function validateThinking(b: ClaudeRequestBody, required: boolean): string | undefined {
  for (const [i, m] of b.messages.entries()) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const [j, blk] of m.content.entries()) {
      if (blk.type === 'thinking' && blk.signature !== sign(String(blk.thinking))) return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  if (!required) return undefined;
  const last = b.messages[b.messages.length - 1];
  const prev = b.messages[b.messages.length - 2];
  const continuingToolLoop =
    last?.role === 'user' && Array.isArray(last.content) && last.content.some((x) => x.type === 'tool_result') &&
    prev?.role === 'assistant' && Array.isArray(prev.content) && prev.content.some((x) => x.type === 'tool_use');
  if (continuingToolLoop) {
    const first = (prev!.content as Array<Record<string, unknown>>)[0]!;
    if (first.type !== 'thinking' && first.type !== 'redacted_thinking')
      return `messages.${b.messages.length - 2}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first.type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`;
  }
  return undefined;
}

function apiError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  const requestId = `req_${randomBytes(12).toString('hex')}`;
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
}

function toolId(): string {
  return `toolu_${randomBytes(12).toString('hex')}`;
}

