import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CachedEmbedder, contentHash, cosine, EmbedderError, OllamaEmbedder } from '../../../src/core/lessons/embeddings';
import { LessonStore } from '../../../src/core/lessons/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { FIXTURE_ROOT, fixtureFs } from './fixture';

const MODEL = 'nomic-embed-text';

/** Fixed vectors: "memory leak" means heap snapshots to this fake model, so re-ranking visibly reorders. */
function vectorFor(text: string): number[] {
  if (text === 'memory leak') return [0, 1, 0];
  if (text.startsWith('Take heap snapshots')) return [0, 1, 0.1];
  if (text.startsWith('Memory leak')) return [1, 0, 0];
  return [0, 0, 1];
}

interface FakeOllama {
  url: string;
  requests: { model: string; input: string[] }[];
  close(): Promise<void>;
}

async function fakeOllama(handler?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<FakeOllama> {
  const requests: FakeOllama['requests'] = [];
  const server: Server = createServer((req, res) => {
    if (handler?.(req, res)) return;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/api/embed') {
        res.writeHead(404).end();
        return;
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      requests.push({ model, input });
      res.setHeader('content-type', 'application/json');
      if (model !== MODEL) {
        res.writeHead(404).end(JSON.stringify({ error: `model "${model}" not found, try pulling it first` }));
        return;
      }
      res.end(JSON.stringify({ model, embeddings: input.map(vectorFor) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function fixtureStore(): Promise<LessonStore> {
  const store = new LessonStore({ fs: fixtureFs(), root: FIXTURE_ROOT });
  await store.load();
  return store;
}

describe('lessons: Ollama embeddings', () => {
  let ollama: FakeOllama;
  beforeEach(async () => (ollama = await fakeOllama()));
  afterEach(() => ollama.close());

  it('embeds a batch through the ollama client against /api/embed', async () => {
    const embedder = new OllamaEmbedder({ host: ollama.url, model: MODEL });
    assert.deepEqual(await embedder.embed(['memory leak', 'other']), [
      [0, 1, 0],
      [0, 0, 1],
    ]);
    assert.deepEqual(ollama.requests, [{ model: MODEL, input: ['memory leak', 'other'] }]);
    assert.deepEqual(await embedder.embed([]), []);
    assert.equal(ollama.requests.length, 1);
  });

  it('re-ranks text matches by similarity and says so', async () => {
    const store = await fixtureStore();
    const plain = await store.search('memory leak');
    assert.deepEqual(plain.hits.map((h) => h.id).slice(0, 2), ['2024-03-02-memory-leak-from-event-listeners', '2024-02-11-take-heap-snapshots-before-guessing']);
    assert.equal(plain.reranked, false);

    const out = await store.search('memory leak', { rerank: new OllamaEmbedder({ host: ollama.url, model: MODEL }) });
    assert.equal(out.reranked, true);
    assert.equal(out.reason, undefined);
    assert.deepEqual(out.hits.map((h) => h.id).slice(0, 2), ['2024-02-11-take-heap-snapshots-before-guessing', '2024-03-02-memory-leak-from-event-listeners']);
    assert.equal(out.hits.length, plain.hits.length);
    assert.ok(out.hits[0].snippet.length > 0);
  });

  it('caches vectors by content hash in a JSON file and reuses them across instances', async () => {
    const fs = new MemoryFileSystem();
    const path = '/ws/.llmgenie/cache/embeddings.json';
    const inner = new OllamaEmbedder({ host: ollama.url, model: MODEL });
    const cached = new CachedEmbedder(inner, { fs, path });
    await cached.embed(['a', 'b']);
    await cached.embed(['b', 'c']);
    assert.deepEqual(ollama.requests.map((r) => r.input), [['a', 'b'], ['c']]);
    assert.deepEqual(cached.stats, { hits: 1, misses: 3 });

    const file = JSON.parse(fs.files.get(path)!) as { version: number; entries: Record<string, number[]> };
    assert.equal(file.version, 1);
    assert.deepEqual(file.entries[contentHash(MODEL, 'a')], [0, 0, 1]);

    const again = new CachedEmbedder(new OllamaEmbedder({ host: ollama.url, model: MODEL }), { fs, path });
    assert.deepEqual(await again.embed(['c', 'a']), [
      [0, 0, 1],
      [0, 0, 1],
    ]);
    assert.equal(ollama.requests.length, 2, 'served from the file');
  });

  it('keys the cache by model and evicts the least recently used entries', async () => {
    const fs = new MemoryFileSystem();
    const path = '/c.json';
    const cached = new CachedEmbedder(new OllamaEmbedder({ host: ollama.url, model: MODEL }), { fs, path, maxEntries: 2 });
    await cached.embed(['a', 'b']);
    await cached.embed(['a']);
    await cached.embed(['c']);
    const keys = Object.keys((JSON.parse(fs.files.get(path)!) as { entries: object }).entries);
    assert.deepEqual(keys, [contentHash(MODEL, 'a'), contentHash(MODEL, 'c')]);
    assert.notEqual(contentHash(MODEL, 'a'), contentHash('other-model', 'a'));
  });

  it('starts empty from a corrupt cache file', async () => {
    const fs = new MemoryFileSystem({ '/c.json': '{"version":1,"entries":{"x":"not a vector"}}' });
    const cached = new CachedEmbedder(new OllamaEmbedder({ host: ollama.url, model: MODEL }), { fs, path: '/c.json' });
    assert.deepEqual(await cached.embed(['a']), [[0, 0, 1]]);
    assert.equal(ollama.requests.length, 1);
  });

  it('reports a missing model clearly and falls back to text ranking', async () => {
    const embedder = new OllamaEmbedder({ host: ollama.url, model: 'missing-model' });
    await assert.rejects(embedder.embed(['x']), (e) => e instanceof EmbedderError && e.reason === 'model-missing' && /ollama pull missing-model/.test(e.message));
    const store = await fixtureStore();
    const out = await store.search('memory leak', { rerank: embedder });
    assert.equal(out.reranked, false);
    assert.match(out.reason!, /missing-model/);
    assert.equal(out.hits[0].id, '2024-03-02-memory-leak-from-event-listeners');
  });
});

describe('lessons: Ollama unavailable', () => {
  it('falls back silently when nothing listens on the host', async () => {
    const gone = await fakeOllama();
    await gone.close();
    const store = await fixtureStore();
    const out = await store.search('memory leak', { rerank: new OllamaEmbedder({ host: gone.url }) });
    assert.equal(out.reranked, false);
    assert.match(out.reason!, /^Ollama not running at http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(out.hits[0].id, '2024-03-02-memory-leak-from-event-listeners');
  });

  it('gives up on a host that never answers', async () => {
    const hung = await fakeOllama(() => true);
    try {
      const embedder = new OllamaEmbedder({ host: hung.url, timeoutMs: 150 });
      await assert.rejects(embedder.embed(['x']), (e) => e instanceof EmbedderError && e.reason === 'timeout');
    } finally {
      hung.close().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  it('does not call the embedder when there is nothing to re-rank', async () => {
    const store = await fixtureStore();
    let called = false;
    const out = await store.search('zzzzqqq', { rerank: { embed: async () => ((called = true), []) } });
    assert.deepEqual(out, { hits: [], reranked: false, reason: 'no text matches' });
    assert.equal(called, false);
  });

  it('cosine handles zero vectors', () => {
    assert.equal(cosine([0, 0], [1, 0]), 0);
    assert.equal(Math.round(cosine([1, 1], [1, 1]) * 1000) / 1000, 1);
  });
});
