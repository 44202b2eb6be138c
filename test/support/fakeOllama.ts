import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { readBody, sleep, splitWords } from './httpHelpers';

/**
 * A local stand-in for the Ollama HTTP API, faithful to what the `ollama` npm client reads: NDJSON streaming
 * `/api/chat` (chunks with `done:false`, a final chunk with `done_reason`, `prompt_eval_count`, `eval_count` and
 * durations), `/api/tags`, `/api/show` (model_info with `<arch>.context_length`), streamed `/api/pull` progress,
 * `/api/embed` (deterministic hashed bag-of-words vectors) and `/api/version`. Tests script replies per request.
 */
export interface FakeOllamaModel {
  name: string;
  contextLength?: number;
  family?: string;
  capabilities?: string[];
}

export interface FakeOllamaReply {
  /** A string is streamed word by word; an array is streamed chunk by chunk. */
  text?: string | string[];
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown>; id?: string }>;
  doneReason?: string;
  promptEvalCount?: number;
  evalCount?: number;
  /** Delay before the first chunk and between chunks (slow model). */
  firstChunkDelayMs?: number;
  chunkDelayMs?: number;
  /** HTTP error instead of a stream. */
  status?: number;
  error?: string;
  /** An `{"error": ...}` line after the text, as Ollama sends when generation fails mid-way. */
  midStreamError?: string;
  /** Close the socket after the text without a final `done` chunk. */
  cutStream?: boolean;
}

export interface FakeOllamaOptions {
  models?: FakeOllamaModel[];
  /** Replies used in order, one per /api/chat request; then `reply`. */
  replies?: FakeOllamaReply[];
  /** Fallback when the queue is empty; default: a deterministic answer that echoes the request. */
  reply?: (body: OllamaChatBody) => FakeOllamaReply;
  /** Names /api/pull can fetch (they are added to the model list on success). */
  pullable?: string[];
  pullStepDelayMs?: number;
  embeddingDimensions?: number;
  /** Port on 127.0.0.1; default a free one (`npm run fake-models` passes fixed ones so the exports stay valid). */
  port?: number;
}

