import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AnthropicProvider } from '../../../src/core/router/anthropicProvider';
import { CallScope, deadlineMessage } from '../../../src/core/router/deadlines';
import { ProviderError } from '../../../src/core/router/errors';
import { OllamaProvider } from '../../../src/core/router/ollamaProvider';
import type { LlmProvider, StreamEvent } from '../../../src/core/router/provider';
import { runTask } from '../../../src/core/router/runTask';
import { createProviders, providerConfigFromEnv } from '../../../src/core/router/setup';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic } from '../../support/fakeAnthropic';
import { startFakeOllama, FAKE_OLLAMA_MODEL, type FakeOllama } from '../../support/fakeOllama';

const hi = { turns: [{ role: 'user' as const, content: 'hi' }] };

async function outcome(p: LlmProvider): Promise<{ ms: number; text: string; error?: ProviderError }> {
  const t0 = performance.now();
  let text = '';
  try {
    for await (const e of p.streamChat(hi) as AsyncIterable<StreamEvent>) if (e.type === 'text') text += e.text;
    return { ms: performance.now() - t0, text };
  } catch (e) {
    assert.ok(e instanceof ProviderError, `expected a ProviderError, got ${String(e)}`);
    return { ms: performance.now() - t0, text, error: e };
  }
}

/** Accepts connections and reads requests but never answers: a wedged server (or a proxy in front of one). */
async function hungServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(() => {});
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('router/deadlines: first token, idle and total, through the real clients', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  beforeEach(async () => {
    ollama = await startFakeOllama();
    claude = await startFakeAnthropic();
  });
  afterEach(async () => {
    await ollama.close();
    await claude.close();
  });

  it('names each deadline in one line', () => {
    assert.equal(deadlineMessage('Claude', 'first-token', 2500), 'Claude sent no first token within 2.5 s');
    assert.equal(deadlineMessage('Ollama at h', 'idle', 30_000), 'Ollama at h went quiet for 30 s mid-answer');
    assert.equal(deadlineMessage('Claude', 'total', 300_000), 'Claude took longer than 300 s in total');
  });

  it('a scope only arms idle once the first token came, and a token disarms the first-token timer', async () => {
    const s = new CallScope(undefined, { firstTokenMs: 200, idleMs: 60 });
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(s.abortedBy, undefined, 'silence before the first token is the first-token deadline’s, not idle’s');
    s.token();
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(s.abortedBy, 'idle');
    s.dispose();
    const cancelled = new AbortController();
    const c = new CallScope(cancelled.signal, { firstTokenMs: 50 });
    cancelled.abort();
    assert.equal(c.abortedBy, 'cancelled');
    c.dispose();
  });

  it('Ollama: a server that never answers (not even /api/tags) gives up at the first-token deadline', async () => {
    const hung = await hungServer();
    try {
      const r = await outcome(new OllamaProvider({ host: hung.url, model: FAKE_OLLAMA_MODEL, firstTokenTimeoutMs: 300 }));
      assert.equal(r.error?.reason, 'timeout');
      assert.equal(r.error?.message, `Ollama at ${hung.url} sent no first token within 0.3 s`);
      assert.ok(r.ms >= 280 && r.ms < 5000, `${r.ms} ms (the default deadline would be 10 s)`);
    } finally {
      await hung.close();
    }
  });

  it('Ollama: headers sent, then no token (model stuck loading) → first-token deadline', async () => {
    const p = new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL, firstTokenTimeoutMs: 300, idleTimeoutMs: 5000 });
    await p.ensureReady();
    ollama.enqueue({ text: 'never', firstChunkDelayMs: 60_000 });
    const r = await outcome(p);
    assert.match(r.error?.message ?? '', /sent no first token within 0\.3 s/);
    assert.ok(r.ms < 5000, `${r.ms} ms (the default deadline would be 10 s)`);
  });

  it('Ollama: hangs mid-stream → idle deadline, the words so far were streamed', async () => {
    ollama.enqueue({ text: ['one ', 'two ', 'three'], chunkDelayMs: 60_000 });
    const r = await outcome(new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL, firstTokenTimeoutMs: 2000, idleTimeoutMs: 250 }));
    assert.equal(r.text, 'one ');
    assert.match(r.error?.message ?? '', /went quiet for 0\.3 s mid-answer$/);
  });

  it('Ollama: a steady answer longer than the first-token deadline is not cut; one longer than the total is', async () => {
    ollama.enqueue({ text: Array.from({ length: 8 }, (_, i) => `w${i} `), chunkDelayMs: 60 });
    const ok = await outcome(new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL, firstTokenTimeoutMs: 100, idleTimeoutMs: 300 }));
    assert.equal(ok.error, undefined);
    assert.ok(ok.ms > 100, 'outlived the first-token deadline');
    assert.equal(ok.text.trim().split(' ').length, 8);
    ollama.enqueue({ text: Array.from({ length: 40 }, (_, i) => `w${i} `), chunkDelayMs: 50 });
    const cut = await outcome(new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL, idleTimeoutMs: 300, totalTimeoutMs: 400 }));
    assert.match(cut.error?.message ?? '', /took longer than 0\.4 s in total/);
  });

  it('Claude: no response at all (retries pending) → first-token deadline, not the SDK timeout', async () => {
    claude.enqueue({ text: 'late', firstByteDelayMs: 60_000 });
    const r = await outcome(new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 2, firstTokenTimeoutMs: 300 }));
    assert.equal(r.error?.reason, 'timeout');
    assert.equal(r.error?.message, 'Claude sent no first token within 0.3 s');
    assert.ok(r.ms < 5000, `${r.ms} ms (the default deadline would be 10 s)`);
  });

  it('Claude: a hung gateway that never answers → first-token deadline', async () => {
    const hung = await hungServer();
    try {
      const r = await outcome(new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: hung.url, maxRetries: 0, firstTokenTimeoutMs: 300 }));
      assert.equal(r.error?.message, 'Claude sent no first token within 0.3 s');
    } finally {
      await hung.close();
    }
  });

  it('Claude: hangs mid-stream → idle deadline', async () => {
    claude.enqueue({ text: ['alpha ', 'beta'], chunkDelayMs: 60_000 });
    const r = await outcome(new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0, idleTimeoutMs: 200 }));
    assert.equal(r.text, 'alpha ');
    assert.equal(r.error?.message, 'Claude went quiet for 0.2 s mid-answer');
  });

  it('settings reach both providers: LLMGENIE_FIRST_TOKEN_TIMEOUT_MS / LLMGENIE_IDLE_TIMEOUT_MS, refused when malformed', async () => {
    const hung = await hungServer();
    try {
      const cfg = providerConfigFromEnv({ OLLAMA_HOST: hung.url, ANTHROPIC_BASE_URL: hung.url, ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY, LLMGENIE_FIRST_TOKEN_TIMEOUT_MS: '250', LLMGENIE_IDLE_TIMEOUT_MS: '900' }); // llmgenie-allow(400)
      assert.equal(cfg.firstTokenTimeoutMs, 250);
      assert.equal(cfg.idleTimeoutMs, 900);
      const { local, cloud } = createProviders({ ...cfg, claudeMaxRetries: 0 });
      for (const p of [local, cloud]) assert.match((await outcome(p)).error?.message ?? '', / sent no first token within 0\.3 s$/);
      assert.throws(() => providerConfigFromEnv({ LLMGENIE_FIRST_TOKEN_TIMEOUT_MS: 'soon' }), /^Error: LLMGENIE_FIRST_TOKEN_TIMEOUT_MS must be a positive whole number of milliseconds, got "soon"$/);
    } finally {
      await hung.close();
    }
  });

  it('runTask: a hung Ollama falls back to Claude within the first-token deadline', async () => {
    const hung = await hungServer();
    try {
      const deadline = 400;
      const local = new OllamaProvider({ host: hung.url, model: FAKE_OLLAMA_MODEL, firstTokenTimeoutMs: deadline });
      const cloud = new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0, firstTokenTimeoutMs: deadline });
      claude.enqueue({ text: 'From Claude: the function parses the config, validates each field and freezes the result.' });
      const t0 = performance.now();
      const res = await runTask(
        { prompt: 'explain this', command: 'explain' },
        { local, cloud, decide: () => ({ route: 'local', score: 0.1, reasons: ['test: local'] }), shownNotices: new Set() },
      );
      const ms = performance.now() - t0;
      assert.equal(res.ok, true, res.error);
      assert.equal(res.provider, 'anthropic');
      assert.match(res.answer, /^From Claude/);
      assert.match(res.escalationReason ?? '', /timeout/);
      assert.ok(res.notices.some((n) => /sent no first token within 0\.4 s/.test(n)), res.notices.join(' | '));
      assert.ok(ms < 5000, `fell back after ${Math.round(ms)} ms (the default deadline would be 10 s)`);
      assert.equal(claude.requests.length, 1);
    } finally {
      await hung.close();
    }
  });
});
