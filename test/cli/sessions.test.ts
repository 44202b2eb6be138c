import assert from 'node:assert/strict';
import { computeStats } from '../../src/core/analytics/stats';
import { readAllSessions, readSession } from '../../src/core/sessions/read';
import { openSession } from '../../src/core/sessions/store';
import { CliError } from '../../src/cli/command';
import type { CliCommand, CliIO } from '../../src/cli/command';
import { openCliSessionSink, sessionCommands } from '../../src/cli/commands/sessions';
import { runCli } from '../../src/cli/main';
import { MemoryFileSystem } from '../support/memoryFileSystem';
import { steppingClock, task } from '../core/sessions/fixtures';

const root = '/ws';

function fakeIO(env: Record<string, string> = {}): CliIO & { stdout: string; stderr: string } {
  const io = {
    cwd: root,
    env,
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
    readStdin: async () => '',
  };
  return io;
}

async function seeded() {
  const fs = new MemoryFileSystem();
  const clock = steppingClock('2025-03-01T10:00:00Z', 3_600_000);
  const a = await openSession(fs, clock, { root, host: 'editor', version: '0.1.0' });
  await a.append({ type: 'task', payload: task({ totalMs: 100, ttftMs: 20, cloudCostUsd: 0.5 }) });
  await a.append({ type: 'task', payload: task({ totalMs: 300, ttftMs: 40, cloudCostUsd: 0.25 }) });
  clock.set('2025-03-09T10:00:00Z');
  const b = await openSession(fs, clock, { root, host: 'cli', version: '0.1.0' });
  await b.append({
    type: 'task',
    payload: task({ route: 'cloud', provider: 'anthropic', model: 'claude-sonnet', escalated: true, escalationReason: 'low-confidence', totalMs: 2000, costUsd: 0.25, cloudCostUsd: 0.25 }),
  });
  await b.append({ type: 'policy', payload: { source: 'cli', files: 3, findings: 2, byRule: { 'no-secrets': 2 }, bySeverity: { error: 2 } } });
  const cmds = sessionCommands({ fs, clock: { now: () => new Date('2025-03-10T10:00:00Z') } });
  const cmd = (...words: string[]) => cmds.find((c) => c.words.join(' ') === words.join(' '))!;
  return { fs, a, b, cmds, cmd };
}

