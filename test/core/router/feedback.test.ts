import assert from 'node:assert/strict';
import { calibrate, type FeedbackRecord } from '../../../src/core/router/calibration';
import { FEEDBACK_PATH, FeedbackPathError, workspaceFeedback, type RoutingFeedback } from '../../../src/core/router/feedback';
import { AnthropicProvider } from '../../../src/core/router/anthropicProvider';
import { OllamaProvider } from '../../../src/core/router/ollamaProvider';
import { runTask, type RouterDeps, type TaskInput } from '../../../src/core/router/runTask';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { startFakeOllama, FAKE_OLLAMA_MODEL, type FakeOllama } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type FakeAnthropic } from '../../support/fakeAnthropic';

const ROOT = '/ws';
const FILE = `${ROOT}/${FEEDBACK_PATH}`;
const GOOD = 'This function walks the list of nodes and frees each one, checking the pointer for null before it dereferences it, so a partial list is safe.';
/** The classifier as the router model's branch shapes it: a local call with a score, a threshold and a band. */
const shipped = (score: number, band: 'confident' | 'uncertain' = 'confident'): RouterDeps['decide'] =>
  () => ({ route: score >= 0.5 ? 'cloud' : 'local', score, reasons: ['small code context'], threshold: 0.5, band }) as ReturnType<NonNullable<RouterDeps['decide']>>;

const rec = (outcome: FeedbackRecord['outcome'], score: number, extra: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  v: 1, time: '2026-12-01T10:00:00.000Z', command: 'explain', language: 'rust', score, threshold: 0.5, outcome, ...extra,
});

