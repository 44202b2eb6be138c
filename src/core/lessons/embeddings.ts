import { createHash } from 'node:crypto';
import { Ollama } from 'ollama/browser';
import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';

/** Turns texts into vectors, one per text, same order. Rejects (never hangs) when the backend is unavailable. */
export interface Embedder {
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Part of the cache key: vectors of different models must never mix. */
  readonly model?: string;
}

export class EmbedderError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'model-missing' | 'timeout' | 'bad-response',
    message: string,
  ) {
    super(message);
    this.name = 'EmbedderError';
  }
}

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_EMBED_MODEL = 'nomic-embed-text';

export interface OllamaEmbedderOptions {
  host?: string;
  model?: string;
  /** Per request; default 10 s. A cold model load can take seconds, a dead host should not take longer. */
  timeoutMs?: number;
}

const embedResponse = z.object({ embeddings: z.array(z.array(z.number())) });

/** Ollama's `/api/embed` through the official client; errors become one readable EmbedderError. */
export class OllamaEmbedder implements Embedder {
  readonly host: string;
  readonly model: string;
  private readonly client: Ollama;

  constructor(options: OllamaEmbedderOptions = {}) {
    this.host = (options.host ?? DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
    this.model = options.model ?? DEFAULT_EMBED_MODEL;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const timedFetch: typeof fetch = (input, init) =>
      fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) });
    this.client = new Ollama({ host: this.host, fetch: timedFetch });
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (!texts.length) return [];
    let raw: unknown;
    try {
      raw = await this.client.embed({ model: this.model, input: [...texts], truncate: true });
    } catch (e) {
      throw this.describe(e);
    }
    const parsed = embedResponse.safeParse(raw);
    if (!parsed.success || parsed.data.embeddings.length !== texts.length) {
      throw new EmbedderError('bad-response', `Ollama at ${this.host} returned an unexpected /api/embed answer`);
    }
    return parsed.data.embeddings;
  }

  private describe(e: unknown): EmbedderError {
    const err = e as { name?: string; message?: string; status_code?: number; cause?: { code?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return new EmbedderError('timeout', `Ollama at ${this.host} did not answer in time`);
    if (err.status_code === 404 || /not found/i.test(err.message ?? '')) {
      return new EmbedderError('model-missing', `embedding model "${this.model}" is not available at ${this.host} (ollama pull ${this.model})`);
    }
    if (err.status_code) return new EmbedderError('bad-response', `Ollama at ${this.host}: ${err.message ?? err.status_code}`);
    return new EmbedderError('unreachable', `Ollama not running at ${this.host}${err.cause?.code ? ` (${err.cause.code})` : ''}`);
  }
}

const cacheFile = z.object({ version: z.literal(1), entries: z.record(z.string(), z.array(z.number())) });

export interface CachedEmbedderOptions {
  fs: FileSystem;
  /** Absolute path, conventionally `<workspace>/.llmgenie/cache/embeddings.json`. */
  path: string;
  /** Oldest-used entries go first beyond this; a 768-float vector is ~8 KB of JSON. Default 2000. */
  maxEntries?: number;
}

/**
 * Remembers vectors by sha256(model + text) in a JSON file, so unchanged lessons are embedded once per model.
 * A missing or corrupt cache file just means starting empty; it is a cache.
 */
export class CachedEmbedder implements Embedder {
  private entries?: Map<string, number[]>;
  private loading?: Promise<Map<string, number[]>>;
  /** Texts answered from the cache / sent to the inner embedder, for tests and status displays. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly inner: Embedder,
    private readonly options: CachedEmbedderOptions,
  ) {}

  get model(): string | undefined {
    return this.inner.model;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const entries = await this.load();
    const keys = texts.map((t) => contentHash(this.inner.model ?? '', t));
    const missing = new Map<string, string>();
    keys.forEach((k, i) => {
      if (!entries.has(k)) missing.set(k, texts[i]);
    });
    this.stats.hits += texts.length - missing.size;
    this.stats.misses += missing.size;
    if (missing.size) {
      const vectors = await this.inner.embed([...missing.values()]);
      [...missing.keys()].forEach((k, i) => entries.set(k, vectors[i]));
    }
    const out = keys.map((k) => {
      const v = entries.get(k)!;
      // Re-inserting marks the entry recently used, so eviction drops what nobody asked for.
      entries.delete(k);
      entries.set(k, v);
      return v;
    });
    if (missing.size) await this.save(entries);
    return out;
  }

  private load(): Promise<Map<string, number[]>> {
    if (this.entries) return Promise.resolve(this.entries);
    this.loading ??= (async () => {
      let map = new Map<string, number[]>();
      try {
        const parsed = cacheFile.safeParse(JSON.parse(await this.options.fs.readText(this.options.path)));
        if (parsed.success) map = new Map(Object.entries(parsed.data.entries));
      } catch {
        // absent or unreadable: start empty
      }
      this.entries = map;
      return map;
    })();
    return this.loading;
  }

  private async save(entries: Map<string, number[]>): Promise<void> {
    const max = this.options.maxEntries ?? 2000;
    for (const k of entries.keys()) {
      if (entries.size <= max) break;
      entries.delete(k);
    }
    const json = JSON.stringify({ version: 1, entries: Object.fromEntries(entries) });
    try {
      await this.options.fs.writeText(this.options.path, json);
    } catch {
      // A read-only workspace still gets the vectors; only the next run pays again.
    }
  }
}

export function contentHash(model: string, text: string): string {
  return createHash('sha256').update(model).update('\0').update(text).digest('hex');
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
