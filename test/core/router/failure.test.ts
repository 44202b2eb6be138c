import assert from 'node:assert/strict';
import { runTask, type RouterDeps, type TaskResult } from '../../../src/core/router/runTask';
import { OllamaProvider } from '../../../src/core/router/ollamaProvider';
import { AnthropicProvider, DEFAULT_CLAUDE_MODEL } from '../../../src/core/router/anthropicProvider';
import { describeFailure, failureHealth, type FailureContext, type TaskFailureCard } from '../../../src/core/router/failure';
import { newAnswerView, reduceAnswer } from '../../../src/core/router/answerView';
import { closedPort, startFakeOllama, FAKE_OLLAMA_MODEL, type FakeOllama, type FakeOllamaOptions } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic, type FakeClaudeReply } from '../../support/fakeAnthropic';

const CLAUDE_MODEL = DEFAULT_CLAUDE_MODEL;

interface Setup {
  mode: 'auto' | 'local' | 'cloud';
  key?: string;
  ollama?: FakeOllamaOptions;
  ollamaDown?: boolean;
  claudeReplies?: FakeClaudeReply[];
  /** 'closed': a port nothing listens on; 'ollama': the fake Ollama (a server that is not the Claude API). */
  baseURL?: 'closed' | 'ollama';
}

