import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeOllama, FAKE_OLLAMA_MODEL } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY } from '../../support/fakeAnthropic';

// The fakes are shared with the lessons and analytics work: their non-chat endpoints get checked here too.
describe('test fakes through the real clients', () => {
  it('fake Ollama: /api/embed gives deterministic, normalised vectors; /api/version answers', async () => {
    const fake = await startFakeOllama({ embeddingDimensions: 32 });
    try {
      const client = new Ollama({ host: fake.host });
      const r = await client.embed({ model: FAKE_OLLAMA_MODEL, input: ['retry with backoff', 'retry with backoff', 'css grid layout'] });
      assert.equal(r.embeddings.length, 3);
      assert.equal(r.embeddings[0]!.length, 32);
      assert.deepEqual(r.embeddings[0], r.embeddings[1]);
      assert.ok(Math.abs(Math.hypot(...r.embeddings[2]!) - 1) < 1e-9);
      assert.ok(r.prompt_eval_count > 0);
      assert.equal((await client.version()).version, '0.12.6');
      await assert.rejects(client.embed({ model: 'missing', input: 'x' }), /not found/);
    } finally {
      await fake.close();
    }
  });

  it('fake Anthropic: non-streaming messages.create returns a complete message', async () => {
    const fake = await startFakeAnthropic({ replies: [{ text: 'Hi there', toolUses: [{ id: 'toolu_x', name: 'read_file', input: { path: 'a' } }] }] });
    try {
      const client = new Anthropic({ apiKey: FAKE_CLAUDE_KEY, baseURL: fake.url, maxRetries: 0 });
      const m = await client.messages.create({
        model: 'claude-sonnet-5-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ name: 'read_file', input_schema: { type: 'object', properties: {} } }],
      });
      assert.equal(m.stop_reason, 'tool_use');
      assert.deepEqual(m.content.map((b) => b.type), ['text', 'tool_use']);
      assert.ok(m.usage.input_tokens > 0);
    } finally {
      await fake.close();
    }
  });
});
