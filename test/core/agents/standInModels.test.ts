import Anthropic from '@anthropic-ai/sdk';
import { strict as assert } from 'node:assert';
import { Ollama } from 'ollama';
import { DEFAULT_CLAUDE_MODEL } from '../../../src/core/router/anthropicProvider';
import { CLAUDE_ANSWER, COMMIT_MESSAGE, standInEnvironment, startStandInModels } from '../../e2e/fakeLlmServersMain';
import { FAKE_CLAUDE_KEY } from '../../support/fakeAnthropic';
import { FAKE_OLLAMA_MODEL } from '../../support/fakeOllama';

// `npm run fake-models` and the demo serve these: one set of servers that answers agent roles as the pipeline
// expects and every other request as the editor scenarios do. Talked to through the real clients.
/** The fake streams, as Ollama does by default for the router's requests. */
async function chat(host: string, req: { messages: Array<{ role: string; content: string }>; tools?: unknown[] }) {
  const stream = await new Ollama({ host }).chat({ model: FAKE_OLLAMA_MODEL, ...req, stream: true } as never);
  let content = '';
  const tools: string[] = [];
  for await (const part of stream as AsyncIterable<{ message: { content: string; tool_calls?: Array<{ function: { name: string } }> } }>) {
    content += part.message.content;
    for (const c of part.message.tool_calls ?? []) tools.push(c.function.name);
  }
  return { content, tools };
}

describe('stand-in models (npm run fake-models)', function () {
  this.timeout(20_000);
  let servers: Awaited<ReturnType<typeof startStandInModels>>;
  before(async () => {
    servers = await startStandInModels();
  });
  after(() => servers.close());

  it('answers the coder role over the Ollama wire format with its first tool call', async () => {
    const r = await chat(servers.ollama.host, {
      messages: [
        { role: 'system', content: 'You are the llmgenie coder. Work in the worktree.' },
        { role: 'user', content: 'Task: Add a clamp helper with tests\nround 1' },
      ],
      tools: [{ type: 'function', function: { name: 'list_files', description: 'list', parameters: { type: 'object', properties: {} } } }],
    });
    assert.deepEqual(r.tools, ['list_files']);
    assert.deepEqual(servers.agents.calls, [{ role: 'coder', task: 'Add a clamp helper with tests', round: 1 }]);
  });

  it('answers the reviewer over the Claude wire format with a verdict in a json block', async () => {
    const claude = new Anthropic({ baseURL: servers.anthropic.url, apiKey: FAKE_CLAUDE_KEY, maxRetries: 0 });
    const r = await claude.messages.create({
      model: DEFAULT_CLAUDE_MODEL,
      max_tokens: 500,
      system: 'You are the llmgenie reviewer.',
      messages: [{ role: 'user', content: 'Task: Add a slugify helper with tests\nControl questions to answer (1):\n1. Where does slugify live?\n\n' }],
    });
    const text = r.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    const json = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(text)![1]!);
    assert.equal(json.verdict, 'approve');
    assert.equal(json.answers[0].question, 'Where does slugify live?');
  });

  it('answers non-agent requests as the editor scenarios expect (commit message, Claude answer)', async () => {
    const local = await chat(servers.ollama.host, { messages: [{ role: 'user', content: 'Write a commit message for this diff' }] });
    assert.equal(local.content, COMMIT_MESSAGE);
    const claude = new Anthropic({ baseURL: servers.anthropic.url, apiKey: FAKE_CLAUDE_KEY, maxRetries: 0 });
    const cloud = await claude.messages.create({ model: DEFAULT_CLAUDE_MODEL, max_tokens: 500, messages: [{ role: 'user', content: 'Explain invoiceTotal' }] });
    assert.equal(cloud.content.map((b) => (b.type === 'text' ? b.text : '')).join(''), CLAUDE_ANSWER);
  });

  it('prints the environment the CLI and the editor read, marked as stand-ins', () => {
    assert.deepEqual(standInEnvironment('http://127.0.0.1:1', 'http://127.0.0.1:2'), {
      OLLAMA_HOST: 'http://127.0.0.1:1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:2',
      ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY,
      LLMGENIE_STAND_IN_MODELS: '1',
    });
  });
});
