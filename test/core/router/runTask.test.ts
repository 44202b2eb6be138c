import assert from 'node:assert/strict';
import { runTask, type RouterDeps, type RunEvent, type TaskInput } from '../../../src/core/router/runTask';
import { OllamaProvider } from '../../../src/core/router/ollamaProvider';
import { AnthropicProvider } from '../../../src/core/router/anthropicProvider';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { costUsd, pricing } from '../../../src/core/router/pricing';
import { estimateConversationTokens, estimateTurnTokens } from '../../../src/core/router/budget';
import { buildConversation } from '../../../src/core/router/prompts';
import type { Turn } from '../../../src/core/router/conversation';
import type { SessionEventInput } from '../../../src/core/sessions/sink';
import { closedPort, startFakeOllama, FAKE_OLLAMA_MODEL, type FakeOllama, type FakeOllamaOptions } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic } from '../../support/fakeAnthropic';

const GOOD_LOCAL =
  'This function parses the config file, validates each field against the schema, and returns a frozen object so callers cannot mutate shared settings.';
// Built at runtime so no secret-shaped literal sits in the repository (llmgenie check stays clean).
const AWS_SECRET = fakeSecret('aws-secret-access-key', makeRng(12));
const AWS_LINE = `aws_secret_access_key = "${AWS_SECRET}"`;

/** A classifier stand-in: these tests are about what happens after the route is chosen. */
const routeTo = (route: 'local' | 'cloud'): RouterDeps['decide'] => () => ({ route, score: route === 'cloud' ? 0.9 : 0.1, reasons: [`test: ${route}`] });

interface Rig {
  ollama: FakeOllama;
  claude: FakeAnthropic;
  deps: RouterDeps;
  events: SessionEventInput[];
  seen: RunEvent[];
  run(input: TaskInput, extra?: Partial<RouterDeps>, signal?: AbortSignal): ReturnType<typeof runTask>;
}

async function rig(o: { ollama?: FakeOllamaOptions; ollamaDown?: boolean; noKey?: boolean; deps?: Partial<RouterDeps> } = {}): Promise<Rig> {
  const ollama = await startFakeOllama(o.ollama);
  const claude = await startFakeAnthropic();
  const host = o.ollamaDown ? `http://127.0.0.1:${await closedPort()}` : ollama.host;
  const events: SessionEventInput[] = [];
  const seen: RunEvent[] = [];
  const deps: RouterDeps = {
    local: new OllamaProvider({ host, model: FAKE_OLLAMA_MODEL }),
    cloud: new AnthropicProvider({ apiKey: o.noKey ? undefined : FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 1 }),
    sink: { append: async (e) => void events.push(e) },
    shownNotices: new Set(),
    ...o.deps,
  };
  return {
    ollama,
    claude,
    deps,
    events,
    seen,
    run: (input, extra = {}, signal) => runTask(input, { ...deps, ...extra }, { signal, onEvent: (e) => seen.push(e) }),
  };
}

