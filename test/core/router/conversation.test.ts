import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ConversationSchema,
  fromAnthropic,
  fromOllamaMessages,
  toAnthropic,
  toOllamaMessages,
  type Conversation,
  type Turn,
} from '../../../src/core/router/conversation';

const sample: Conversation = {
  system: 'You are terse.',
  turns: [
    { role: 'user', content: 'what is in a.ts and b.ts?' },
    {
      role: 'assistant',
      content: 'Let me read them.',
      toolCalls: [
        { id: 'call_1', name: 'read_file', input: { path: 'a.ts' } },
        { id: 'call_2', name: 'read_file', input: { path: 'b.ts', opts: { lines: [1, 2] } } },
      ],
    },
    { role: 'tool', toolCallId: 'call_1', name: 'read_file', content: 'export const a = 1;' },
    { role: 'tool', toolCallId: 'call_2', name: 'read_file', content: 'no such file: b.ts', isError: true },
    { role: 'assistant', content: 'a.ts exports a; b.ts does not exist.' },
    { role: 'user', content: 'thanks' },
  ],
};

/** Well-formed conversations: each tool-calling assistant turn is followed by exactly one result per call. */
const idArb = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/);
const nameArb = fc.constantFrom('read_file', 'search_lessons');
const jsonValue = fc.jsonValue({ maxDepth: 2 });
const exchangeArb: fc.Arbitrary<Turn[]> = fc
  .record({
    user: fc.string(),
    calls: fc.array(fc.record({ name: nameArb, input: fc.dictionary(fc.string({ minLength: 1 }), jsonValue, { maxKeys: 3 }) }), { maxLength: 3 }),
    preface: fc.string(),
    results: fc.array(fc.record({ content: fc.string(), isError: fc.boolean() }), { minLength: 3, maxLength: 3 }),
    answer: fc.string(),
    ids: fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }),
  })
  .map(({ user, calls, preface, results, answer, ids }) => {
    const turns: Turn[] = [{ role: 'user', content: user }];
    if (calls.length) {
      const toolCalls = calls.map((c, i) => ({ id: `${ids[i]}_${i}`, name: c.name, input: c.input as Record<string, unknown> }));
      turns.push({ role: 'assistant', content: preface, toolCalls });
      toolCalls.forEach((c, i) =>
        turns.push({ role: 'tool', toolCallId: c.id, name: c.name, content: results[i]!.content, ...(results[i]!.isError ? { isError: true } : {}) }),
      );
    }
    turns.push({ role: 'assistant', content: answer });
    return turns;
  });
const conversationArb: fc.Arbitrary<Conversation> = fc
  .record({ system: fc.option(fc.string(), { nil: undefined }), exchanges: fc.array(exchangeArb, { maxLength: 4 }) })
  .map(({ system, exchanges }) => (system === undefined ? { turns: exchanges.flat() } : { system, turns: exchanges.flat() }));

describe('router/conversation', () => {
  it('Ollama: system as the first message, tool_calls with ids, role "tool" with tool_name', () => {
    const msgs = toOllamaMessages(sample);
    assert.deepEqual(msgs[0], { role: 'system', content: 'You are terse.' });
    assert.deepEqual(msgs[2]!.tool_calls![0], { id: 'call_1', function: { name: 'read_file', arguments: { path: 'a.ts' } } });
    assert.deepEqual(msgs[3], { role: 'tool', content: 'export const a = 1;', tool_name: 'read_file', tool_call_id: 'call_1' });
    assert.equal(msgs[4]!.content, 'ERROR: no such file: b.ts');
  });

  it('Anthropic: top-level system, tool_use blocks, consecutive results in one user message', () => {
    const { system, messages } = toAnthropic(sample);
    assert.equal(system, 'You are terse.');
    assert.equal(messages.length, 5);
    assert.deepEqual(messages[1], {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me read them.' },
        { type: 'tool_use', id: 'call_1', name: 'read_file', input: { path: 'a.ts' } },
        { type: 'tool_use', id: 'call_2', name: 'read_file', input: { path: 'b.ts', opts: { lines: [1, 2] } } },
      ],
    });
    assert.deepEqual(messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'export const a = 1;' },
        { type: 'tool_result', tool_use_id: 'call_2', content: 'no such file: b.ts', is_error: true },
      ],
    });
  });

  it('Claude thinking blocks travel first and unmodified on the assistant turn, and come back', () => {
    const conv: Conversation = {
      turns: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: '',
          reasoning: [{ type: 'thinking', thinking: 'need a.ts', signature: 'sig==' }, { type: 'redacted_thinking', data: 'opaque' }],
          toolCalls: [{ id: 't', name: 'read_file', input: { path: 'a.ts' } }],
        },
        { role: 'tool', toolCallId: 't', name: 'read_file', content: 'A' },
      ],
    };
    const { messages } = toAnthropic(conv);
    assert.deepEqual((messages[1]!.content as Array<{ type: string }>).map((b) => b.type), ['thinking', 'redacted_thinking', 'tool_use']);
    assert.deepEqual(fromAnthropic(toAnthropic(conv)), conv);
    assert.equal(toOllamaMessages(conv)[1]!.content, '', 'Anthropic-only: Ollama never sees the blocks');
    assert.ok(!('reasoning' in toOllamaMessages(conv)[1]!));
  });

  it('an assistant turn that only calls tools has no empty text block', () => {
    const { messages } = toAnthropic({ turns: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '', toolCalls: [{ id: 't', name: 'x', input: {} }] }] });
    assert.deepEqual(messages[1]!.content, [{ type: 'tool_use', id: 't', name: 'x', input: {} }]);
  });

  it('round-trips losslessly through both formats (property)', () => {
    fc.assert(
      fc.property(conversationArb, (conv) => {
        assert.deepEqual(fromOllamaMessages(toOllamaMessages(conv)), conv);
        assert.deepEqual(fromAnthropic(toAnthropic(conv)), conv);
        assert.deepEqual(fromAnthropic(toAnthropic(fromOllamaMessages(toOllamaMessages(conv)))), conv);
        ConversationSchema.parse(conv);
      }),
      { numRuns: 300 },
    );
  });

  it('Ollama replies without ids or tool_call_id still map to a well-formed conversation', () => {
    const conv = fromOllamaMessages([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'read_file', arguments: { path: 'a' } } }, { function: { name: 'search_lessons', arguments: '{"query":"x"}' as never } }] },
      { role: 'tool', content: 'lessons', tool_name: 'search_lessons' },
      { role: 'tool', content: 'A', tool_name: 'read_file' },
    ]);
    const calls = (conv.turns[1] as { toolCalls: Array<{ id: string; input: unknown }> }).toolCalls;
    assert.deepEqual(calls.map((c) => c.id), ['call_1_0', 'call_1_1']);
    assert.deepEqual(calls[1]!.input, { query: 'x' }, 'string arguments are parsed');
    assert.deepEqual(conv.turns.slice(2).map((t) => (t as { toolCallId: string }).toolCallId), ['call_1_1', 'call_1_0'], 'matched by name');
    // And the result is valid for Anthropic: every tool_result pairs with a tool_use.
    const { messages } = toAnthropic(conv);
    assert.equal((messages[2]!.content as unknown[]).length, 2);
  });

  it('malformed conversations are rejected by the schema, not crashed on', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const r = ConversationSchema.safeParse(x);
        assert.equal(typeof r.success, 'boolean');
      }),
    );
    assert.equal(ConversationSchema.safeParse({ turns: [{ role: 'tool', content: 'x' }] }).success, false);
  });
});