export interface OllamaChatBody {
  model: string;
  messages: Array<{ role: string; content: string; tool_calls?: unknown[]; tool_name?: string; tool_call_id?: string }>;
  stream?: boolean;
  tools?: unknown[];
  options?: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeOllama {
  /** `http://127.0.0.1:<port>` */
  readonly host: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly models: FakeOllamaModel[];
  chatBodies(): OllamaChatBody[];
  enqueue(...replies: FakeOllamaReply[]): void;
  close(): Promise<void>;
}

export const FAKE_OLLAMA_MODEL = 'qwen2.5-coder:7b';

export function defaultOllamaReply(body: OllamaChatBody): FakeOllamaReply {
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const topic = lastUser.replace(/\s+/g, ' ').trim().slice(0, 60);
  return {
    text: `Here is a clear answer about "${topic}". The code does what it says: it reads the input, transforms it, and returns the result without side effects.`,
  };
}

export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models: FakeOllamaModel[] = opts.models ?? [{ name: FAKE_OLLAMA_MODEL, contextLength: 32768, family: 'qwen2' }];
  const queue: FakeOllamaReply[] = [...(opts.replies ?? [])];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const find = (name: string): FakeOllamaModel | undefined =>
    models.find((m) => m.name === name || (!name.includes(':') && m.name === `${name}:latest`));

  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      let body: unknown = undefined;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw });
          return json(res, 400, { error: 'invalid character in request body' });
        }
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const b = (body ?? {}) as Record<string, unknown>;
      switch (`${req.method} ${req.url}`) {
        case 'GET /api/version':
          return json(res, 200, { version: '0.12.6' });
        case 'GET /api/tags':
          return json(res, 200, { models: models.map(tagEntry) });
        case 'POST /api/show': {
          const m = find(String(b.model ?? b.name ?? ''));
          if (!m) return json(res, 404, { error: `model '${String(b.model ?? b.name)}' not found` });
          return json(res, 200, showEntry(m));
        }
        case 'POST /api/chat':
          return chat(b as unknown as OllamaChatBody, res);
        case 'POST /api/pull':
          return pull(String(b.model ?? b.name ?? ''), res);
        case 'POST /api/embed': {
          const m = find(String(b.model ?? ''));
          if (!m) return json(res, 404, { error: `model "${String(b.model)}" not found, try pulling it first` });
          const input = Array.isArray(b.input) ? b.input.map(String) : [String(b.input ?? '')];
          const dims = opts.embeddingDimensions ?? 64;
          return json(res, 200, {
            model: m.name,
            embeddings: input.map((t) => embed(t, dims)),
            total_duration: 1_000_000,
            load_duration: 100_000,
            prompt_eval_count: input.reduce((n, t) => n + Math.ceil(t.length / 4), 0),
          });
        }
        default:
          res.writeHead(404, { 'content-type': 'text/plain' });
          res.end('404 page not found');
      }
    })().catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(e) });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function chat(body: OllamaChatBody, res: ServerResponse): Promise<void> {
    if (!body.model) return json(res, 400, { error: 'model is required' });
    if (!find(body.model)) return json(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
    if (!Array.isArray(body.messages)) return json(res, 400, { error: 'messages must be an array' });
    const model = find(body.model)!;
    if (body.tools?.length && model.capabilities && !model.capabilities.includes('tools'))
      return json(res, 400, { error: `registry.ollama.ai/library/${body.model} does not support tools` });
    const reply = queue.shift() ?? (opts.reply ?? defaultOllamaReply)(body);
    if (reply.status) return json(res, reply.status, { error: reply.error ?? 'error' });
    const chunks = Array.isArray(reply.text) ? reply.text : splitWords(reply.text ?? '');
    const started = process.hrtime.bigint();
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (o: unknown): void => void res.write(`${JSON.stringify(o)}\n`);
    const base = (): Record<string, unknown> => ({ model: body.model, created_at: new Date().toISOString() });
    await sleep(reply.firstChunkDelayMs ?? 0);
    for (let i = 0; i < chunks.length; i++) {
      if (res.destroyed) return;
      if (i > 0) await sleep(reply.chunkDelayMs ?? 0);
      line({ ...base(), message: { role: 'assistant', content: chunks[i] }, done: false });
    }
    if (reply.toolCalls?.length) {
      line({
        ...base(),
        message: {
          role: 'assistant',
          content: '',
          tool_calls: reply.toolCalls.map((c, k) => ({ ...(c.id ? { id: c.id } : {}), function: { index: k, name: c.name, arguments: c.arguments } })),
        },
        done: false,
      });
    }
    if (reply.midStreamError) {
      line({ error: reply.midStreamError });
      return void res.end();
    }
    if (reply.cutStream) return void res.destroy();
    const total = Number(process.hrtime.bigint() - started);
    const promptChars = body.messages.reduce((n, m) => n + (m.content?.length ?? 0), 0);
    line({
      ...base(),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: reply.doneReason ?? 'stop',
      total_duration: total,
      load_duration: 1000,
      prompt_eval_count: reply.promptEvalCount ?? Math.ceil(promptChars / 4),
      prompt_eval_duration: 1000,
      eval_count: reply.evalCount ?? chunks.length + (reply.toolCalls?.length ?? 0),
      eval_duration: total,
    });
    res.end();
  }

  async function pull(name: string, res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (o: unknown): void => void res.write(`${JSON.stringify(o)}\n`);
    line({ status: 'pulling manifest' });
    await sleep(opts.pullStepDelayMs ?? 0);
    if (!(opts.pullable ?? []).includes(name)) {
      line({ error: 'pull model manifest: file does not exist' });
      return void res.end();
    }
    const digest = `sha256:${createHash('sha256').update(name).digest('hex')}`;
    const total = 4_683_087_332;
    for (const part of [0, 0.25, 0.5, 0.75, 1]) {
      line({ status: `pulling ${digest.slice(7, 19)}`, digest, total, completed: Math.round(total * part) });
      await sleep(opts.pullStepDelayMs ?? 0);
    }
    line({ status: 'verifying sha256 digest' });
    line({ status: 'writing manifest' });
    if (!find(name)) models.push({ name, contextLength: 32768, family: 'qwen2' });
    line({ status: 'success' });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // a fixed port already taken
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host: `http://127.0.0.1:${port}`,
    port,
    requests,
    models,
    chatBodies: () => requests.filter((r) => r.path === '/api/chat').map((r) => r.body as OllamaChatBody),
    enqueue: (...r) => void queue.push(...r),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on: connecting gives ECONNREFUSED. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

function tagEntry(m: FakeOllamaModel): Record<string, unknown> {
  return {
    name: m.name,
    model: m.name,
    modified_at: '2025-01-01T00:00:00Z',
    size: 4_683_087_332,
    digest: createHash('sha256').update(m.name).digest('hex'),
    details: {
      parent_model: '',
      format: 'gguf',
      family: m.family ?? 'qwen2',
      families: [m.family ?? 'qwen2'],
      parameter_size: '7.6B',
      quantization_level: 'Q4_K_M',
    },
  };
}

function showEntry(m: FakeOllamaModel): Record<string, unknown> {
  const arch = m.family ?? 'qwen2';
  const info: Record<string, unknown> = { 'general.architecture': arch, 'general.parameter_count': 7_615_616_512 };
  if (m.contextLength) info[`${arch}.context_length`] = m.contextLength;
  return {
    license: 'Apache License 2.0',
    modelfile: `FROM ${m.name}`,
    parameters: 'stop "<|im_end|>"',
    template: '{{ .Prompt }}',
    details: tagEntry(m).details,
    model_info: info,
    capabilities: m.capabilities ?? ['completion', 'tools'],
    modified_at: '2025-01-01T00:00:00Z',
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}


/** Hashed bag-of-words, L2-normalised: similar texts get similar vectors, identical texts identical ones. */
function embed(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const w of text.toLowerCase().match(/[a-z0-9_]+/g) ?? []) {
    const h = createHash('md5').update(w).digest();
    v[h.readUInt32LE(0) % dims]! += h[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
