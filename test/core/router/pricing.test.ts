import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { costUsd, priceOf, pricing } from '../../../src/core/router/pricing';
import { DEFAULT_CLAUDE_MODEL } from '../../../src/core/router/anthropicProvider';
import { redactConversation } from '../../../src/core/router/cloudGuard';
import { redactSecrets } from '../../../src/core/policy/redact';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';

describe('router/pricing', () => {
  it('the default Claude model is priced and not on the SDK deprecation list', () => {
    assert.equal(pricing.defaultCloudModel, DEFAULT_CLAUDE_MODEL);
    assert.ok(priceOf(DEFAULT_CLAUDE_MODEL));
    // The SDK's own deprecation table (not exported, so read as text).
    const table = readFileSync('node_modules/@anthropic-ai/sdk/internal/data/deprecated-models.js', 'utf8');
    assert.match(table, /DEPRECATED_MODELS = \{/);
    assert.ok(!table.includes(`'${DEFAULT_CLAUDE_MODEL}'`));
  });

  it('prices per million tokens, matches dated snapshots by prefix, applies long-prompt rates', () => {
    assert.equal(costUsd('claude-sonnet-5-5', { inputTokens: 1_000_000, outputTokens: 1_000_000 }), 12);
    assert.equal(costUsd('claude-haiku-4-5-20251001', { inputTokens: 1000, outputTokens: 1000 }), 0.006);
    assert.equal(costUsd('claude-haiku-5-5', { inputTokens: 100_000, outputTokens: 0 }), 0.01);
    assert.equal(costUsd('claude-haiku-5-5', { inputTokens: 100_001, outputTokens: 1000 }), round6(100_001 * 0.5e-6 + 1000 * 2.5e-6));
    assert.equal(priceOf('gpt-4'), undefined);
    assert.equal(costUsd('some-future-model', { inputTokens: 1_000_000, outputTokens: 0 }), 2, 'unknown models use the default rate');
  });
});

describe('router/cloudGuard', () => {
  it('masks secrets in system, turns, tool inputs and tool results, and counts them', () => {
    // Built at runtime so no secret-shaped literal sits in the repository (llmgenie check stays clean).
    const secret = fakeSecret('aws-secret-access-key', makeRng(30));
    const key = `aws_secret_access_key = "${secret}"`;
    const r = redactConversation(
      {
        system: 'plain',
        turns: [
          { role: 'user', content: key },
          { role: 'assistant', content: '', toolCalls: [{ id: 't', name: 'x', input: { nested: { list: [key] } } }] },
          { role: 'tool', toolCallId: 't', name: 'x', content: key },
        ],
      },
      redactSecrets,
    );
    assert.equal(r.count, 3);
    assert.deepEqual(r.kinds, ['aws-secret-access-key']);
    assert.ok(!JSON.stringify(r.conversation).includes(secret));
    assert.equal(r.conversation.system, 'plain');
  });
});

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
