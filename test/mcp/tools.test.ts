import assert from 'node:assert/strict';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FAKE_CLAUDE_KEY, startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic';
import { closedPort, startFakeOllama, type FakeOllama, type FakeOllamaOptions, type OllamaChatBody } from '../support/fakeOllama';
import { errorText, inProcess, result, ROOT, SECRET, SESSION_ID, type InProcess } from './fixture';

/** Nothing the server returns may carry the fixture's secret, whatever the tool. */
function assertMasked(r: CallToolResult): void {
  assert.ok(!JSON.stringify(r).includes(SECRET), 'the secret leaked into a tool result');
}

const GOOD_ANSWER =
  'Keep every amount in integer cents from the database to the API, round once with half-even when a total is ' +
  'displayed, and never sum floats: the drift shows up as one-cent differences on invoices.';

describe('mcp tools (SDK client over an in-memory transport)', () => {
  let s: InProcess;
  afterEach(async () => s?.close());

  describe('validate_handoff', () => {
    beforeEach(async () => (s = await inProcess()));

    it('scores a package by folder: listed files checked, the missing one a gap, the call logged', async () => {
      const r = result<{ file: string; score: number; passed: boolean; gaps: { id: string; line?: number }[]; files: { path: string; exists: boolean }[] }>(
        await s.call('validate_handoff', { path: 'docs/handoff/billing' }),
      );
      assert.equal(r.file, 'docs/handoff/billing/HANDOFF.md');
      assert.equal(r.files.length, 6);
      assert.deepEqual(r.files.filter((f) => !f.exists).map((f) => f.path), ['src/gone.ts']);
      assert.ok(r.gaps.some((g) => g.id === 'missing-file' && g.line !== undefined));
      assert.ok(r.score > 0 && r.score < 100);
      assert.deepEqual(s.sink.events, [{ type: 'handoff', payload: { path: r.file, score: r.score, passed: r.passed, gaps: r.gaps.length, action: 'validate' } }]);
    });

    it('gives the same report for the HANDOFF.md path and for its text', async () => {
      const byFile = result<{ score: number; gaps: unknown[] }>(await s.call('validate_handoff', { path: './docs/handoff/billing/HANDOFF.md' }));
      const text = await s.fs.readText(`${ROOT}/docs/handoff/billing/HANDOFF.md`);
      const byText = result<{ score: number; gaps: unknown[]; file?: string }>(await s.call('validate_handoff', { text }));
      assert.equal(byText.score, byFile.score);
      assert.deepEqual(byText.gaps, byFile.gaps);
      assert.equal(byText.file, undefined);
    });

    it('refuses paths outside the workspace, and neither or both arguments, with one-line tool errors', async () => {
      assert.match(errorText(await s.call('validate_handoff', { path: '../other/HANDOFF.md' })), /outside the workspace/);
      assert.match(errorText(await s.call('validate_handoff', { path: '/etc/passwd' })), /relative to the workspace root/);
      assert.match(errorText(await s.call('validate_handoff', { path: 'docs/../../x' })), /outside the workspace/);
      assert.match(errorText(await s.call('validate_handoff', {})), /either "path".*or "text"/);
      assert.match(errorText(await s.call('validate_handoff', { path: 'docs', text: '# x' })), /not both/);
      assert.equal(s.sink.events.length, 5);
      assert.ok(s.sink.events.every((e) => e.type === 'note' && e.payload.ok === false));
    });

    it('reports a missing path as the client wrote it and a malformed package without a score', async () => {
      const missing = errorText(await s.call('validate_handoff', { path: 'docs/handoff/nope' }));
      assert.equal(missing, 'no such file or folder: docs/handoff/nope');
      const malformed = errorText(await s.call('validate_handoff', { path: 'docs/handoff/notes' }));
      assert.match(malformed, /not a handoff package/);
      assert.ok(!malformed.includes(ROOT) && !malformed.includes('\n'));
      assert.match(errorText(await s.call('validate_handoff', { path: 'docs' })), /folder without HANDOFF\.md/);
    });
  });

  describe('create_handoff', () => {
    beforeEach(async () => (s = await inProcess()));

    it('drafts a package from git changes, given files and questions, validates it and logs it', async () => {
      const r = result<{ file: string; uri: string; text: string; score: number; files: { path: string }[] }>(
        await s.call('create_handoff', { name: 'totals-v2', title: 'Totals, part two', files: ['src/logger.ts'], questions: ['Where are totals? — src/billing.ts'] }),
      );
      assert.equal(r.file, 'docs/handoff/totals-v2/HANDOFF.md');
      assert.equal(r.uri, 'llmgenie://handoff/totals-v2');
      assert.equal(await s.fs.readText(`${ROOT}/${r.file}`), r.text);
      assert.deepEqual(r.files.map((f) => f.path), ['src/logger.ts', 'docs/architecture.md', 'src/billing.ts']);
      assert.match(r.text, /^title: Totals, part two$/m);
      assert.match(r.text, /Where are totals\? — src\/billing\.ts/);
      assert.match(r.text, /^from: Anna$/m);
      assert.deepEqual(s.sink.events.map((e) => e.type), ['handoff']);
      assert.equal((s.sink.events[0].payload as { action: string }).action, 'create');
    });

    it('names the package after the date and branch by default, and never overwrites one', async () => {
      const r = result<{ file: string }>(await s.call('create_handoff', {}));
      assert.equal(r.file, 'docs/handoff/2025-03-20-feature-invoice-totals/HANDOFF.md');
      assert.match(errorText(await s.call('create_handoff', {})), /already exists/);
      assert.match(errorText(await s.call('create_handoff', { name: 'billing' })), /docs\/handoff\/billing\/HANDOFF\.md already exists/);
      assert.equal(await s.fs.readText(`${ROOT}/docs/handoff/billing/HANDOFF.md`), (await import('./fixture')).HANDOFF);
    });

    it('refuses names with separators and files outside the workspace', async () => {
      assert.match(errorText(await s.call('create_handoff', { name: '../escape' })), /may only use letters/);
      assert.match(errorText(await s.call('create_handoff', { name: 'ok', files: ['../../etc/hosts'] })), /file "..\/..\/etc\/hosts" is outside the workspace/);
      assert.ok(![...s.fs.files.keys()].some((p) => p.includes('escape') || p.includes('/ok/')));
    });
  });

  describe('lessons', () => {
    beforeEach(async () => (s = await inProcess()));

    it('search_lessons ranks the matching lesson first with a workspace-relative file and a resource uri', async () => {
      const r = result<{ total: number; hits: { id: string; file: string; uri: string; snippet: string }[] }>(await s.call('search_lessons', { query: 'integer cents rounding' }));
      assert.equal(r.total, 3);
      assert.equal(r.hits[0].id, '2025-01-10-integer-cents');
      assert.equal(r.hits[0].file, 'docs/lessons/2025-01-10-integer-cents.md');
      assert.equal(r.hits[0].uri, 'llmgenie://lessons/2025-01-10-integer-cents');
    });

    it('masks a secret quoted in a lesson snippet', async () => {
      const raw = await s.call('search_lessons', { query: 'leaked key rotated', limit: 1 });
      const r = result<{ hits: { snippet: string }[] }>(raw);
      assert.equal(r.hits.length, 1);
      assert.match(r.hits[0].snippet, /\[REDACTED:anthropic-api-key\]/);
      assertMasked(raw);
    });

    it('add_lesson writes a file the next search finds; the store logs the lesson event', async () => {
      const added = result<{ id: string; file: string; uri: string; kind: string; tags: string[] }>(
        await s.call('add_lesson', { title: 'Pin the Ollama model tag', body: 'Unpinned tags changed answers between runs.', tags: ['Ollama', '#models'], kind: 'anti-pattern' }),
      );
      assert.equal(added.id, '2025-03-20-pin-the-ollama-model-tag');
      assert.equal(added.file, 'docs/lessons/2025-03-20-pin-the-ollama-model-tag.md');
      assert.deepEqual(added.tags, ['ollama', 'models']);
      assert.match(await s.fs.readText(`${ROOT}/${added.file}`), /Unpinned tags changed answers/);
      const found = result<{ hits: { id: string }[] }>(await s.call('search_lessons', { query: 'unpinned model tag' }));
      assert.equal(found.hits[0].id, added.id);
      assert.deepEqual(s.sink.events[0], { type: 'lesson', payload: { id: added.id, title: 'Pin the Ollama model tag', action: 'add' } });
    });

    it('search_lessons names a broken lesson file and its line in words, never the YAML parser’s message', async () => {
      await s.fs.writeText(`${ROOT}/docs/lessons/2025-03-02-broken.md`, '---\ntitle: "Retry with backoff\ntags: [http]\n---\n\nRetry with backoff.\n');
      await s.close();
      s = await inProcess({ fs: s.fs });
      const r = result<{ problems?: { file: string; line: number; message: string }[] }>(await s.call('search_lessons', { query: 'backoff' }));
      assert.deepEqual(r.problems, [{ file: 'docs/lessons/2025-03-02-broken.md', line: 2, message: 'front matter: not valid YAML: a value opened with " is never closed' }]);
    });

    it('sees lessons another window adds, edits or deletes once the TTL has passed', async () => {
      await s.close();
      s = await inProcess({ lessonsTtlMs: 0 });
      const ids = async (q: string) => result<{ hits: { id: string; title: string }[] }>(await s.call('search_lessons', { query: q })).hits;
      assert.deepEqual(await ids('quokka'), []);
      await s.fs.writeText(`${ROOT}/docs/lessons/2025-03-01-quokka.md`, '---\ntitle: Quokka lesson\n---\n\nQuokka appears here.\n');
      assert.deepEqual((await ids('quokka')).map((h) => h.id), ['2025-03-01-quokka']);
      await s.fs.writeText(`${ROOT}/docs/lessons/2025-03-01-quokka.md`, '---\ntitle: Quokka lesson, renamed\n---\n\nQuokka appears here again.\n');
      assert.equal((await ids('quokka'))[0].title, 'Quokka lesson, renamed');
      await s.fs.remove(`${ROOT}/docs/lessons/2025-03-01-quokka.md`);
      assert.deepEqual(await ids('quokka'), []);
      await s.fs.writeText(`${ROOT}/docs/lessons_learned.md`, '# Lessons learned\n\n## Wombat burrows\n\nWombat tunnels collapse.\n');
      assert.equal((await ids('wombat')).length, 1);
    });

    it('rejects invalid input through the schema as a tool error', async () => {
      assert.match(errorText(await s.call('search_lessons', { query: '   ' })), /Input validation error/);
      assert.match(errorText(await s.call('add_lesson', { body: 'no title' })), /Input validation error.*title/s);
      assert.match(errorText(await s.call('add_lesson', { title: 'x', body: 'y', kind: 'rumour' })), /Input validation error/);
      assert.match(errorText(await s.call('search_lessons', { query: 'x', limit: 0 })), /Input validation error/);
    });
  });

  describe('rules', () => {
    beforeEach(async () => (s = await inProcess()));

    it('list_rules joins rule files with their manifest registration', async () => {
      const r = result<{ rules: { id: string; name?: string; registered: boolean; file: string; uri: string }[]; manifest: string; problemCount: number }>(await s.call('list_rules'));
      assert.deepEqual(r.rules.map((x) => [x.id, x.name, x.registered, x.file]), [
        ['001', 'logging-policy', true, '.cursor/rules/001-logging.mdc'],
        ['400', 'security-secrets', true, '.cursor/rules/400-security.mdc'],
      ]);
      assert.equal(r.manifest, 'rules_manifest.json');
      assert.equal(r.problemCount, 0);
    });

    it('get_rule returns the body with secrets masked; an unknown id names the known ones', async () => {
      const raw = await s.call('get_rule', { id: '400' });
      const r = result<{ id: string; severity: string; body: string; enforce: { pack: string } }>(raw);
      assert.equal(r.severity, 'error');
      assert.equal(r.enforce.pack, 'security');
      assert.match(r.body, /Never write a key like .*\[REDACTED:anthropic-api-key\]/);
      assertMasked(raw);
      assert.equal(errorText(await s.call('get_rule', { id: 'nope' })), 'no rule "nope" (known: 001, 400)');
    });
  });

  describe('check_policy', () => {
    beforeEach(async () => (s = await inProcess()));

    it('checks a folder with the manifest packs: masked secret finding, debug log, logged as a policy event', async () => {
      const raw = await s.call('check_policy', { path: 'src' });
      const r = result<{ findings: { ruleId: string; file: string; line: number; severity: string; message: string }[]; passed: boolean; summary: { files: number } }>(raw);
      assert.equal(r.passed, false);
      assert.equal(r.summary.files, 2);
      assert.deepEqual(r.findings.map((f) => [f.ruleId, f.file, f.line, f.severity]), [
        ['400', 'src/billing.ts', 1, 'error'],
        ['001', 'src/billing.ts', 3, 'warning'],
      ]);
      assertMasked(raw);
      assert.deepEqual(s.sink.events, [{ type: 'policy', payload: { source: 'mcp', files: 2, findings: 2, byRule: { '400': 1, '001': 1 }, bySeverity: { error: 1, warning: 1, info: 0, hint: 0 } } }]);
    });

    it('checks text with a language, and clean text passes', async () => {
      const dirty = result<{ findings: { ruleId: string }[] }>(await s.call('check_policy', { text: `const k = "${SECRET}";\nconsole.log(k);\n`, language: 'typescript' }));
      assert.deepEqual(dirty.findings.map((f) => f.ruleId).sort(), ['001', '400']);
      const py = result<{ findings: { ruleId: string }[] }>(await s.call('check_policy', { text: 'print("debug")\n', language: 'python' }));
      assert.deepEqual(py.findings.map((f) => f.ruleId), ['001']);
      assert.equal(result<{ passed: boolean }>(await s.call('check_policy', { text: 'export const x = 1;\n', language: 'ts' })).passed, true);
    });

    it('errors on a missing path, an escaping path and mixed arguments', async () => {
      assert.equal(errorText(await s.call('check_policy', { path: 'src/nope.ts' })), 'no such file or folder: src/nope.ts');
      assert.match(errorText(await s.call('check_policy', { path: '../' })), /outside the workspace/);
      assert.match(errorText(await s.call('check_policy', { path: 'src', language: 'ts' })), /"language" goes with "text"/);
      assert.match(errorText(await s.call('check_policy', {})), /either "path"/);
    });
  });

  describe('route_task and ask', () => {
    it('route_task classifies the editor task shape without calling a model', async () => {
      s = await inProcess({ router: () => assert.fail('route_task must not build providers') });
      const local = result<{ route: string; reasons: string[] }>(await s.call('route_task', { command: 'refactor', prompt: 'rename the variable x to count', context: 'let x = 0;\nx++;\n', language: 'typescript' }));
      assert.equal(local.route, 'local');
      const cloud = result<{ route: string; score: number; threshold: number; band: string; summary: string }>(
        await s.call('route_task', {
          command: 'explain',
          context: 'use std::sync::atomic::{AtomicUsize, Ordering};\nstatic N: AtomicUsize = AtomicUsize::new(0);\nfn bump() -> usize {\n    unsafe { let p = &N as *const AtomicUsize; (*p).fetch_add(1, Ordering::Relaxed) }\n}\n',
          language: 'rust',
          fileName: 'src/counter.rs',
        }),
      );
      assert.equal(cloud.route, 'cloud');
      assert.ok(cloud.score >= cloud.threshold);
      assert.equal(cloud.band, 'confident');
      assert.match(cloud.summary, /^Rust, .* → Claude$/);
      assert.match(errorText(await s.call('route_task', { prompt: ' ' })), /give a prompt, a context, or both/);
    });

    // ask goes through the real `ollama` and `@anthropic-ai/sdk` clients, built from the environment as
    // `llmgenie mcp` builds them, to the fake servers on 127.0.0.1.
    let ollama: FakeOllama | undefined;
    let claude: FakeAnthropic | undefined;
    afterEach(async () => {
      await ollama?.close();
      await claude?.close();
      ollama = claude = undefined;
    });
    async function withModels(opts: { ollama?: FakeOllamaOptions } = {}): Promise<Record<string, string>> {
      ollama = await startFakeOllama(opts.ollama);
      claude = await startFakeAnthropic();
      return { OLLAMA_HOST: ollama.host, ANTHROPIC_BASE_URL: claude.url, ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY }; // llmgenie-allow(400)
    }

    it('ask answers through the router; runTask logs the task event', async () => {
      const env = await withModels();
      ollama!.enqueue({ text: GOOD_ANSWER, promptEvalCount: 40, evalCount: 60 });
      s = await inProcess({ env });
      const r = result<{ answer: string; ok: boolean; provider: string; tokensIn: number; route: string }>(await s.call('ask', { prompt: 'how should we store money?', route: 'local' }));
      assert.equal(r.answer, GOOD_ANSWER);
      assert.equal(r.ok, true);
      assert.equal(r.provider, 'ollama');
      assert.equal(r.tokensIn, 40);
      assert.deepEqual(s.sink.events.map((e) => e.type), ['task']);
      assert.equal(claude!.requests.length, 0, 'Claude is not called for a forced local task');
    });

    it('ask masks secrets before Claude sees them and in what comes back', async () => {
      const env = await withModels();
      claude!.enqueue({ text: `${GOOD_ANSWER} The key ${SECRET} is exposed.` });
      s = await inProcess({ env });
      const raw = await s.call('ask', { prompt: 'is this safe?', context: `const key = "${SECRET}";`, route: 'cloud' });
      const r = result<{ redactedSecrets: number; provider: string }>(raw);
      assert.equal(r.provider, 'anthropic');
      assert.ok(r.redactedSecrets >= 1);
      assert.ok(claude!.requests.length >= 1);
      assert.ok(!JSON.stringify(claude!.requests.map((q) => q.body)).includes(SECRET), 'the secret reached the cloud provider');
      assertMasked(raw);
    });

    it('ask: a lesson the model finds with search_lessons comes back with its secret masked', async () => {
      const env = await withModels();
      ollama!.enqueue({ toolCalls: [{ name: 'search_lessons', arguments: { query: 'leaked key fixture' } }] }, { text: GOOD_ANSWER });
      s = await inProcess({ env });
      const raw = await s.call('ask', { prompt: 'what do our lessons say about keys in fixtures?', route: 'local' });
      assert.equal(result<{ provider: string }>(raw).provider, 'ollama');
      const chats = ollama!.requests.filter((q) => q.path === '/api/chat');
      assert.equal(chats.length, 2, 'the tool result went back to the model');
      const toolTurn = JSON.stringify((chats[1]!.body as OllamaChatBody).messages.filter((m) => m.role === 'tool'));
      assert.match(toolTurn, /A leaked Anthropic key in a test fixture/);
      assert.ok(!toolTurn.includes(SECRET.slice(10, 30)), 'no part of the lesson\'s key reached the model');
      assertMasked(raw);
    });

    it('ask with no provider able to answer is a tool error, not a crash', async () => {
      const port = await closedPort();
      s = await inProcess({ env: { OLLAMA_HOST: `http://127.0.0.1:${port}`, ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` } });
      assert.match(errorText(await s.call('ask', { prompt: 'anything' })), /Ollama is not running at http:\/\/127\.0\.0\.1:\d+.*(API key|ANTHROPIC_API_KEY)/s);
      const bad = await inProcess({ env: { LLMGENIE_SECRETS: 'sometimes' } });
      try {
        assert.match(errorText(await bad.call('ask', { prompt: 'x' })), /LLMGENIE_SECRETS must be "mask" or "block"/);
      } finally {
        await bad.close();
      }
    });
  });

  describe('decisions and sessions', () => {
    beforeEach(async () => (s = await inProcess()));

    it('record_decision appends to the decision log, masked, and logs the decision event', async () => {
      const r = result<{ file: string; line: number; title: string }>(
        await s.call('record_decision', { title: 'Rotate keys monthly', decision: `Rotate ${SECRET} and its kin monthly`, context: 'A key leaked.' }),
      );
      assert.equal(r.file, 'docs/decision-log.md');
      const log = await s.fs.readText(`${ROOT}/docs/decision-log.md`);
      assert.equal(log.split('\n')[r.line - 1], '## 2025-03-20 — Rotate keys monthly');
      assert.ok(log.startsWith('# Decision log\n\n## 2025-03-01 — Totals in one module'));
      assert.ok(!log.includes(SECRET));
      assert.equal(s.sink.events.length, 1);
      assert.equal(s.sink.events[0].type, 'decision');
      assert.match(errorText(await s.call('record_decision', { title: 'x', decision: '  ' })), /Input validation error/);
    });

    it('list_sessions lists the workspace sessions newest first with relative files', async () => {
      const r = result<{ total: number; sessions: { id: string; files: string[]; taskCount: number; host?: string }[] }>(await s.call('list_sessions', { limit: 5 }));
      assert.equal(r.total, 1);
      assert.equal(r.sessions[0].id, SESSION_ID);
      assert.deepEqual(r.sessions[0].files, [`.llmgenie/sessions/${SESSION_ID}.jsonl`]);
      assert.equal(r.sessions[0].taskCount, 1);
      assert.equal(r.sessions[0].host, 'editor');
    });
  });

  it('lists every tool with a description and an object input schema', async () => {
    s = await inProcess();
    const { tools } = await s.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'add_lesson', 'agents_run', 'agents_status', 'ask', 'check_policy', 'create_handoff', 'get_rule', 'list_rules', 'list_sessions', 'record_decision', 'route_task', 'search_lessons', 'validate_handoff',
    ]);
    for (const t of tools) {
      assert.ok(t.description && t.description.length > 20, t.name);
      assert.equal(t.inputSchema.type, 'object');
      assert.equal(t.outputSchema?.type, 'object', `${t.name} declares its structured result`);
    }
  });

  it('answers many concurrent calls from one client correctly', async () => {
    s = await inProcess();
    const calls = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0 ? s.call('search_lessons', { query: 'cents' }) : i % 3 === 1 ? s.call('check_policy', { path: 'src/billing.ts' }) : s.call('get_rule', { id: '001' }),
    );
    const out = await Promise.all(calls);
    out.forEach((r, i) => {
      const v = result<Record<string, unknown>>(r);
      if (i % 3 === 0) assert.equal((v.hits as { id: string }[])[0].id, '2025-01-10-integer-cents');
      else if (i % 3 === 1) assert.equal((v.findings as unknown[]).length, 2);
      else assert.equal(v.id, '001');
    });
  });
});
