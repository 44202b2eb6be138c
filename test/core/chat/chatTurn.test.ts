import assert from 'node:assert/strict';
import { runChatTurn, turnTask, type TurnRequest, type TurnRunner } from '../../../src/core/chat/chatTurn';
import { threadStore } from '../../../src/core/chat/threadStore';
import type { ChatThread, TurnContext } from '../../../src/core/chat/thread';
import type { AnswerEvent } from '../../../src/core/router/answerView';
import { AnthropicProvider } from '../../../src/core/router/anthropicProvider';
import { OllamaProvider } from '../../../src/core/router/ollamaProvider';
import { runTask, type RouterDeps } from '../../../src/core/router/runTask';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { FAKE_CLAUDE_KEY, startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';
import { FAKE_OLLAMA_MODEL, startFakeOllama, type FakeOllama } from '../../support/fakeOllama';

const BILLING = [
  "import { logger } from './logger';",
  '',
  'export function invoiceTotal(lines: { qty: number; price: number }[]): number {',
  '  const total = lines.reduce((sum, l) => sum + l.qty * l.price, 0);',
  "  logger.info('invoice total', total);",
  '  return total;',
  '}',
].join('\n');
const CONTEXT: TurnContext = { text: BILLING, fileName: 'src/billing.ts', language: 'typescript', scope: 'selection', firstLine: 1 };

const Q1 = 'What does invoiceTotal do?';
const Q2 = 'What does it return for an empty list?';
const Q3 = 'Could two invoices be charged twice if the payment retries after a timeout? Walk me through the race and how to make it idempotent.';
const A1 = 'It multiplies quantity by price for every line, sums the products with reduce starting from zero, logs the total and returns it.';
const A2 = 'For an empty list reduce returns its initial value, so the total is 0 and the logger records a zero invoice total.';
const A3 = 'Yes: a retry after a timeout can charge twice, because nothing ties the retry to the first attempt. Send an idempotency key per invoice and store the charge id before retrying.';

describe('chat/chatTurn: a conversation on the router (real clients → fake Ollama and Claude)', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  let deps: RouterDeps;
  const run: TurnRunner = (input, opts) => runTask(input, { ...deps, ...(opts.force ? { settings: { mode: opts.force } } : {}) }, opts);
  const answerFor = (text: string): string => (text.includes(Q3) ? A3 : text.includes(Q2) ? A2 : A1);

  beforeEach(async () => {
    ollama = await startFakeOllama({ reply: (b) => ({ text: answerFor(b.messages.at(-1)!.content) }) });
    claude = await startFakeAnthropic({
      reply: (b) => {
        const last = b.messages.at(-1)!.content;
        return { text: `Claude: ${answerFor(typeof last === 'string' ? last : JSON.stringify(last))}` };
      },
    });
    deps = {
      local: new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL }),
      cloud: new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0 }),
      shownNotices: new Set(),
    };
  });
  afterEach(async () => {
    await ollama.close();
    await claude.close();
  });

  const ids = (() => {
    let n = 0;
    return () => `t${++n}`;
  })();
  const request = (thread: Pick<ChatThread, 'turns'>, text: string, extra: Partial<TurnRequest> = {}): TurnRequest => ({
    thread, id: ids(), text, mode: 'auto', models: { ollama: FAKE_OLLAMA_MODEL, anthropic: 'claude-sonnet' }, ...extra,
  });

  it('keeps the routed conversation over three turns, re-routes the harder follow-up to Claude and says so', async () => {
    const thread: Pick<ChatThread, 'turns'> = { turns: [] };
    const events: AnswerEvent[] = [];
    const t1 = await runChatTurn(request(thread, Q1, { context: CONTEXT, contextUri: 'file:///ws/src/billing.ts' }), run, { onEvent: (e) => events.push(e) });
    thread.turns.push(t1);
    assert.equal(t1.answer.status, 'done');
    assert.equal(t1.answer.metrics?.provider, 'ollama');
    assert.equal(t1.answer.answer, A1);
    assert.deepEqual(t1.chips, [{ kind: 'selection', label: 'src/billing.ts:1–7', uri: 'file:///ws/src/billing.ts' }]);
    assert.equal(t1.note, undefined);
    // Streamed: the deltas add up to the answer.
    assert.equal(events.filter((e) => e.kind === 'delta').map((e) => (e as { text: string }).text).join(''), A1);

    const t2 = await runChatTurn(request(thread, Q2), run);
    thread.turns.push(t2);
    assert.equal(t2.answer.metrics?.provider, 'ollama');
    // The local model read the first question with its code, and its answer, before the follow-up.
    const sent = ollama.chatBodies()[1]!.messages;
    assert.deepEqual(sent.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
    assert.match(sent[1]!.content, /What does invoiceTotal do\?[\s\S]*Context from src\/billing\.ts:\n```typescript\nimport/);
    assert.equal(sent[2]!.content, A1);
    assert.equal(sent[3]!.content, Q2);

    const t3 = await runChatTurn(request(thread, Q3), run);
    thread.turns.push(t3);
    assert.equal(t3.answer.route?.route, 'cloud');
    assert.equal(t3.answer.metrics?.provider, 'anthropic');
    assert.match(t3.note ?? '', /^Re-routed to Claude: this follow-up makes the conversation harder than the 2 earlier local turns/);
    assert.ok(t3.answer.banners.some((b) => b.message === t3.note), 'the note is shown on the turn');
    assert.ok(t3.answer.metrics!.costUsd > 0);
    // Claude read the whole conversation: both earlier questions and the local answers.
    const body = claude.requests.at(-1)!.body;
    assert.deepEqual(body.messages.map((m) => m.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.equal(body.messages[3]!.content, A2);

    // A routine follow-up after Claude answered stays on Claude.
    const t4 = await runChatTurn(request(thread, 'What does it return for a single line?'), run);
    assert.equal(t4.answer.metrics?.provider, 'anthropic');
    // It stays on Claude because the whole conversation scores hard, or, had it scored routine, because the
    // conversation is already there (keepCloud; taskRoute's own tests cover that reason).
    assert.equal(t4.answer.route?.route, 'cloud');
    assert.equal(t4.note, undefined);
  });

  it('keeps a conversation Claude already answered on Claude when the classifier alone would go local', async () => {
    const res = await runTask(
      { prompt: 'What does it return?', command: 'ask', routeOn: { instruction: 'What does it return?', keepCloud: 'the conversation is already on Claude' } },
      { ...deps, decide: () => ({ route: 'local', score: 0.05, reasons: ['looks routine'] }) },
    );
    assert.equal(res.provider, 'anthropic');
    assert.equal(res.route, 'cloud');
    assert.deepEqual(res.reasons.slice(0, 2), ['the conversation is already on Claude', 'looks routine']);
    // Forced Local still wins: the keep applies in Auto only.
    const local = await runTask(
      { prompt: 'What does it return?', command: 'ask', routeOn: { instruction: 'What does it return?', keepCloud: 'the conversation is already on Claude' } },
      { ...deps, settings: { mode: 'local' }, decide: () => ({ route: 'local', score: 0.05, reasons: ['looks routine'] }) },
    );
    assert.equal(local.provider, 'ollama');
  });

  it('routes each turn on the whole conversation: earlier code and words count for the follow-up', () => {
    const done = { turns: [] } as Pick<ChatThread, 'turns'>;
    const task = turnTask(done.turns, 'x', Q2);
    assert.deepEqual(task.routeOn, { instruction: Q2 });
    const prior = { id: 'a', at: 0, text: Q1, context: CONTEXT, chips: [], answer: { id: 'a', title: 'Chat', label: '', status: 'done' as const, mode: 'auto' as const, models: { ollama: '', anthropic: '' }, answer: A1, drafts: [], banners: [], toolCalls: [], startedAt: 0 } };
    const follow = turnTask([prior], 'y', Q2);
    assert.equal(follow.routeOn?.instruction, `${Q2}\n${Q1}`);
    assert.equal(follow.routeOn?.context, BILLING);
    assert.equal(follow.context, undefined, 'the code is not sent twice: it is in the history');
    assert.equal(follow.language, 'typescript');
    assert.equal(follow.history?.length, 2);
  });

  it('re-runs a local turn on Claude in place, keeping the local answer as superseded', async () => {
    const thread: Pick<ChatThread, 'turns'> = { turns: [] };
    const t1 = await runChatTurn(request(thread, Q1, { context: CONTEXT }), run);
    thread.turns.push(t1);
    const again = await runChatTurn(request(thread, t1.text, { id: t1.id, context: CONTEXT, force: 'cloud' }), run);
    assert.equal(again.id, t1.id);
    assert.equal(again.answer.metrics?.provider, 'anthropic');
    assert.equal(again.answer.answer, `Claude: ${A1}`);
    assert.deepEqual(again.answer.drafts.map((d) => [d.provider, d.text, d.reason]), [['ollama', A1, 'replaced at your request']]);
    assert.ok(again.answer.banners.some((b) => b.message === 'Re-run on Claude at your request.'));
    assert.equal(again.note, undefined, 'a forced run is not a re-route');
  });

  it('a failed turn stays in the thread but not in what the model reads next', async () => {
    const thread: Pick<ChatThread, 'turns'> = { turns: [] };
    deps.settings = { mode: 'local' };
    ollama.enqueue({ status: 500, error: 'model crashed' });
    const failed = await runChatTurn(request(thread, Q1, { context: CONTEXT, mode: 'local' }), run, {});
    assert.equal(failed.answer.status, 'failed');
    thread.turns.push(failed);
    const next = await runChatTurn(request(thread, Q2, { mode: 'local' }), run);
    assert.equal(next.answer.status, 'done');
    assert.deepEqual(ollama.chatBodies().at(-1)!.messages.map((m) => m.role), ['system', 'user']);
  });
});

describe('chat/threadStore: threads as reviewable workspace files', () => {
  const root = '/ws';
  const secret = fakeSecret('aws-secret-access-key', makeRng(7));
  let n = 0;
  const newId = () => `thread-${++n}`;

  it('stores turns masked, survives a reload (a new store on the same files), lists newest first, replaces a re-run', async () => {
    const fs = new MemoryFileSystem();
    const store = threadStore({ fs, root, newId, now: () => 1000 });
    const thread = await store.create(`Why does   this fail?\n${'x'.repeat(100)}`);
    assert.match(thread.title, /^Why does this fail\? x+…$/);
    assert.ok(thread.title.length <= 60);
    const view = { id: 'turn-1', title: 'Chat', label: 'src/a.ts:1', status: 'done' as const, mode: 'auto' as const, models: { ollama: 'q', anthropic: 'c' }, answer: `Set aws_secret_access_key = "${secret}" in the env`, drafts: [], banners: [], toolCalls: [], startedAt: 2000 };
    const turn = { id: 'turn-1', at: 2000, text: 'why?', context: { text: `aws_secret_access_key = "${secret}"`, fileName: 'src/a.ts', scope: 'selection' as const }, chips: [], answer: view };
    const stored = await store.saveTurn(thread.id, turn);
    const file = fs.files.get(`${root}/.llmgenie/conversations/${thread.id}.jsonl`)!;
    assert.ok(!file.includes(secret), 'no secret reaches the file');
    assert.match(file, /REDACTED/);
    assert.equal(stored.context?.text.includes(secret), false);

    const other = await store.create('second');
    await store.saveTurn(other.id, { ...turn, id: 'turn-2', at: 500, answer: { ...view, id: 'turn-2', startedAt: 500 } });
    // Reload: a fresh store reads the same files.
    const again = threadStore({ fs, root, newId });
    const loaded = await again.load(thread.id);
    assert.equal(loaded?.thread.turns.length, 1);
    assert.equal(loaded?.skipped, 0);
    assert.deepEqual((await again.list()).map((t) => [t.id, t.turns]), [[thread.id, 1], [other.id, 1]]);

    await again.saveTurn(thread.id, { ...turn, answer: { ...view, answer: 'replaced' } });
    const replaced = await again.load(thread.id);
    assert.equal(replaced?.thread.turns.length, 1);
    assert.equal(replaced?.thread.turns[0]!.answer.answer, 'replaced');
    assert.equal(fs.files.get(`${root}/.llmgenie/conversations/${thread.id}.jsonl`)!.trim().split('\n').length, 3, 'append-only: the replaced turn is still in the file');

    await again.rename(thread.id, 'Billing questions');
    assert.equal((await again.load(thread.id))?.thread.title, 'Billing questions');
    await again.remove(other.id);
    assert.deepEqual((await again.list()).map((t) => t.id), [thread.id]);
  });

  it('skips a broken line, ignores files that are not threads, and refuses ids that are paths', async () => {
    const fs = new MemoryFileSystem({
      [`${root}/.llmgenie/conversations/good.jsonl`]: `${JSON.stringify({ kind: 'thread', v: 1, id: 'good', title: 'Good', createdAt: 1 })}\n{not json\n${JSON.stringify({ kind: 'turn', turn: { id: 'bad' } })}\n`,
      [`${root}/.llmgenie/conversations/stray.jsonl`]: 'hello\n',
      [`${root}/.llmgenie/conversations/README.md`]: '# notes',
    });
    const store = threadStore({ fs, root, newId });
    const loaded = await store.load('good');
    assert.equal(loaded?.skipped, 2);
    assert.deepEqual((await store.list()).map((t) => t.id), ['good']);
    assert.equal(await store.load('missing'), undefined);
    await assert.rejects(store.load('../../etc/passwd'), /not a conversation id/);
  });
});