describe('router/feedback: learning routes from this workspace\'s outcomes', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  let fs: MemoryFileSystem;
  let feedback: RoutingFeedback;
  let deps: RouterDeps;
  beforeEach(async () => {
    ollama = await startFakeOllama();
    claude = await startFakeAnthropic();
    fs = new MemoryFileSystem();
    feedback = workspaceFeedback({ fs, root: ROOT, now: () => new Date('2026-12-02T10:00:00Z') });
    deps = {
      local: new OllamaProvider({ host: ollama.host, model: FAKE_OLLAMA_MODEL }),
      cloud: new AnthropicProvider({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0 }),
      feedback,
      decide: shipped(0.22),
    };
  });
  afterEach(async () => {
    await ollama.close();
    await claude.close();
  });

  const rustTask = (i: number): TaskInput => ({ id: `t${i}`, prompt: 'Explain this code from src/list.rs (lines 1–3).', instruction: '', context: 'unsafe fn free_all(head: *mut Node) {\n  /* … */\n}', fileName: 'src/list.rs', language: 'rust', command: 'explain' });

  it('escalations of Explain on Rust move its route to Claude (after 3, well within ten), say why, leave Python alone; reset restores it', async () => {
    const first = await runTask(rustTask(0), deps);
    assert.equal(first.route, 'local');
    const routes: string[] = [];
    for (let i = 0; i < 10; i++) {
      ollama.enqueue({ text: 'It frees.' });
      const r = await runTask(rustTask(i + 1), deps);
      routes.push(r.route);
      if (r.route === 'local') assert.equal(r.escalated, true);
    }
    assert.deepEqual(routes, ['local', 'local', 'local', 'cloud', 'cloud', 'cloud', 'cloud', 'cloud', 'cloud', 'cloud']);
    const lines = (await fs.readText(FILE)).trim().split('\n').map((l) => JSON.parse(l) as FeedbackRecord);
    assert.equal(lines.length, 3, 'tasks that went to Claude directly are not escalations');
    assert.deepEqual(
      { ...lines[0], time: undefined },
      { v: 1, time: undefined, taskId: 't1', command: 'explain', language: 'rust', score: 0.22, threshold: 0.5, outcome: 'escalated', reason: 'answer too short for explain (9 characters, expected at least 80)' },
    );
    assert.ok(!JSON.stringify(lines).includes('free_all'), 'no code is kept');

    const calls = claude.requests.length;
    const moved = await runTask(rustTask(99), deps);
    assert.equal(moved.route, 'cloud');
    assert.equal(moved.provider, 'anthropic');
    assert.equal(claude.requests.length, calls + 1);
    assert.equal(moved.routing.calibration, '3 of your last 3 Explain tasks on Rust were escalated: Explain on Rust now goes to Claude');
    assert.equal(moved.reasons[0], moved.routing.calibration);
    assert.deepEqual(moved.reasons.slice(1), ['classifier alone: local (0.22)'], "the classifier's reasons for local are not shown as reasons for Claude");
    assert.match(moved.routing.summary, /→ Claude$/);
    assert.ok(moved.routing.threshold < 0.22);

    ollama.enqueue({ text: GOOD });
    const python = await runTask({ ...rustTask(100), fileName: 'list.py', language: 'python' }, deps);
    assert.equal(python.route, 'local', 'another language keeps the shipped route');

    const forcedLocal = await runTask(rustTask(101), { ...deps, settings: { mode: 'local' } });
    assert.equal(forcedLocal.route, 'local', 'a forced mode wins over what was learnt');

    assert.equal(await feedback.reset({ command: 'explain', language: 'rust' }), 3);
    ollama.enqueue({ text: GOOD });
    const restored = await runTask(rustTask(102), deps);
    assert.equal(restored.route, 'local');
    assert.equal(restored.routing.calibration, undefined);
    assert.equal(restored.routing.threshold, 0.5);
  });

  it('ten recorded escalations of one command + language move it to Claude; other keys keep the shipped threshold', async () => {
    for (let i = 0; i < 10; i++) await feedback.record({ taskId: `e${i}`, command: 'tests', language: 'go', score: 0.1 + i * 0.02, threshold: 0.5, outcome: 'escalated', reason: 'no code block in a tests answer' });
    await feedback.record({ command: 'tests', language: 'python', score: 0.1, threshold: 0.5, outcome: 'escalated' });
    const c = await feedback.calibration();
    assert.deepEqual([...c.keys()], ['tests\u0000go']);
    assert.equal(c.get('tests\u0000go')!.explanation, '10 of your last 10 Write Tests tasks on Go were escalated: Write Tests on Go now goes to Claude');
    assert.equal(await feedback.reset(), 11);
    assert.equal((await feedback.calibration()).size, 0);
  });

  it('two escalations do not move a route yet; one escalation does not outvote applied answers of harder tasks', () => {
    assert.equal(calibrate([rec('escalated', 0.2), rec('escalated', 0.25)]).size, 0);
    const mixed = [rec('escalated', 0.3), ...[0.1, 0.35, 0.4, 0.45].map((s, i) => rec('accepted-local', s, { taskId: `a${i}` }))];
    assert.equal(calibrate(mixed).size, 0);
  });

  it('3 of the last 5 escalated or re-run on Claude: the route moves and the explanation counts them', () => {
    const records = [rec('accepted-local', 0.1), rec('escalated', 0.2), rec('accepted-local', 0.12), rec('rerun-cloud', 0.3), rec('escalated', 0.25)];
    const c = calibrate(records).get('explain\u0000rust')!;
    assert.ok(c.threshold <= 0.2 && c.threshold > 0.12, String(c.threshold));
    assert.equal(c.explanation, '3 of your last 5 Explain tasks on Rust were escalated or re-run on Claude: Explain on Rust now goes to Claude from score 0.19 (shipped 0.50)');
  });

  it('local answers applied after "Try locally" raise the threshold for that command + language', () => {
    const records = [0.62, 0.7, 0.66, 0.58].map((s, i) => rec('accepted-local', s, { command: 'review', language: 'typescript', taskId: `r${i}` }));
    const c = calibrate(records).get('review\u0000typescript')!;
    assert.ok(c.threshold > 0.7);
    assert.equal(c.explanation, '4 of your last 4 Review tasks on TypeScript were answered well locally (applied or copied): Review on TypeScript now stays local');
  });

  it('counts one task once (an answer copied and applied), and only the newest ten examples', () => {
    const dup = [rec('accepted-local', 0.6, { taskId: 'x' }), rec('accepted-local', 0.6, { taskId: 'x' }), rec('accepted-local', 0.6, { taskId: 'x' })];
    assert.equal(calibrate(dup).size, 0);
    const old = Array.from({ length: 10 }, () => rec('escalated', 0.2));
    const recent = Array.from({ length: 10 }, (_, i) => rec('accepted-local', 0.2, { taskId: `n${i}` }));
    assert.equal(calibrate([...old, ...recent]).size, 0, 'ten newer good local answers outvote older escalations');
  });

  it('masks secrets in a reason, skips torn lines, and empties the file on a full reset', async () => {
    const key = fakeSecret('aws-secret-access-key', makeRng(3));
    await feedback.record({ command: 'ask', score: 0.3, threshold: 0.5, outcome: 'escalated', reason: `quoted aws_secret_access_key = "${key}" back` });
    await fs.appendText(FILE, '{"v":1,"torn\n');
    await feedback.record({ command: 'ask', score: 0.3, threshold: 0.5, outcome: 'rerun-cloud' });
    const text = await fs.readText(FILE);
    assert.ok(!text.includes(key));
    assert.match(text, /"language":"none"/);
    await feedback.record({ command: 'ask', score: 0.3, threshold: 0.5, outcome: 'escalated' });
    assert.equal((await feedback.calibration()).get('ask\u0000none')?.cloudLabels, 3);
    assert.equal(await feedback.reset(), 3);
    assert.equal(fs.files.has(FILE), false);
    assert.equal(await feedback.reset(), 0);
  });

  it('refuses to write through a .llmgenie symlink that leads outside the workspace', async () => {
    const outside = workspaceFeedback({ fs, root: ROOT, realpath: async (p) => (p.startsWith(`${ROOT}/.llmgenie`) ? p.replace(`${ROOT}/.llmgenie`, '/etc/elsewhere') : p) });
    await assert.rejects(outside.record({ command: 'ask', score: 0.1, threshold: 0.5, outcome: 'escalated' }), FeedbackPathError);
    assert.equal(fs.files.size, 0);
    // A task still runs: the failure to record is a notice, not an error.
    ollama.enqueue({ text: 'Short.' });
    const r = await runTask(rustTask(1), { ...deps, feedback: outside });
    assert.equal(r.escalated, true);
    assert.ok(r.notices.some((n) => /^Could not record routing feedback: .*resolves outside the workspace/.test(n)));
  });

  it('an uncertain task goes local first with the strictest checks, and escalates on a hedged answer', async () => {
    const hedged = `${GOOD} But I'm not sure this is right without more context.`;
    ollama.enqueue({ text: hedged });
    const r = await runTask(rustTask(1), { ...deps, decide: shipped(0.55, 'uncertain') });
    assert.equal(r.route, 'local', 'a cloud-leaning but uncertain task is tried locally');
    assert.equal(r.routing.uncertain, true);
    assert.match(r.routing.summary, /→ local model first \(unsure: strict checks, escalates on any doubt\)$/);
    assert.equal(r.escalated, true);
    assert.match(r.escalationReason!, /the model sounds unsure of its answer/);
    // The same answer to a confident local task passes the normal checks.
    ollama.enqueue({ text: hedged });
    const confident = await runTask(rustTask(2), { ...deps, decide: shipped(0.2) });
    assert.equal(confident.escalated, false);
  });
});
