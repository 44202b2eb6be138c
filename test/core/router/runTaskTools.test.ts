import assert from 'node:assert/strict';
import { runTask, type RouterDeps, type RunEvent } from '../../../src/core/router/runTask';
import { OllamaProvider } from '../../../src/core/router/ollamaProvider';
import { AnthropicProvider } from '../../../src/core/router/anthropicProvider';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { readFileTool, searchLessonsTool } from '../../../src/core/router/tools';
import type { Turn } from '../../../src/core/router/conversation';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { startFakeOllama, FAKE_OLLAMA_MODEL, type FakeOllama, type FakeOllamaOptions } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic } from '../../support/fakeAnthropic';

const GOOD =
  'The handler reads the session token from the cookie, verifies its signature, and rejects expired tokens before touching the database.';
// Built at runtime so no secret-shaped literal sits in the repository (llmgenie check stays clean).
const AWS_SECRET = fakeSecret('aws-secret-access-key', makeRng(21));
const routeTo = (route: 'local' | 'cloud'): RouterDeps['decide'] => () => ({ route, score: 0.5, reasons: ['test'] });

describe('router/runTask tool loop and context budget', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  let deps: RouterDeps;
  const fs = new MemoryFileSystem({
    '/ws/src/auth.ts': 'export function verify(token: string) { return token.length > 0; }',
    '/ws/.env': `aws_secret_access_key = "${AWS_SECRET}"`,
  });
  const lessons = async (q: string, limit: number) => [{ id: 'L7', title: `Always check token expiry (${q}, ${limit})`, snippet: 'compare exp with now' }];
  const tools = [readFileTool({ fs, root: '/ws' }), searchLessonsTool(lessons)];

  async function setup(o: FakeOllamaOptions = {}, model = FAKE_OLLAMA_MODEL, maxContextTokens?: number): Promise<void> {
    ollama = await startFakeOllama(o);
    claude = await startFakeAnthropic();
    deps = {
      local: new OllamaProvider({ host: ollama.host, model, ...(maxContextTokens ? { maxContextTokens } : {}) }),
      cloud: new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0 }),
      tools,
    };
  }
  afterEach(async () => {
    await ollama.close();
    await claude.close();
  });

  it('local model reads a workspace file through the tool, then answers', async () => {
    await setup({ replies: [{ toolCalls: [{ name: 'read_file', arguments: { path: 'src/auth.ts' } }] }, { text: GOOD }] });
    const seen: RunEvent[] = [];
    const res = await runTask({ prompt: 'how is auth checked?', command: 'explain' }, { ...deps, decide: routeTo('local') }, { onEvent: (e) => seen.push(e) });
    assert.equal(res.ok, true);
    assert.equal(res.provider, 'ollama');
    assert.ok(seen.some((e) => e.kind === 'toolCall' && e.call.name === 'read_file'));
    const second = ollama.chatBodies()[1]!.messages;
    const toolMsg = second.find((m) => m.role === 'tool')!;
    assert.equal(toolMsg.tool_name, 'read_file');
    assert.equal(toolMsg.content, 'export function verify(token: string) { return token.length > 0; }');
    const asked = second.find((m) => m.role === 'assistant')!;
    assert.equal((asked.tool_calls as Array<{ function: { name: string } }>)[0]!.function.name, 'read_file');
    assert.equal(ollama.chatBodies()[0]!.tools!.length, 2, 'both tools offered');
  });

  it('a path escaping the workspace is refused and the model is told', async () => {
    await setup({ replies: [{ toolCalls: [{ name: 'read_file', arguments: { path: '../../etc/passwd' } }] }, { text: GOOD }] });
    await runTask({ prompt: 'read it', command: 'ask' }, { ...deps, decide: routeTo('local') });
    const toolMsg = ollama.chatBodies()[1]!.messages.find((m) => m.role === 'tool')!;
    assert.match(toolMsg.content, /^ERROR: refused/);
  });

  it('search_lessons uses the injected search function', async () => {
    await setup({ replies: [{ toolCalls: [{ name: 'search_lessons', arguments: { query: 'token expiry', limit: 3 } }] }, { text: GOOD }] });
    await runTask({ prompt: 'any lessons?', command: 'ask' }, { ...deps, decide: routeTo('local') });
    const toolMsg = ollama.chatBodies()[1]!.messages.find((m) => m.role === 'tool')!;
    assert.equal(toolMsg.content, '- [L7] Always check token expiry (token expiry, 3): compare exp with now');
  });

  it('Claude tool rounds use tool_use/tool_result, and a secret read by a tool is masked before it goes back', async () => {
    await setup();
    claude.enqueue({ text: 'Checking the env.', toolUses: [{ id: 'toolu_a', name: 'read_file', input: { path: '.env' } }] }, { text: GOOD });
    const res = await runTask({ prompt: 'why is aws auth failing?', command: 'ask' }, { ...deps, decide: routeTo('cloud') });
    assert.equal(res.ok, true);
    assert.equal(res.answer, `Checking the env.\n\n${GOOD}`);
    const second = claude.requests[1]!.body.messages;
    assert.deepEqual(second[1], {
      role: 'assistant',
      content: [{ type: 'text', text: 'Checking the env.' }, { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: { path: '.env' } }],
    });
    const result = (second[2]!.content as Array<{ type: string; content: string }>)[0]!;
    assert.equal(result.type, 'tool_result');
    assert.ok(!result.content.includes(AWS_SECRET), 'tool output is masked before the next Claude call');
    assert.match(result.content, /REDACTED:aws-secret-access-key/);
    assert.equal(res.redactedSecrets, 1);
  });

  it('Claude with adaptive thinking: thinking blocks are passed back unmodified through the tool loop', async () => {
    ollama = await startFakeOllama();
    claude = await startFakeAnthropic({ thinking: true });
    deps = { ...deps, local: new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL }), cloud: new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0 }) };
    claude.enqueue({ toolUses: [{ id: 'toolu_t', name: 'read_file', input: { path: 'src/auth.ts' } }] }, { text: GOOD });
    const res = await runTask({ prompt: 'how is auth checked?', command: 'ask' }, { ...deps, decide: routeTo('cloud') });
    assert.equal(res.ok, true, res.error);
    assert.equal(res.answer, GOOD, 'thinking is never shown as answer text');
    const assistant = claude.requests[1]!.body.messages[1]!.content as Array<{ type: string }>;
    assert.deepEqual(assistant.map((b) => b.type), ['thinking', 'tool_use']);
    const last = res.conversation.turns.at(-1)!;
    assert.ok(last.role === 'assistant' && last.reasoning?.[0]?.type === 'thinking');
  });

  it('a model that keeps calling tools stops at maxToolIterations and escalates with a valid tool transcript', async () => {
    const call = { toolCalls: [{ name: 'read_file', arguments: { path: 'src/auth.ts' } }] };
    await setup({ replies: [call, call, call] });
    claude.enqueue({ text: GOOD });
    const res = await runTask({ prompt: 'explain auth', command: 'explain' }, { ...deps, decide: routeTo('local'), settings: { maxToolIterations: 3 } });
    assert.equal(ollama.chatBodies().length, 3);
    assert.equal(res.provider, 'anthropic');
    assert.match(res.escalationReason!, /tool loop did not finish within 3 model calls/);
    // The fake API rejects tool_result blocks without a matching tool_use in the previous message.
    const msgs = claude.requests[0]!.body.messages;
    assert.equal(msgs.filter((m) => m.role === 'assistant').length, 3, 'two tool rounds, then the (empty) draft as a closed turn');
    assert.equal(msgs.at(-2)!.content, '(no answer)');
    assert.match(String(msgs.at(-1)!.content), /produced an empty answer.*tool loop did not finish/);
    assert.equal(claude.requests[0]!.body.tools!.length, 2);
  });

  it('history beyond the local window: oldest exchanges are dropped, system and latest turn kept', async () => {
    await setup({ models: [{ name: 'tiny:1b', contextLength: 2048 }], replies: [{ text: GOOD }] }, 'tiny:1b');
    const history: Turn[] = [];
    for (let i = 0; i < 12; i++) history.push({ role: 'user', content: `question ${i} ${'x'.repeat(600)}` }, { role: 'assistant', content: `answer ${i} ${'y'.repeat(600)}` });
    const res = await runTask({ prompt: 'latest question', command: 'ask', history }, { ...deps, decide: routeTo('local'), settings: { maxOutputTokens: 256 } });
    assert.equal(res.provider, 'ollama');
    assert.ok(res.notices.some((n) => /Left out \d+ older turns? \(summarised\) to fit tiny:1b/.test(n)));
    const sent = ollama.chatBodies()[0]!.messages;
    assert.equal(sent[0]!.role, 'system');
    assert.equal(sent.at(-1)!.content, 'latest question');
    assert.match(sent[1]!.content, /Earlier conversation summarised/);
    assert.ok(sent.some((m) => m.content.startsWith('question 11')), 'the newest history survives');
    assert.ok(!sent.some((m) => m.content.startsWith('question 0 ')), 'the oldest goes first');
    assert.equal(ollama.chatBodies()[0]!.options!.num_ctx, 2048);
  });

  it('routes first, then cuts the context once for the model that reads it; an escalation re-fits it for Claude', async () => {
    await setup({ models: [{ name: 'tiny:1b', contextLength: 2048 }], replies: [{ text: 'Too short.' }] }, 'tiny:1b');
    const file = Array.from({ length: 4000 }, (_, i) => `line ${i + 1}: const v${i} = compute(${i});`).join('\n');
    const res = await runTask(
      { prompt: 'Explain the file big.ts.', instruction: '', context: file, contextScope: 'file', focus: file.indexOf('line 2000:'), fileName: 'big.ts', command: 'explain' },
      { ...deps, decide: routeTo('local'), settings: { maxOutputTokens: 256 } },
    );
    const local = ollama.chatBodies()[0]!.messages.at(-1)!.content;
    assert.ok(local.length < 8000 && local.includes('line 2000:'), 'the local model got a window around the cursor');
    assert.match(local, /\(Only lines \d+–\d+ of the file fit; the rest is not shown\.\)/);
    assert.ok(res.notices.some((n) => /^Context cut to fit tiny:1b's window: file too large: sent lines \d+–\d+ of 4000/.test(n)));
    assert.equal(res.provider, 'anthropic', 'the weak local answer escalated');
    const toClaude = claude.requests[0]!.body.messages[0]!;
    const text = typeof toClaude.content === 'string' ? toClaude.content : toClaude.content.map((b) => ('text' in b ? b.text : '')).join('');
    assert.ok(text.includes(file), 'Claude saw the whole file, re-fitted to its own window');
    assert.ok(!/Only lines/.test(text));
  });

  it('a Review routed to Claude sends the whole file (the local window never cuts it)', async () => {
    await setup({ models: [{ name: 'tiny:1b', contextLength: 2048 }] }, 'tiny:1b');
    claude.enqueue({ text: 'Line 2000 shadows `v1999`; otherwise the file is consistent and each constant is used once.' });
    const file = Array.from({ length: 4000 }, (_, i) => `line ${i + 1}: const v${i} = compute(${i});`).join('\n');
    const res = await runTask({ prompt: 'Review the file big.ts.', instruction: '', context: file, contextScope: 'file', fileName: 'big.ts', command: 'review' }, { ...deps, decide: routeTo('cloud') });
    assert.equal(res.provider, 'anthropic');
    const first = claude.requests[0]!.body.messages[0]!;
    const text = typeof first.content === 'string' ? first.content : first.content.map((b) => ('text' in b ? b.text : '')).join('');
    assert.ok(text.includes(file));
    assert.ok(!res.notices.some((n) => /Context cut/.test(n)));
    assert.equal(ollama.chatBodies().length, 0);
  });

  it('a task whose history cannot fit the window even after dropping turns is refused with the reason', async () => {
    await setup({ models: [{ name: 'tiny:1b', contextLength: 1024 }] }, 'tiny:1b');
    const res = await runTask({ prompt: 'q'.repeat(20_000), command: 'ask' }, { ...deps, decide: routeTo('local') });
    assert.equal(res.provider, 'anthropic');
    assert.ok(res.notices.some((n) => /does not fit tiny:1b's context window/.test(n)));
    assert.equal(ollama.chatBodies().length, 0);
  });
});
