import assert from 'node:assert/strict';
import type { CliIO } from '../../src/cli/command';
import { CliError, UsageError } from '../../src/cli/command';
import { commands, createAskCommand } from '../../src/cli/commands/ask';
import { classifyTask } from '../../src/core/router/classifier';
import type { SessionEventInput } from '../../src/core/sessions/sink';
import { MemoryFileSystem } from '../support/memoryFileSystem';
import { closedPort, startFakeOllama, type FakeOllama } from '../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic } from '../support/fakeAnthropic';

const GOOD =
  'This helper memoises the expensive lookup per key, so repeated calls with the same key return the cached value instantly.';

describe('llmgenie ask', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  const fs = new MemoryFileSystem({ '/proj/src/cache.ts': 'export const memo = new Map<string, number>();' });
  let env: Record<string, string | undefined>;
  beforeEach(async () => {
    ollama = await startFakeOllama();
    claude = await startFakeAnthropic();
    env = { OLLAMA_HOST: ollama.host, ANTHROPIC_BASE_URL: claude.url, ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY };
  });
  afterEach(async () => {
    await ollama.close();
    await claude.close();
  });

  async function ask(args: string[], extra: { stdin?: string; events?: SessionEventInput[] } = {}): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIO = { cwd: '/proj', env, out: (t) => (out += t), err: (t) => (err += t), readStdin: async () => extra.stdin ?? '' };
    const cmd = createAskCommand({ fs, sink: () => ({ append: async (e) => void extra.events?.push(e) }) });
    const code = await cmd.run(args, io);
    return { code, out, err };
  }

  it('is exported as the "ask" command', () => {
    assert.deepEqual(commands.map((c) => c.words), [['ask']]);
  });

  it('streams a local answer to stdout with the context file, and logs the task', async () => {
    ollama.enqueue({ text: GOOD });
    const events: SessionEventInput[] = [];
    const { code, out, err } = await ask(['explain', 'this', '--context-file', 'src/cache.ts', '--command', 'explain', '--route', 'local'], { events });
    assert.equal(code, 0);
    assert.equal(out, `${GOOD}\n`);
    assert.equal(err, '');
    assert.match(ollama.chatBodies()[0]!.messages[1]!.content, /^explain this\n\nContext from src\/cache\.ts:\n```typescript\nexport const memo/);
    assert.equal(events.length, 1);
    assert.deepEqual((events[0]!.payload as { files: string[] }).files, ['src/cache.ts']);
  });

  it('applies the folder\'s learnt routing (the same feedback file the editor writes) ', async () => {
    const file = '/proj/.llmgenie/routing-feedback.jsonl';
    const line = (i: number) => JSON.stringify({ v: 1, time: '2026-12-01T10:00:00.000Z', taskId: `e${i}`, command: 'explain', language: 'typescript', score: 0, threshold: 0.5, outcome: 'escalated' });
    fs.files.set(file, [0, 1, 2].map(line).join('\n') + '\n');
    try {
      claude.enqueue({ text: GOOD });
      const { code, out } = await ask(['explain', 'this', '--context-file', 'src/cache.ts', '--command', 'explain', '--json']);
      assert.equal(code, 0);
      const record = JSON.parse(out) as { route: string; provider: string; reasons: string[]; routing: { calibration?: string } };
      assert.equal(record.route, 'cloud');
      assert.equal(record.provider, 'anthropic');
      assert.equal(record.reasons[0], '3 of your last 3 Explain tasks on TypeScript were escalated: Explain on TypeScript now goes to Claude');
      assert.equal(record.routing.calibration, record.reasons[0]);
    } finally {
      fs.files.delete(file);
    }
  });

  it('tool calls are reported on stderr; the model reads files relative to the current folder', async () => {
    ollama.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'src/cache.ts' } }] }, { text: GOOD });
    const { code, out, err } = await ask(['what', 'is', 'memo?', '--route', 'local']);
    assert.equal(code, 0);
    assert.equal(out, `${GOOD}\n`);
    assert.equal(err, 'llmgenie: local model called read_file {"path":"src/cache.ts"}\n');
    assert.equal(ollama.chatBodies()[1]!.messages.find((m) => m.role === 'tool')!.content, 'export const memo = new Map<string, number>();');
  });

  it('--json prints the final record (and nothing streamed)', async () => {
    claude.enqueue({ text: 'Claude says: use a lock-free queue here, because of the contention pattern.', inputTokens: 1000, outputTokens: 100 });
    const { code, out } = await ask(['why', 'does', 'this', 'deadlock?', '--route', 'cloud', '--json']);
    assert.equal(code, 0);
    const rec = JSON.parse(out) as Record<string, unknown>;
    assert.equal(rec.provider, 'anthropic');
    assert.equal(rec.model, 'claude-sonnet-5-5');
    assert.equal(rec.mode, 'cloud');
    assert.equal(rec.tokensIn, 1000);
    assert.equal(rec.costUsd, 0.003);
    assert.equal(rec.answer, 'Claude says: use a lock-free queue here, because of the contention pattern.');
    assert.equal(typeof rec.totalMs, 'number');
    assert.ok(!('conversation' in rec));
  });

  it('escalation is visible: notice on stderr, a marker, then Claude\'s answer', async () => {
    ollama.enqueue({ text: 'Dunno.' });
    // Precondition: the real classifier sends this routine question to the local model.
    assert.equal(classifyTask({ prompt: 'explain memo', command: 'explain' }).route, 'local');
    const { code, out, err } = await ask(['explain', 'memo', '--command', 'explain'], {});
    assert.equal(code, 0);
    assert.match(err, /Local answer failed checks \(answer too short.*\); escalating to Claude/);
    assert.match(out, /^Dunno\.\n\n--- Claude answer ---\n\nClaude here\./);
  });

  it('Ollama down and no key: one clear line, exit 2', async () => {
    env = { OLLAMA_HOST: `http://127.0.0.1:${await closedPort()}` };
    const { code, out, err } = await ask(['explain', 'x', '--route', 'auto', '--command', 'explain']);
    assert.equal(code, 2);
    assert.equal(out, '');
    assert.match(err, /ollama serve/);
    assert.match(err, /API key/);
  });

  it('a weak answer in forced Local mode is printed and exits 1', async () => {
    ollama.enqueue({ text: 'Nope.' });
    const { code, out, err } = await ask(['explain', 'x', '--route', 'local', '--command', 'explain']);
    assert.equal(code, 1);
    assert.equal(out, 'Nope.\n');
    assert.match(err, /failed checks.*not escalating/);
  });

  it('reads the prompt from stdin with "-"', async () => {
    ollama.enqueue({ text: GOOD });
    const { code } = await ask(['-', '--route', 'local'], { stdin: 'what is memo?\n' });
    assert.equal(code, 0);
    assert.equal(ollama.chatBodies()[0]!.messages.at(-1)!.content, 'what is memo?');
  });

  it('usage errors', async () => {
    await assert.rejects(ask([]), UsageError);
    await assert.rejects(ask(['x', '--route', 'sometimes']), /--route must be auto, local or cloud/);
    await assert.rejects(ask(['x', '--command', 'dance']), /--command must be one of/);
    await assert.rejects(ask(['x', '--bogus']), UsageError);
    await assert.rejects(ask(['x', '--context-file', 'missing.ts']), (e: unknown) => e instanceof CliError && /cannot read --context-file missing\.ts: ENOENT/.test(e.message));
    env.LLMGENIE_LOCAL_TIMEOUT_MS = 'soon';
    await assert.rejects(ask(['x']), /LLMGENIE_LOCAL_TIMEOUT_MS must be a positive whole number/);
  });
});
