import assert from 'node:assert/strict';
import { OllamaProvider, defaultOllamaHost, sameModel } from '../../../src/core/router/ollamaProvider';
import { ProviderError } from '../../../src/core/router/errors';
import type { StreamEvent } from '../../../src/core/router/provider';
import { readFileTool } from '../../../src/core/router/tools';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { closedPort, startFakeOllama, FAKE_OLLAMA_MODEL, type FakeOllama } from '../../support/fakeOllama';

async function collect(it: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ProviderError, `expected ProviderError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a rejection');
}

describe('router/OllamaProvider (real ollama client → fake server)', () => {
  let fake: FakeOllama;
  beforeEach(async () => {
    fake = await startFakeOllama({ pullable: ['llama3.2:1b'] });
  });
  afterEach(() => fake.close());

  it('streams NDJSON text deltas and ends with usage and done reason', async () => {
    fake.enqueue({ text: ['Hel', 'lo ', 'world'], promptEvalCount: 26, evalCount: 3 });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    const events = await collect(p.streamChat({ system: 'be brief', turns: [{ role: 'user', content: 'hi' }] }));
    assert.deepEqual(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text), ['Hel', 'lo ', 'world']);
    assert.deepEqual(events.at(-1), { type: 'done', doneReason: 'stop', rawDoneReason: 'stop', usage: { inputTokens: 26, outputTokens: 3 } });
    const body = fake.chatBodies()[0]!;
    assert.deepEqual(body.messages[0], { role: 'system', content: 'be brief' });
    assert.equal(body.stream, true);
    assert.equal(body.options?.num_ctx, 8192, 'num_ctx is min(model context 32768, cap 8192)');
  });

  it('checks /api/tags and /api/show once, then reuses the result', async () => {
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL, maxContextTokens: 100_000 });
    await collect(p.streamChat({ turns: [{ role: 'user', content: 'a' }] }));
    await collect(p.streamChat({ turns: [{ role: 'user', content: 'b' }] }));
    assert.deepEqual(fake.requests.map((r) => r.path), ['/api/tags', '/api/show', '/api/chat', '/api/chat']);
    assert.equal(await p.contextWindow(), 32768);
  });

  it('reports done_reason "length" as truncated', async () => {
    fake.enqueue({ text: 'cut off mid', doneReason: 'length' });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    const done = (await collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] }))).at(-1);
    assert.equal(done?.type === 'done' && done.doneReason, 'length');
  });

  it('sends tools from the zod definition and yields tool calls with ids', async () => {
    fake.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'a.ts' } }] });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    const tools = [readFileTool({ fs: new MemoryFileSystem(), root: '/w' })];
    const events = await collect(p.streamChat({ turns: [{ role: 'user', content: 'read a.ts' }] }, { tools }));
    const call = events.find((e) => e.type === 'toolCall');
    assert.ok(call && call.type === 'toolCall');
    assert.equal(call.call.name, 'read_file');
    assert.deepEqual(call.call.input, { path: 'a.ts' });
    assert.ok(call.call.id.length > 0);
    assert.equal(events.at(-1)?.type === 'done' && (events.at(-1) as { doneReason: string }).doneReason, 'tool_use');
    const sent = fake.chatBodies()[0]!.tools as Array<{ type: string; function: { name: string; parameters: { required: string[] } } }>;
    assert.equal(sent[0]!.type, 'function');
    assert.equal(sent[0]!.function.name, 'read_file');
    assert.deepEqual(sent[0]!.function.parameters.required, ['path']);
  });

  it('a model without the "tools" capability is not sent tools', async () => {
    fake.models.push({ name: 'plain:1b', capabilities: ['completion'] });
    const p = new OllamaProvider({ host: fake.host, model: 'plain:1b' });
    await collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] }, { tools: [readFileTool({ fs: new MemoryFileSystem(), root: '/w' })] }));
    assert.equal(fake.chatBodies()[0]!.tools, undefined);
  });

  it('missing model → model-missing with the installed list', async () => {
    const p = new OllamaProvider({ host: fake.host, model: 'nope:1b' });
    const err = await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })));
    assert.equal(err.reason, 'model-missing');
    assert.deepEqual(err.availableModels, [FAKE_OLLAMA_MODEL]);
    assert.match(err.message, /ollama pull nope:1b/);
  });

  it('an empty server still says so (never a silently empty list)', async () => {
    fake.models.length = 0;
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    const err = await rejection(p.ensureReady());
    assert.equal(err.reason, 'model-missing');
    assert.deepEqual(err.availableModels, []);
    assert.match(err.message, /no models are installed/);
  });

  it('a model removed after the first check gives model-missing with the current list', async () => {
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    await p.ensureReady();
    fake.models.splice(0, 1, { name: 'other:3b' });
    const err = await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })));
    assert.equal(err.reason, 'model-missing');
    assert.deepEqual(err.availableModels, ['other:3b']);
  });

  it('pulls a model with streamed progress, after which it is usable', async () => {
    const p = new OllamaProvider({ host: fake.host, model: 'llama3.2:1b' });
    await assert.rejects(p.ensureReady(), (e: ProviderError) => e.reason === 'model-missing');
    const seen: Array<{ status: string; percent?: number }> = [];
    await p.pullModel('llama3.2:1b', (x) => seen.push(x));
    assert.equal(seen[0]!.status, 'pulling manifest');
    assert.deepEqual(seen.filter((s) => s.percent !== undefined).map((s) => s.percent), [0, 25, 50, 75, 100]);
    assert.equal(seen.at(-1)!.status, 'success');
    await p.ensureReady();
  });

  it('a pull the registry cannot serve is a typed error', async () => {
    const p = new OllamaProvider({ host: fake.host, model: 'ghost:9b' });
    const err = await rejection(p.pullModel('ghost:9b', () => {}));
    assert.equal(err.reason, 'model-missing');
    assert.match(err.message, /file does not exist/);
  });

  it('connection refused → unreachable with how to start Ollama', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const p = new OllamaProvider({ host, model: FAKE_OLLAMA_MODEL });
    const err = await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })));
    assert.equal(err.reason, 'unreachable');
    assert.equal(err.message, `Ollama is not running at ${host} (start it with \`ollama serve\`)`);
  });

  it('an error line mid-stream and a cut stream are server errors', async () => {
    fake.enqueue({ text: 'partial', midStreamError: 'llama runner process has terminated' }, { text: 'partial', cutStream: true });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    const a = await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })));
    assert.equal(a.reason, 'server-error');
    assert.match(a.message, /runner process has terminated/);
    const b = await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })));
    assert.ok(['server-error', 'unreachable'].includes(b.reason), b.reason);
  });

  it('HTTP 503 is overloaded, 400 bad-request', async () => {
    fake.enqueue({ status: 503, error: 'server busy, please try again.  maximum pending requests exceeded' }, { status: 400, error: 'invalid options' });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    assert.equal((await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })))).reason, 'overloaded');
    assert.equal((await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })))).reason, 'bad-request');
  });

  it('a silent server times out after idleTimeoutMs', async () => {
    fake.enqueue({ text: ['a', 'b'], chunkDelayMs: 2000 });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL, idleTimeoutMs: 150 });
    await p.ensureReady();
    const err = await rejection(collect(p.streamChat({ turns: [{ role: 'user', content: 'x' }] })));
    assert.equal(err.reason, 'timeout');
  });

  it('abort stops a slow stream promptly with reason cancelled', async () => {
    fake.enqueue({ text: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 100 });
    const p = new OllamaProvider({ host: fake.host, model: FAKE_OLLAMA_MODEL });
    const ac = new AbortController();
    const it = p.streamChat({ turns: [{ role: 'user', content: 'x' }] }, { signal: ac.signal });
    let abortedAt = 0;
    const err = await rejection(
      (async () => {
        for await (const e of it) {
          if (e.type === 'text' && !abortedAt) {
            abortedAt = performance.now();
            ac.abort();
          }
        }
      })(),
    );
    assert.equal(err.reason, 'cancelled');
    // The stream had seconds left; it ended right away. How fast is measured by bench/router-cancel.bench.ts.
    assert.ok(performance.now() - abortedAt < 1500, 'stream stopped instead of running on');
  });

  it('host defaults to OLLAMA_HOST, then 127.0.0.1:11434; untagged names match :latest', () => {
    assert.equal(defaultOllamaHost({ OLLAMA_HOST: 'http://gpu-box:11434' }), 'http://gpu-box:11434');
    assert.equal(defaultOllamaHost({}), 'http://127.0.0.1:11434');
    assert.ok(sameModel('llama3.2', 'llama3.2:latest'));
    assert.ok(!sameModel('llama3.2:1b', 'llama3.2:latest'));
  });
});