describe('router/failure (real clients → fake servers → the failure card)', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  afterEach(async () => {
    await ollama?.close();
    await claude?.close();
  });

  async function fail(s: Setup): Promise<{ result: TaskResult; card: TaskFailureCard; ctx: FailureContext }> {
    ollama = await startFakeOllama(s.ollama);
    claude = await startFakeAnthropic({ replies: s.claudeReplies ?? [] });
    const host = s.ollamaDown ? `http://127.0.0.1:${await closedPort()}` : ollama.host;
    const baseURL = s.baseURL === 'closed' ? `http://127.0.0.1:${await closedPort()}` : s.baseURL === 'ollama' ? ollama.host : claude.url;
    const deps: RouterDeps = {
      local: new OllamaProvider({ host, model: FAKE_OLLAMA_MODEL }),
      cloud: new AnthropicProvider({ apiKey: s.key, baseURL, model: CLAUDE_MODEL, maxRetries: 0 }),
      settings: { mode: s.mode },
      decide: () => ({ route: s.mode === 'local' ? 'local' : 'cloud', score: 0.5, reasons: ['test'] }),
      shownNotices: new Set(),
    };
    const result = await runTask({ command: 'explain', prompt: 'Explain this', context: 'const a = 1;', fileName: 'a.ts' }, deps);
    assert.equal(result.ok, false);
    assert.ok(result.failure, `expected a failure, got ${JSON.stringify(result.error)}`);
    const ctx: FailureContext = {
      keySource: s.key ? 'secret' : 'none', mode: s.mode, ollamaHost: host, ollamaModel: FAKE_OLLAMA_MODEL, claudeModel: CLAUDE_MODEL,
      ...(s.baseURL ? { claudeBaseURL: baseURL } : {}),
    };
    return { result, card: describeFailure(result.failure, ctx), ctx };
  }
  const ids = (c: TaskFailureCard): string[] => c.actions.map((a) => a.id);

  it('no key: the fix is Set API Key', async () => {
    const { card } = await fail({ mode: 'cloud' });
    assert.equal(card.kind, 'no-key');
    assert.deepEqual(c0(card), { id: 'setKey', label: 'Set API Key' });
    assert.ok(ids(card).includes('retry'));
  });

  it('a key the API rejects: Replace API Key, never "Set API Key"', async () => {
    const { card } = await fail({ mode: 'cloud', key: 'sk-ant-wrong-one' }); // llmgenie-allow(400)
    assert.equal(card.kind, 'bad-key');
    assert.equal(card.title, 'Anthropic rejected the API key');
    assert.ok(!card.actions.some((a) => a.label === 'Set API Key'));
    assert.equal(c0(card).label, 'Replace API Key');
    assert.match(card.message, /invalid x-api-key/);
  });

  it('a key from ANTHROPIC_API_KEY that is rejected: no key button at all (it is not in the editor)', async () => {
    const { result, ctx } = await fail({ mode: 'cloud', key: 'sk-ant-wrong-two' }); // llmgenie-allow(400)
    const card = describeFailure(result.failure!, { ...ctx, keySource: 'env' });
    assert.ok(!ids(card).includes('setKey'));
    assert.match(card.detail, /ANTHROPIC_API_KEY/);
  });

  it('an unreachable base URL: Open Settings on llmgenie.claude.baseUrl, the URL named', async () => {
    const { card, ctx } = await fail({ mode: 'cloud', key: FAKE_CLAUDE_KEY, baseURL: 'closed' });
    assert.equal(card.kind, 'unreachable');
    assert.ok(card.title.includes(ctx.claudeBaseURL!));
    assert.deepEqual(card.actions.find((a) => a.id === 'openSettings'), { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.claude.baseUrl' });
    assert.ok(!ids(card).includes('setKey'), 'a key is set: no Set API Key');
  });

  it('a base URL that answers 404 (not the Claude API): wrong-url, Open Settings first', async () => {
    const { card } = await fail({ mode: 'cloud', key: FAKE_CLAUDE_KEY, baseURL: 'ollama' });
    assert.equal(card.kind, 'wrong-url');
    assert.equal(c0(card).id, 'openSettings');
  });

  it('a model the API does not know (404 not_found_error): Open Settings on llmgenie.claude.model', async () => {
    const { card } = await fail({ mode: 'cloud', key: FAKE_CLAUDE_KEY, claudeReplies: [{ status: 404, errorType: 'not_found_error', errorMessage: `model: ${CLAUDE_MODEL}` }] });
    assert.equal(card.kind, 'model-not-found');
    assert.deepEqual(c0(card), { id: 'openSettings', label: 'Open Settings', setting: 'llmgenie.claude.model' });
  });

  it('rate limit and overload: Retry first (Cloud mode offers the local model too)', async () => {
    const limited = await fail({ mode: 'cloud', key: FAKE_CLAUDE_KEY, claudeReplies: [{ status: 429, retryAfter: '0' }] });
    assert.equal(limited.card.kind, 'rate-limited');
    assert.deepEqual(ids(limited.card), ['retry', 'tryLocal']);
    await ollama.close();
    await claude.close();
    const busy = await fail({ mode: 'cloud', key: FAKE_CLAUDE_KEY, claudeReplies: [{ status: 529 }] });
    assert.equal(busy.card.kind, 'overloaded');
    assert.equal(busy.card.title, 'Claude is overloaded');
    assert.deepEqual(failureHealth(busy.result.failure!, true), { ok: false, text: 'reachable, busy (overloaded)' });
  });

  it('Local mode, Ollama down, a key set: "Ask Claude instead" first, no Set API Key', async () => {
    const { card, ctx } = await fail({ mode: 'local', key: FAKE_CLAUDE_KEY, ollamaDown: true });
    assert.equal(card.kind, 'ollama-down');
    assert.ok(card.title.includes(ctx.ollamaHost));
    assert.deepEqual(ids(card), ['askClaude', 'retry', 'openSettings']);
    assert.deepEqual(failureHealth({ provider: 'ollama', reason: 'unreachable', message: '' }, true), { ok: false, text: 'not running' });
  });

  it('Local mode, model missing: Pull it first, installed models named, Ask Claude instead offered', async () => {
    const { card } = await fail({ mode: 'local', key: FAKE_CLAUDE_KEY, ollama: { models: [{ name: 'llama3.2:latest' }] } });
    assert.equal(card.kind, 'model-missing');
    assert.deepEqual(c0(card), { id: 'pullModel', label: `Pull ${FAKE_OLLAMA_MODEL}`, model: FAKE_OLLAMA_MODEL });
    assert.match(card.detail, /Installed: llama3\.2:latest/);
    assert.ok(ids(card).includes('askClaude'));
  });

  it('Local mode, Ollama down, no key: no Ask Claude (it could not answer), no key nagging', async () => {
    const { card } = await fail({ mode: 'local', ollamaDown: true });
    assert.deepEqual(ids(card), ['retry', 'openSettings']);
  });

  it('Auto, both sides down: the card says so and offers the key', async () => {
    const { card, result } = await fail({ mode: 'auto', ollamaDown: true });
    assert.equal(result.failure!.both, true);
    assert.equal(card.kind, 'no-key');
    assert.match(card.detail, /other side could not answer either/);
  });

  it('the answer view shows the error once: the failure card replaces the same banner', async () => {
    ollama = await startFakeOllama();
    claude = await startFakeAnthropic();
    const deps: RouterDeps = {
      local: new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL }),
      cloud: new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0 }),
      settings: { mode: 'cloud' },
      shownNotices: new Set(),
    };
    let view = newAnswerView({ id: 't', title: 'Explain', label: 'a.ts', mode: 'cloud', models: { ollama: FAKE_OLLAMA_MODEL, anthropic: CLAUDE_MODEL }, startedAt: 0 });
    const result = await runTask({ command: 'explain', prompt: 'Explain', context: 'x', fileName: 'a.ts' }, deps, {
      onEvent: (e) => {
        // The editor maps notices one to one (editorCommands.toAnswerEvent); the rest does not matter here.
        if (e.kind === 'notice') view = reduceAnswer(view, { kind: 'notice', message: e.message, level: e.level });
      },
    });
    const card = describeFailure(result.failure!, { keySource: 'secret', mode: 'cloud', ollamaHost: ollama.host, ollamaModel: FAKE_OLLAMA_MODEL, claudeModel: CLAUDE_MODEL });
    assert.ok(view.banners.some((b) => b.message === card.message), 'the router noticed the error');
    view = reduceAnswer(view, { kind: 'failure', failure: card });
    assert.ok(!view.banners.some((b) => b.message.includes(card.message)), 'and the card replaces that notice');
    assert.equal(view.failure?.kind, 'unreachable');
  });
});

function c0(card: TaskFailureCard): TaskFailureCard['actions'][number] {
  assert.ok(card.actions.length, 'the card offers an action');
  return card.actions[0]!;
}
