import assert from 'node:assert/strict';
import { AnthropicProvider, DEFAULT_CLAUDE_MODEL } from '../../../src/core/router/anthropicProvider';
import { ProviderError } from '../../../src/core/router/errors';
import type { StreamEvent } from '../../../src/core/router/provider';
import type { Conversation } from '../../../src/core/router/conversation';
import { readFileTool } from '../../../src/core/router/tools';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { closedPort } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic } from '../../support/fakeAnthropic';

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

const hi: Conversation = { system: 'You are terse.', turns: [{ role: 'user', content: 'hi' }] };
const tools = [readFileTool({ fs: new MemoryFileSystem(), root: '/w' })];

describe('router/AnthropicProvider (real @anthropic-ai/sdk → fake server)', () => {
  let fake: FakeAnthropic;
  const provider = (extra: Partial<ConstructorParameters<typeof AnthropicProvider>[0]> = {}): AnthropicProvider =>
    new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: fake.url, maxRetries: 2, ...extra });
  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(() => fake.close());

  it('streams SSE text deltas with usage from message_start and message_delta', async () => {
    fake.enqueue({ text: ['Hello', ', ', 'there'], inputTokens: 42, outputTokens: 7 });
    const events = await collect(provider().streamChat(hi));
    assert.equal(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join(''), 'Hello, there');
    assert.deepEqual(events.at(-1), { type: 'done', doneReason: 'stop', rawDoneReason: 'end_turn', usage: { inputTokens: 42, outputTokens: 7 } });
    const req = fake.requests[0]!;
    assert.equal(req.body.system, 'You are terse.', 'system goes top-level');
    assert.deepEqual(req.body.messages, [{ role: 'user', content: 'hi' }]);
    assert.equal(req.body.model, DEFAULT_CLAUDE_MODEL);
    assert.equal(req.body.stream, true);
    assert.equal(req.headers.authorization ?? `Bearer ${String(req.headers['x-api-key'])}`, `Bearer ${FAKE_CLAUDE_KEY}`);
  });

  it('assembles tool_use input from input_json_delta fragments', async () => {
    fake.enqueue({ text: 'Let me look.', toolUses: [{ id: 'toolu_1', name: 'read_file', input: { path: 'src/deep/a file.ts' } }] });
    const events = await collect(provider().streamChat(hi, { tools }));
    const call = events.find((e) => e.type === 'toolCall');
    assert.deepEqual(call, { type: 'toolCall', call: { id: 'toolu_1', name: 'read_file', input: { path: 'src/deep/a file.ts' } } });
    assert.equal((events.at(-1) as { doneReason: string }).doneReason, 'tool_use');
    const sentTools = fake.requests[0]!.body.tools!;
    assert.equal(sentTools[0]!.name, 'read_file');
    assert.deepEqual((sentTools[0]!.input_schema as { required: string[] }).required, ['path']);
  });

  it('sends a tool exchange the API accepts (tool_use / tool_result pairing)', async () => {
    const conv: Conversation = {
      turns: [
        { role: 'user', content: 'read a and b' },
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'read_file', input: { path: 'a' } }, { id: 't2', name: 'read_file', input: { path: 'b' } }] },
        { role: 'tool', toolCallId: 't1', name: 'read_file', content: 'A' },
        { role: 'tool', toolCallId: 't2', name: 'read_file', content: 'no such file: b', isError: true },
      ],
    };
    fake.enqueue({ text: 'a says A; b is missing' });
    const events = await collect(provider().streamChat(conv, { tools }));
    assert.equal(events.at(-1)?.type, 'done');
    const msgs = fake.requests[0]!.body.messages;
    assert.equal(msgs.length, 3);
    assert.deepEqual(msgs[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', content: 'A' },
        { type: 'tool_result', tool_use_id: 't2', content: 'no such file: b', is_error: true },
      ],
    });
  });

  it('thinking blocks arrive as reasoning events with their signature, separate from text', async () => {
    await fake.close();
    fake = await startFakeAnthropic({ thinking: true });
    fake.enqueue({ text: 'Answer.' });
    const events = await collect(provider().streamChat(hi));
    const r = events.find((e) => e.type === 'reasoning');
    assert.ok(r && r.type === 'reasoning' && r.block.type === 'thinking');
    assert.match(r.block.thinking, /^Considering: Answer\.$/);
    assert.ok(r.block.signature.length > 20);
    assert.equal(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join(''), 'Answer.');
  });

  it('max_tokens stop reason is reported as length', async () => {
    fake.enqueue({ text: 'long', stopReason: 'max_tokens' });
    const done = (await collect(provider().streamChat(hi))).at(-1);
    assert.equal(done?.type === 'done' && done.doneReason, 'length');
  });

  it('429 with retry-after: the SDK waits and retries, then succeeds', async () => {
    fake.enqueue({ status: 429, retryAfter: '0.3' }, { text: 'ok now' });
    const events = await collect(provider().streamChat(hi));
    assert.equal(events.at(-1)?.type, 'done');
    assert.equal(fake.requests.length, 2);
    const waited = fake.requests[1]!.at - fake.requests[0]!.at;
    assert.ok(waited >= 280, `honoured retry-after (waited ${waited} ms)`);
  });

  it('429 after all retries → rate-limited', async () => {
    fake.enqueue(...Array.from({ length: 3 }, () => ({ status: 429, retryAfter: '0.01' })));
    const err = await rejection(collect(provider().streamChat(hi)));
    assert.equal(err.reason, 'rate-limited');
    assert.equal(fake.requests.length, 3, 'one call plus maxRetries=2');
  });

  it('529 overloaded after retries → overloaded; mid-stream overloaded_error too', async () => {
    fake.enqueue(...Array.from({ length: 3 }, () => ({ status: 529, retryAfter: '0.01' })));
    assert.equal((await rejection(collect(provider().streamChat(hi)))).reason, 'overloaded');
    fake.enqueue({ text: 'partial', midStreamError: { type: 'overloaded_error', message: 'Overloaded' } });
    assert.equal((await rejection(collect(provider().streamChat(hi)))).reason, 'overloaded');
  });

  it('no key → no-key without any request; a wrong key → no-key from 401', async () => {
    const none = new AnthropicProvider({ baseURL: fake.url });
    const err = await rejection(collect(none.streamChat(hi)));
    assert.equal(err.reason, 'no-key');
    assert.match(err.message, /ANTHROPIC_API_KEY/);
    assert.equal(fake.requests.length, 0);
    const wrong = await rejection(collect(provider({ apiKey: 'sk-wrong' }).streamChat(hi)));
    assert.equal(wrong.reason, 'no-key');
  });

  it('400 from the API → bad-request (an orphan tool_result is rejected like the real API)', async () => {
    const bad: Conversation = { turns: [{ role: 'tool', toolCallId: 'nope', name: 'read_file', content: 'x' }] };
    const err = await rejection(collect(provider().streamChat(bad, { tools })));
    assert.equal(err.reason, 'bad-request');
    assert.match(err.message, /tool_use_id/);
  });

  it('connection refused → unreachable', async () => {
    const p = new AnthropicProvider({ apiKey: 'k', baseURL: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0 });
    assert.equal((await rejection(collect(p.streamChat(hi)))).reason, 'unreachable');
  });

  it('slow first byte beyond the first-token deadline → timeout', async () => {
    fake.enqueue({ text: 'late', firstByteDelayMs: 1000 });
    const err = await rejection(collect(provider({ firstTokenTimeoutMs: 100, maxRetries: 0 }).streamChat(hi)));
    assert.equal(err.reason, 'timeout');
  });

  it('a stream that goes quiet → timeout after idleTimeoutMs', async () => {
    fake.enqueue({ text: ['a', 'b'], chunkDelayMs: 2000 });
    const err = await rejection(collect(provider({ idleTimeoutMs: 150 }).streamChat(hi)));
    assert.equal(err.reason, 'timeout');
  });

  it('abort stops a slow stream at once with reason cancelled', async () => {
    fake.enqueue({ text: Array.from({ length: 50 }, (_, i) => `w${i} `), chunkDelayMs: 100 });
    const ac = new AbortController();
    let abortedAt = 0;
    const err = await rejection(
      (async () => {
        for await (const e of provider().streamChat(hi, { signal: ac.signal })) {
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

  it('abort during a retry-after wait also cancels', async () => {
    fake.enqueue({ status: 429, retryAfter: '5' });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = performance.now();
    const err = await rejection(collect(provider().streamChat(hi, { signal: ac.signal })));
    assert.equal(err.reason, 'cancelled');
    assert.ok(performance.now() - t0 < 1000);
  });
});
