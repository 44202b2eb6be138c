import assert from 'node:assert/strict';
import fc from 'fast-check';
import { budgetConversation, estimateConversationTokens, estimateTokens } from '../../../src/core/router/budget';
import type { Conversation, Turn } from '../../../src/core/router/conversation';

const big = (tag: string, n = 400): string => `${tag} ${'w'.repeat(n)}`;

function history(exchanges: number, withTools = false): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i < exchanges; i++) {
    turns.push({ role: 'user', content: big(`q${i}`) });
    if (withTools) {
      turns.push({ role: 'assistant', content: '', toolCalls: [{ id: `c${i}`, name: 'read_file', input: { path: `f${i}` } }] });
      turns.push({ role: 'tool', toolCallId: `c${i}`, name: 'read_file', content: big(`r${i}`) });
    }
    turns.push({ role: 'assistant', content: big(`a${i}`) });
  }
  return turns;
}

describe('router/budget', () => {
  it('estimates ~4 characters per token', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
  });

  it('leaves a conversation that fits untouched', () => {
    const conv: Conversation = { system: 's', turns: history(2) };
    const r = budgetConversation(conv, 10_000);
    assert.equal(r.conversation, conv);
    assert.equal(r.droppedTurns, 0);
    assert.equal(r.fits, true);
  });

  it('drops oldest exchanges first, summarises them, keeps system and the latest turn', () => {
    const conv: Conversation = { system: big('SYSTEM', 200), turns: [...history(10), { role: 'user', content: 'latest' }] };
    const r = budgetConversation(conv, 800);
    assert.equal(r.fits, true);
    assert.ok(r.estimatedTokens <= 800);
    assert.equal(r.conversation.system, conv.system);
    assert.equal(r.conversation.turns.at(-1)!.content, 'latest');
    assert.equal(r.summarised, true);
    assert.match(r.conversation.turns[0]!.content, /^\[Earlier conversation summarised .*\]\n- asked: q0 /);
    const kept = r.conversation.turns.slice(1, -1).map((t) => t.content.split(' ')[0]);
    const k = kept.length / 2;
    assert.ok(k >= 1, 'at least the most recent exchange survives');
    const newest = Array.from({ length: k }, (_, j) => 10 - k + j).flatMap((i) => [`q${i}`, `a${i}`]);
    assert.deepEqual(kept, newest, 'what is kept is the newest whole exchanges, in order');
    assert.equal(r.droppedTurns, conv.turns.length - (r.conversation.turns.length - 1));
  });

  it('never splits a tool call from its result', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 200, max: 3000 }), (n, max) => {
        const conv: Conversation = { turns: [...history(n, true), { role: 'user', content: 'now' }] };
        const r = budgetConversation(conv, max);
        const turns = r.conversation.turns;
        turns.forEach((t, i) => {
          if (t.role === 'tool') {
            const prev = turns.slice(0, i).reverse().find((p) => p.role === 'assistant');
            assert.ok(prev && prev.role === 'assistant' && prev.toolCalls?.some((c) => c.id === t.toolCallId), 'result has its call');
          }
        });
        assert.equal(turns.at(-1)!.content, 'now');
        if (r.fits) assert.ok(estimateConversationTokens(r.conversation) <= max);
      }),
    );
  });

  it('reports fits=false when the system prompt and latest turn alone are too big, without cutting them', () => {
    const conv: Conversation = { system: big('S', 2000), turns: [...history(3), { role: 'user', content: big('huge', 8000) }] };
    const r = budgetConversation(conv, 1000);
    assert.equal(r.fits, false);
    assert.equal(r.conversation.system, conv.system);
    assert.equal(r.conversation.turns.at(-1)!.content, conv.turns.at(-1)!.content);
  });
});