describe('router/runTask (real clients → fake Ollama and Claude)', () => {
  let r: Rig;
  afterEach(async () => {
    await r.ollama.close();
    await r.claude.close();
  });

  it('routine task answered locally: streamed, checked, logged with tokens, zero cost and the cloud baseline', async () => {
    r = await rig({ ollama: { replies: [{ text: GOOD_LOCAL, promptEvalCount: 120, evalCount: 30 }] } });
    const res = await r.run({ prompt: 'explain this', context: 'export const x = 1;', fileName: 'src/x.ts', command: 'explain' }, { decide: routeTo('local') });
    assert.equal(res.ok, true);
    assert.equal(res.provider, 'ollama');
    assert.equal(res.answer, GOOD_LOCAL);
    assert.equal(r.seen.filter((e) => e.kind === 'delta').map((e) => (e as { text: string }).text).join(''), GOOD_LOCAL);
    assert.equal(res.tokensIn, 120);
    assert.equal(res.tokensOut, 30);
    assert.equal(res.costUsd, 0);
    // All on Claude: the request Claude would have been sent (not the local model's 120 input tokens) and the answer.
    const claudeRequest = estimateConversationTokens(buildConversation({ prompt: 'explain this', context: 'export const x = 1;', fileName: 'src/x.ts', language: 'typescript', command: 'explain' }, false));
    assert.equal(res.cloudCostUsd, costUsd(pricing.defaultCloudModel, { inputTokens: claudeRequest, outputTokens: 30 }));
    assert.ok(res.cloudCostUsd > 0);
    assert.deepEqual([res.localTokensIn, res.localTokensOut, res.cloudTokensIn, res.cloudTokensOut], [120, 30, 0, 0]);
    assert.equal(res.extraCostUsd, undefined);
    assert.ok(res.ttftMs !== undefined && res.ttftMs <= res.totalMs);
    assert.equal(r.claude.requests.length, 0);
    assert.equal(r.events.length, 1);
    const payload = r.events[0]!.payload as Record<string, unknown>;
    assert.equal(r.events[0]!.type, 'task');
    assert.deepEqual(payload.files, ['src/x.ts']);
    assert.ok(!('answer' in payload) && !('conversation' in payload), 'the log never holds the answer text');
    const sent = r.ollama.chatBodies()[0]!.messages;
    assert.equal(sent[0]!.role, 'system');
    assert.match(sent[1]!.content, /Context from src\/x\.ts:\n```typescript\nexport const x = 1;\n```/);
  });

  for (const [name, reply, expect] of [
    ['too short', { text: 'It parses.' }, /too short/],
    ['a refusal', { text: "I'm sorry, but I can't help with that request because it might be unsafe to explain code." }, /refused/],
    ['truncated', { text: `${GOOD_LOCAL} And then`, doneReason: 'length' }, /truncated/],
    ['code that does not parse', { text: `${GOOD_LOCAL}\n\`\`\`ts\nconst x = ;\n\`\`\`` }, /does not parse/],
    ['unbalanced fences', { text: `${GOOD_LOCAL}\n\`\`\`ts\nconst x = 1;` }, /unbalanced/],
  ] as const) {
    it(`a local answer that is ${name} escalates to Claude with the conversation, the draft and the reason`, async () => {
      r = await rig({ ollama: { replies: [{ ...reply, promptEvalCount: 100, evalCount: 10 }] } });
      r.claude.enqueue({ text: 'A complete answer from Claude about the parser and its validation.', inputTokens: 500, outputTokens: 50 });
      const res = await r.run({ prompt: 'explain this', context: 'export const parse = (s: string) => JSON.parse(s);', fileName: 'p.ts', command: 'explain' }, { decide: routeTo('local') });
      assert.equal(res.provider, 'anthropic');
      assert.equal(res.escalated, true);
      assert.match(res.escalationReason!, expect);
      assert.equal(res.ok, true);
      assert.equal(res.answer, 'A complete answer from Claude about the parser and its validation.');
      const body = r.claude.requests[0]!.body;
      assert.ok(typeof body.system === 'string' && body.system.includes('llmgenie'));
      const msgs = body.messages;
      assert.match(String(msgs[0]!.content), /explain this/);
      assert.equal(msgs[1]!.role, 'assistant');
      assert.equal(msgs[1]!.content, typeof reply.text === 'string' ? reply.text : '');
      assert.match(String(msgs[2]!.content), /failed automatic checks/);
      assert.ok(r.seen.some((e) => e.kind === 'switch' && e.from === 'ollama' && e.to === 'anthropic'));
      assert.ok(res.notices.some((n) => /escalating to Claude/.test(n)));
      assert.equal(res.tokensIn, 600, 'local and cloud tokens are both counted');
      assert.equal(res.tokensOut, 60);
      assert.equal(res.costUsd, costUsd(pricing.defaultCloudModel, { inputTokens: 500, outputTokens: 50 }), 'only Claude tokens cost');
      // All on Claude would have cost Claude's tokens without what only the escalation added (the local draft and
      // the "answer again" turn): never the local model's tokens, so an escalation shows its extra cost, not a saving.
      const added = estimateTurnTokens(msgs[1] as Turn) + estimateTurnTokens({ role: 'user', content: String(msgs[2]!.content) });
      assert.equal(res.cloudCostUsd, costUsd(pricing.defaultCloudModel, { inputTokens: 500 - added, outputTokens: 50 }));
      assert.ok(res.cloudCostUsd < res.costUsd);
      assert.equal(res.extraCostUsd, Math.round((res.costUsd - res.cloudCostUsd) * 1e6) / 1e6);
      assert.ok(res.extraCostUsd! > 0);
      assert.deepEqual([res.localTokensIn, res.localTokensOut, res.cloudTokensIn, res.cloudTokensOut], [100, 10, 500, 50]);
    });
  }

  it('Ollama not running → Claude, with the notice shown once per session', async () => {
    r = await rig({ ollamaDown: true });
    const a = await r.run({ prompt: 'explain', command: 'explain' }, { decide: routeTo('local') });
    const b = await r.run({ prompt: 'explain again', command: 'explain' }, { decide: routeTo('local') });
    for (const res of [a, b]) {
      assert.equal(res.ok, true);
      assert.equal(res.provider, 'anthropic');
      assert.equal(res.escalated, true);
      assert.match(res.escalationReason!, /unavailable \(unreachable\)/);
    }
    assert.equal(a.notices.filter((n) => /Ollama is not running at .*ollama serve/.test(n)).length, 1);
    assert.equal(b.notices.length, 0, 'one-time notice is not repeated');
  });

  it('Ollama not running and no API key → a clear message how to fix either', async () => {
    r = await rig({ ollamaDown: true, noKey: true });
    const res = await r.run({ prompt: 'explain', command: 'explain' }, { decide: routeTo('local') });
    assert.equal(res.ok, false);
    assert.match(res.error!, /ollama serve/);
    assert.match(res.error!, /ANTHROPIC_API_KEY|API key/);
    assert.equal(r.events.length, 1, 'failures are logged too');
  });

  it('model missing → Claude, and the notice says how to pull it', async () => {
    r = await rig({ ollama: { models: [{ name: 'llama3.2:latest' }] } });
    const res = await r.run({ prompt: 'explain', command: 'explain' }, { decide: routeTo('local') });
    assert.equal(res.provider, 'anthropic');
    assert.ok(res.notices.some((n) => n.includes(`ollama pull ${FAKE_OLLAMA_MODEL}`) && n.includes('llama3.2:latest')));
  });

  for (const status of [429, 529] as const) {
    it(`Claude ${status} after the SDK's retries → local answer with a notice`, async () => {
      r = await rig({ ollama: { replies: [{ text: GOOD_LOCAL }] } });
      r.claude.enqueue({ status, retryAfter: '0.01' }, { status, retryAfter: '0.01' });
      const res = await r.run({ prompt: 'design a cache', command: 'ask' }, { decide: routeTo('cloud') });
      assert.equal(r.claude.requests.length, 2, 'one call plus one SDK retry');
      assert.equal(res.provider, 'ollama');
      assert.equal(res.ok, true);
      assert.ok(res.notices.some((n) => (status === 429 ? /rate limit/ : /overloaded/).test(n) && /local model/.test(n)));
      assert.equal(res.costUsd, 0);
    });
  }

  it('secrets in the prompt and context are masked before Claude sees them, and the user is told', async () => {
    r = await rig();
    const res = await r.run({ prompt: `why does this fail?\n${AWS_LINE}`, context: `config:\n${AWS_LINE}\n`, command: 'ask' }, { decide: routeTo('cloud') });
    assert.equal(res.ok, true);
    const raw = JSON.stringify(r.claude.requests[0]!.body);
    assert.ok(!raw.includes(AWS_SECRET), 'the secret never reaches the cloud');
    assert.match(raw, /REDACTED:aws-secret-access-key/);
    assert.equal(res.redactedSecrets, 2);
    assert.ok(res.notices.some((n) => /Masked 2 secrets \(aws-secret-access-key\)/.test(n)));
  });

  it('secrets set to "block": Claude is never called; Auto falls back to local, forced Cloud fails', async () => {
    r = await rig({ ollama: { replies: [{ text: GOOD_LOCAL }] } });
    const auto = await r.run({ prompt: AWS_LINE, command: 'ask' }, { decide: routeTo('cloud'), settings: { secrets: 'block' } });
    assert.equal(auto.provider, 'ollama');
    assert.ok(auto.notices.some((n) => /Not sent to Claude: 1 secret/.test(n)));
    const forced = await r.run({ prompt: AWS_LINE, command: 'ask' }, { settings: { secrets: 'block', mode: 'cloud' } });
    assert.equal(forced.ok, false);
    assert.match(forced.error!, /Not sent to Claude/);
    assert.equal(r.claude.requests.length, 0);
  });

  it('forced Local never escalates; a weak answer is kept and marked', async () => {
    r = await rig({ ollama: { replies: [{ text: 'Nope.' }] } });
    const res = await r.run({ prompt: 'explain', command: 'explain' }, { settings: { mode: 'local' } });
    assert.equal(res.route, 'local');
    assert.equal(res.mode, 'local');
    assert.equal(res.provider, 'ollama');
    assert.equal(res.ok, false);
    assert.match(res.qualityReasons!.join(), /too short/);
    assert.equal(r.claude.requests.length, 0);
  });

  it('forced Cloud with Claude overloaded fails without touching Ollama', async () => {
    r = await rig();
    r.claude.enqueue({ status: 529, retryAfter: '0.01' }, { status: 529, retryAfter: '0.01' });
    const res = await r.run({ prompt: 'x', command: 'ask' }, { settings: { mode: 'cloud' } });
    assert.equal(res.ok, false);
    assert.match(res.error!, /overloaded/);
    assert.equal(r.ollama.chatBodies().length, 0);
  });

  it('per-command override (review → cloud) is applied through the real classifier', async () => {
    r = await rig();
    const res = await r.run({ prompt: 'rename x to y', command: 'review' }, { settings: { overrides: { review: 'cloud' } } });
    assert.equal(res.route, 'cloud');
    assert.match(res.reasons[0]!, /override/);
    assert.equal(res.provider, 'anthropic');
  });

  it('escalation impossible (no key): the local draft is kept, re-sent after the switch, and marked', async () => {
    r = await rig({ ollama: { replies: [{ text: 'Too short.' }] }, noKey: true });
    const res = await r.run({ prompt: 'explain', command: 'explain' }, { decide: routeTo('local') });
    assert.equal(res.provider, 'ollama');
    assert.equal(res.answer, 'Too short.');
    assert.equal(res.ok, false);
    assert.ok(res.notices.some((n) => /Could not escalate to Claude/.test(n)));
    const lastSwitch = r.seen.map((e) => e.kind).lastIndexOf('switch');
    assert.equal(r.seen.slice(lastSwitch + 1).filter((e) => e.kind === 'delta').map((e) => (e as { text: string }).text).join(''), 'Too short.');
  });

  it('cancel during a slow local stream stops at once and is logged as cancelled', async () => {
    r = await rig({ ollama: { replies: [{ text: Array.from({ length: 100 }, (_, i) => `w${i} `), chunkDelayMs: 50 }] } });
    const ac = new AbortController();
    let abortedAt = 0;
    const res = await runTask({ prompt: 'explain', command: 'explain' }, { ...r.deps, decide: routeTo('local') }, {
      signal: ac.signal,
      onEvent: (e) => {
        if (e.kind === 'delta' && !abortedAt) {
          abortedAt = performance.now();
          ac.abort();
        }
      },
    });
    // How fast is measured by bench/router-cancel.bench.ts; here: it stopped instead of running on.
    assert.ok(performance.now() - abortedAt < 1500, 'stopped instead of running on');
    assert.equal(res.ok, false);
    assert.equal(res.error, 'cancelled');
    assert.equal(r.claude.requests.length, 0, 'a cancel is not escalated');
    assert.equal((r.events[0]!.payload as { error: string }).error, 'cancelled');
  });
});
