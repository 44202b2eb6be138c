import assert from 'node:assert/strict';
import { editorRouterConfig, type RouterSettingKey } from '../../../src/core/router/editorConfig';
import { observeProvider, type ProviderOutcome } from '../../../src/core/router/observedProvider';
import { createProviders } from '../../../src/core/router/setup';
import { closedPort, startFakeOllama } from '../../support/fakeOllama';

const from = (values: Partial<Record<RouterSettingKey, unknown>>) => (key: RouterSettingKey) => values[key];

describe('router/editorConfig', () => {
  it('gives the documented defaults when nothing is set, with OLLAMA_HOST as the host fallback', () => {
    const c = editorRouterConfig(from({}), { OLLAMA_HOST: 'http://gpu-box:11434' });
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.providers, {
      ollamaHost: 'http://gpu-box:11434',
      ollamaModel: 'qwen2.5-coder:7b',
      firstTokenTimeoutMs: 10_000,
      idleTimeoutMs: 30_000,
      localTimeoutMs: 300_000,
      localMaxContextTokens: 8192,
      claudeModel: 'claude-sonnet-5-5',
      claudeMaxRetries: 2,
      cloudTimeoutMs: 300_000,
    });
    assert.deepEqual(c.router, { mode: 'auto', overrides: {}, secrets: 'mask', maxToolIterations: 4, maxOutputTokens: 4096 });
    assert.equal(c.cloudThreshold, undefined, "the shipped model's threshold");
    assert.equal(editorRouterConfig(from({ 'router.cloudThreshold': null }), {}).cloudThreshold, undefined);
    assert.equal(editorRouterConfig(from({}), {}).providers.ollamaHost, 'http://127.0.0.1:11434');
  });

  it('reads every setting and lower-cases override command names', () => {
    const c = editorRouterConfig(
      from({
        'router.mode': 'local', 'router.overrides': { Review: 'cloud', tests: 'local' }, 'router.secrets': 'block', 'router.cloudThreshold': 0.7,
        'router.maxToolIterations': 2, 'router.maxOutputTokens': 1024, 'ollama.host': 'http://10.0.0.5:11434', 'ollama.model': 'llama3.2',
        'ollama.timeoutMs': 5000, 'ollama.maxContextTokens': 16384, 'claude.model': 'claude-haiku-4-5', 'claude.baseUrl': 'http://127.0.0.1:9999/',
        'claude.timeoutMs': 3000, 'claude.maxRetries': 0, 'router.firstTokenTimeoutMs': 2500, 'router.idleTimeoutMs': 4000,
      }),
      { OLLAMA_HOST: 'http://ignored:1' },
    );
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.router, { mode: 'local', overrides: { review: 'cloud', tests: 'local' }, secrets: 'block', maxToolIterations: 2, maxOutputTokens: 1024 });
    assert.equal(c.cloudThreshold, 0.7);
    assert.deepEqual(c.providers, {
      ollamaHost: 'http://10.0.0.5:11434', ollamaModel: 'llama3.2', firstTokenTimeoutMs: 2500, idleTimeoutMs: 4000, localTimeoutMs: 5000, localMaxContextTokens: 16384,
      anthropicBaseURL: 'http://127.0.0.1:9999', claudeModel: 'claude-haiku-4-5', claudeMaxRetries: 0, cloudTimeoutMs: 3000,
    });
  });

  it('falls back per setting on a bad value and names it', () => {
    const c = editorRouterConfig(from({ 'router.cloudThreshold': 3, 'ollama.host': 'localhost:11434', 'router.overrides': { review: 'gpu' }, 'claude.maxRetries': 'x' }), {});
    assert.equal(c.cloudThreshold, undefined);
    assert.equal(c.providers.ollamaHost, 'http://127.0.0.1:11434');
    assert.deepEqual(c.router.overrides, {}, 'the default');
    assert.equal(c.providers.claudeMaxRetries, 2);
    assert.equal(c.problems.length, 4);
    assert.match(c.problems[0]!, /^llmgenie\.router\.overrides: review: .*; using \{\}$/);
    assert.match(c.problems.find((p) => p.startsWith('llmgenie.router.cloudThreshold'))!, /using the default$/);
    assert.match(c.problems.find((p) => p.startsWith('llmgenie.ollama.host'))!, /must be an http\(s\) URL; using ""$/);
  });
});

describe('router/observedProvider', () => {
  it('reports a finished stream as healthy and a missing model or a refused connection with its reason', async () => {
    const fake = await startFakeOllama({ replies: [{ text: 'hello there' }] });
    try {
      const outcomes: ProviderOutcome[] = [];
      const { local } = createProviders({ ollamaHost: fake.host });
      const ok = observeProvider(local, (o) => outcomes.push(o));
      assert.equal(ok.id, 'ollama');
      assert.equal(ok.model, 'qwen2.5-coder:7b');
      let text = '';
      for await (const ev of ok.streamChat({ turns: [{ role: 'user', content: 'hi' }] })) if (ev.type === 'text') text += ev.text;
      assert.equal(text, 'hello there');
      assert.deepEqual(outcomes, [{ provider: 'ollama', ok: true }]);

      const missing = observeProvider(createProviders({ ollamaHost: fake.host, ollamaModel: 'llama3.2:1b' }).local, (o) => outcomes.push(o));
      await assert.rejects(missing.contextWindow(), { reason: 'model-missing' });
      const down = observeProvider(createProviders({ ollamaHost: `http://127.0.0.1:${await closedPort()}` }).local, (o) => outcomes.push(o));
      await assert.rejects(async () => {
        for await (const _ of down.streamChat({ turns: [{ role: 'user', content: 'hi' }] }));
      }, { reason: 'unreachable' });
      assert.deepEqual(outcomes.slice(1).map((o) => (o.ok ? 'ok' : o.error.reason)), ['model-missing', 'unreachable']);
    } finally {
      await fake.close();
    }
  });

  it('does not report a cancelled call', async () => {
    const fake = await startFakeOllama({ replies: [{ text: 'slow', firstChunkDelayMs: 2000 }] });
    try {
      const outcomes: ProviderOutcome[] = [];
      const p = observeProvider(createProviders({ ollamaHost: fake.host }).local, (o) => outcomes.push(o));
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(async () => {
        for await (const _ of p.streamChat({ turns: [{ role: 'user', content: 'hi' }] }, { signal: ac.signal }));
      }, { reason: 'cancelled' });
      assert.deepEqual(outcomes, []);
    } finally {
      await fake.close();
    }
  });
});