async function run(c: CliCommand, args: string[], env?: Record<string, string>) {
  const io = fakeIO(env);
  const code = await c.run(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('llmgenie sessions / stats (CLI)', () => {
  it('sessions list: a table newest first, or JSON with workspace-relative files', async () => {
    const { a, b, cmd } = await seeded();
    const text = await run(cmd('sessions', 'list'), []);
    assert.equal(text.code, 0);
    const lines = text.out.trimEnd().split('\n');
    assert.match(lines[0], /^id\s+started \(UTC\)\s+last \(UTC\)\s+host\s+events\s+tasks\s+cost$/);
    assert.match(lines[1], new RegExp(`^${b.sessionId}\\s+2025-03-09 10:00\\s+2025-03-09 12:00\\s+cli\\s+2\\s+1\\s+\\$0\\.25$`));
    assert.match(lines[2], new RegExp(`^${a.sessionId}\\s+2025-03-01 10:00\\s+2025-03-01 12:00\\s+editor\\s+2\\s+2\\s+\\$0\\.00$`));
    const json = JSON.parse((await run(cmd('sessions', 'list'), ['--json'])).out);
    assert.deepEqual(json.map((s: { id: string }) => s.id), [b.sessionId, a.sessionId]);
    assert.deepEqual(json[0].files, [`.llmgenie/sessions/${b.sessionId}.jsonl`]);
    assert.equal(json[0].taskCount, 1);
  });

  it('sessions list on an empty workspace says so', async () => {
    const cmds = sessionCommands({ fs: new MemoryFileSystem(), clock: steppingClock('2025-03-01T00:00:00Z') });
    const r = await run(cmds[0], []);
    assert.deepEqual(r, { code: 0, out: 'no sessions in .llmgenie/sessions\n', err: '' });
  });

  it('sessions show / export / delete by id; an unknown id is one line and exit 2', async () => {
    const { fs, a, cmds, cmd } = await seeded();
    const show = await run(cmd('sessions', 'show'), [a.sessionId]);
    assert.match(show.out, /^session \S+ · editor · ws · v0\.1\.0 · 2025-03-01 10:00 → 2025-03-01 12:00 UTC\n/);
    assert.match(show.out, /e2\s+11:00:00\s+task · explain\s+Local · ollama\/qwen2\.5-coder:7b · 100 ms · ttft 20 ms/);
    assert.equal(JSON.parse((await run(cmd('sessions', 'show'), [a.sessionId, '--json'])).out).events.length, 3);

    const md = await run(cmd('sessions', 'export'), [a.sessionId]);
    assert.match(md.out, new RegExp(`^# Session ${a.sessionId}`));
    const toFile = await run(cmd('sessions', 'export'), [a.sessionId, '--out', 'report.md']);
    assert.equal(toFile.out, 'wrote /ws/report.md\n');
    assert.equal(fs.files.get('/ws/report.md'), md.out);

    assert.equal((await run(cmd('sessions', 'delete'), [a.sessionId])).out, `deleted session ${a.sessionId} (1 file)\n`);
    await assert.rejects(readSession(fs, root, a.sessionId));

    const io = fakeIO();
    assert.equal(await runCli(['sessions', 'show', a.sessionId], io, cmds), 2);
    assert.equal(io.stderr, `llmgenie sessions show: no session '${a.sessionId}'\n`);
    await assert.rejects(cmd('sessions', 'show').run([], fakeIO()), (e) => e instanceof CliError && e.exitCode === 2);
  });

  it('stats --json gives exactly the figures computeStats gives the dashboard', async () => {
    const { fs, cmd } = await seeded();
    const r = await run(cmd('stats'), ['--json', '--utc']);
    assert.equal(r.code, 0);
    const got = JSON.parse(r.out);
    const events = (await readAllSessions(fs, root)).flatMap((s) => s.events);
    assert.deepEqual(got, { sessions: 2, ...JSON.parse(JSON.stringify(computeStats(events, { now: new Date('2025-03-10T10:00:00Z') }))) });
    assert.deepEqual(got.tasks.byRoute, { local: 2, cloud: 0, escalated: 1 });
    assert.equal(got.cost.savingsUsd, 0.75);
    assert.equal(got.daily.length, 10);
  });

  it('stats --since filters the period; text output is a compact summary', async () => {
    const { cmd } = await seeded();
    const week = JSON.parse((await run(cmd('stats'), ['--since', '7d', '--json'])).out);
    assert.equal(week.tasks.total, 1);
    assert.equal(week.period.since, '2025-03-03T10:00:00.000Z');
    const text = (await run(cmd('stats'), ['--utc'])).out;
    assert.match(text, /^period\s+all time · 2 sessions$/m);
    assert.match(text, /^tasks\s+3 \(local 2 · cloud 0 · escalated 1\)$/m);
    assert.match(text, /^cost\s+\$0\.25 · all on Claude \$1\.00 · saved \$0\.75 \(75\.0%\)$/m);
    assert.match(text, /^escalation\s+33\.3% of 3 local attempts \(low-confidence 1\)$/m);
    assert.match(text, /^policy\s+2 findings in 1 run \(error 2\)$/m);
    assert.match(text, /^ollama\s+qwen2\.5-coder:7b\s+2\s+0\s+100 ms\s+300 ms\s+20 ms\s+40 ms\s+\$0\.00$/m);
    const csv = (await run(cmd('stats'), ['--csv', '--utc', '--since', '2025-03-08'])).out.split('\r\n');
    assert.equal(csv[0].split(',')[0], 'date');
    assert.equal(csv[csv.length - 2], 'total,0,0,1,1,100,50,0.250000,0.250000,0.000000,2,2');
  });

  it('stats rejects a bad period or flag with one line and exit 2', async () => {
    const { cmds } = await seeded();
    for (const args of [['stats', '--since', 'yesterday'], ['stats', '--bogus'], ['stats', '--json', '--csv'], ['stats', 'extra']]) {
      const io = fakeIO();
      assert.equal(await runCli(args, io, cmds), 2, args.join(' '));
      assert.match(io.stderr.split('\n')[0], /^llmgenie stats: /);
      assert.doesNotMatch(io.stderr, /\n\s+at /);
    }
  });

  it('decision record appends to the log and logs a decision event in a cli session; decision list reads it', async () => {
    const fs = new MemoryFileSystem();
    const cmds = sessionCommands({ fs, clock: steppingClock('2025-03-01T10:00:00Z') });
    const rec = cmds.find((c) => c.words.join(' ') === 'decision record')!;
    const r = await run(rec, ['--title', 'Keep JSONL', '--decision', 'One file per session', '--context', 'Needs appends']);
    assert.deepEqual(r, { code: 0, out: 'recorded "Keep JSONL" in docs/decision-log.md\n', err: '' });
    const [session] = await readAllSessions(fs, root);
    assert.equal(session.summary.host, 'cli');
    assert.deepEqual(session.events.map((e) => e.type), ['session-start', 'decision']);
    assert.match(fs.files.get('/ws/docs/decision-log.md')!, /- Session: \[\S+, event e2\]\(\.\.\/\.llmgenie\/sessions\/\S+\.jsonl#e2\)/);
    const list = cmds.find((c) => c.words.join(' ') === 'decision list')!;
    assert.match((await run(list, [])).out, /^date\s+title\n2025-03-01 10:00 UTC\s+Keep JSONL\n$/);
    await assert.rejects(rec.run(['--title', 'x'], fakeIO()), /--title and --decision are required/);
  });
});

describe('openCliSessionSink', () => {
  it('creates the session on the first event only, with host cli, and reports where events land', async () => {
    const fs = new MemoryFileSystem();
    const io = fakeIO();
    const sink = openCliSessionSink(io, { fs, clock: steppingClock('2025-03-01T10:00:00Z') });
    assert.equal(fs.files.size, 0);
    await sink.append({ type: 'task', payload: task() });
    const loc = await sink.appendLocated({ type: 'note', payload: { message: 'x' } });
    const [s] = await readAllSessions(fs, root);
    assert.equal(s.summary.host, 'cli');
    assert.equal(s.summary.workspace, 'ws');
    assert.deepEqual(loc, { sessionId: s.summary.id, file: `.llmgenie/sessions/${s.summary.id}.jsonl`, eventId: 'e3' });
    assert.equal(io.stderr, '');
  });

  it('logs where the workspace settings say', async () => {
    const fs = new MemoryFileSystem({ '/ws/.vscode/settings.json': '{"llmgenie.sessions.directory": "out/logs"}' });
    await openCliSessionSink(fakeIO(), { fs, clock: steppingClock('2025-03-01T10:00:00Z') }).append({ type: 'note', payload: { message: 'x' } });
    assert.ok([...fs.files.keys()].some((p) => p.startsWith('/ws/out/logs/')));
  });

  it('never throws: a broken file system is reported once on stderr', async () => {
    const fs = new MemoryFileSystem();
    fs.appendText = async () => {
      throw new Error('EACCES: permission denied');
    };
    const io = fakeIO();
    const sink = openCliSessionSink(io, { fs, clock: steppingClock('2025-03-01T10:00:00Z') });
    await sink.append({ type: 'task', payload: task() });
    await sink.append({ type: 'task', payload: task() });
    assert.equal(await sink.appendLocated({ type: 'note', payload: { message: 'x' } }), undefined);
    assert.equal(io.stderr, 'llmgenie: session log unavailable (EACCES: permission denied); continuing without it\n');
    // An invalid event from a caller is also swallowed (and reported once) rather than failing the command.
    const io2 = fakeIO();
    const ok = openCliSessionSink(io2, { fs: new MemoryFileSystem(), clock: steppingClock('2025-03-01T10:00:00Z') });
    await ok.append({ type: 'task', payload: { ...task(), costUsd: -1 } });
    assert.match(io2.stderr, /^llmgenie: session log unavailable \(invalid 'task' event: costUsd/);
  });

  it('is off with LLMGENIE_SESSION_LOG=off', async () => {
    const fs = new MemoryFileSystem();
    await openCliSessionSink(fakeIO({ LLMGENIE_SESSION_LOG: 'off' }), { fs, clock: steppingClock('2025-03-01T10:00:00Z') }).append({ type: 'note', payload: { message: 'x' } });
    assert.equal(fs.files.size, 0);
  });
});
