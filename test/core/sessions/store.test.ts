import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { listSessionFiles } from '../../../src/core/sessions/layout';
import { SessionNotFoundError, deleteSession, listNewestSessions, listSessions, readAllSessions, readSession } from '../../../src/core/sessions/read';
import { SessionEventError, openSession, pruneSessions } from '../../../src/core/sessions/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { steppingClock, task } from './fixtures';

const root = '/ws/project';
const dir = `${root}/.llmgenie/sessions`;

describe('SessionStore', () => {
  it('starts a session file with a session-start line and appends one validated JSON line per event', async () => {
    const fs = new MemoryFileSystem();
    const clock = steppingClock('2025-03-01T10:15:00.123Z');
    const s = await openSession(fs, clock, { root, host: 'editor', version: '0.1.0', randomId: () => 'abc123' });
    assert.equal(s.sessionId, '20250301-101500123-abc123');
    assert.equal(s.path, `${dir}/20250301-101500123-abc123.jsonl`);
    assert.equal(s.relativePath, '.llmgenie/sessions/20250301-101500123-abc123.jsonl');
    await s.append({ type: 'task', payload: task({ costUsd: 0.25 }) });
    const loc = await s.appendLocated({ type: 'note', payload: { message: 'hi' } });
    assert.deepEqual(loc, { sessionId: s.sessionId, file: s.relativePath, eventId: 'e3' });

    const lines = fs.files.get(s.path)!.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 3);
    const first = JSON.parse(lines[0]);
    assert.deepEqual(first, {
      v: 1,
      id: 'e1',
      time: '2025-03-01T10:15:00.123Z',
      type: 'session-start',
      payload: { host: 'editor', workspace: 'project', version: '0.1.0', pid: process.pid },
    });
    assert.equal(JSON.parse(lines[1]).type, 'task');

    const read = await readSession(fs, root, s.sessionId);
    assert.deepEqual(read.warnings, []);
    assert.deepEqual(read.events.map((e) => e.type), ['session-start', 'task', 'note']);
    assert.equal(read.summary.host, 'editor');
    assert.equal(read.summary.eventCount, 2);
    assert.equal(read.summary.taskCount, 1);
    assert.equal(read.summary.costUsd, 0.25);
    assert.deepEqual(read.summary.types, ['note', 'task']);
    assert.equal(read.summary.start, '2025-03-01T10:15:00.123Z');
    assert.equal(read.summary.end, '2025-03-01T10:15:02.123Z');
  });

  it('keeps event order for concurrent appends on one store', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'cli' });
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.append({ type: 'note', payload: { message: `m${i}` } })));
    const { events } = await readSession(fs, root, s.sessionId);
    assert.deepEqual(
      events.slice(1).map((e) => (e.payload as { message: string }).message),
      Array.from({ length: 50 }, (_, i) => `m${i}`),
    );
  });

  it('rejects an invalid or unknown event without writing it, and keeps working', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'cli' });
    await assert.rejects(s.append({ type: 'task', payload: { ...task(), tokensIn: -1 } }), (e) => e instanceof SessionEventError && /tokensIn/.test(e.message));
    await assert.rejects(s.append({ type: 'bogus', payload: {} } as never), SessionEventError);
    await s.append({ type: 'note', payload: { message: 'still fine' } });
    assert.equal(fs.files.get(s.path)!.trim().split('\n').length, 2);
  });

  it('masks secrets in every string before writing and counts them', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'editor' });
    // Built at runtime so no secret-shaped literal sits in the repository (llmgenie check stays clean).
    const key = fakeSecret('anthropic-api-key', makeRng(71));
    const awsKeyId = `AKIA${'4Q7RZ2XK9LMNP3VW'}`;
    const payload = task({ error: `auth failed for ${key}`, files: ['src/a.ts', awsKeyId] });
    await s.append({ type: 'task', payload });
    const text = fs.files.get(s.path)!;
    assert.ok(!text.includes(key), 'anthropic key written');
    assert.ok(!text.includes(awsKeyId), 'aws key written');
    assert.match(text, /REDACTED:anthropic-api-key/);
    const { events } = await readSession(fs, root, s.sessionId);
    assert.equal(events[1].redacted, 2);
    assert.equal(payload.error, `auth failed for ${key}`, "caller's object untouched");
  });

  it('rotates to a new part file past maxBytes and reads the parts back as one session', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'editor', maxBytes: 600 });
    for (let i = 0; i < 12; i++) await s.append({ type: 'note', payload: { message: `note ${i} ${'x'.repeat(100)}` } });
    const groups = await listSessionFiles(fs, dir);
    assert.equal(groups.length, 1);
    assert.ok(groups[0].files.length >= 3, `parts: ${groups[0].files.length}`);
    assert.deepEqual(s.files, groups[0].files);
    for (const f of groups[0].files) assert.ok(fs.files.get(f)!.length <= 600, f);
    assert.match(groups[0].files[1], /\.2\.jsonl$/);
    const read = await readSession(fs, root, s.sessionId);
    assert.equal(read.events.length, 13);
    assert.deepEqual(read.events.map((e) => e.id), Array.from({ length: 13 }, (_, i) => `e${i + 1}`));
    assert.equal(read.summary.files.length, groups[0].files.length);
  });

  it('notifies onDidAppend listeners in order after each write; a throwing listener is ignored', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'editor' });
    const seen: string[] = [];
    s.onDidAppend(() => {
      throw new Error('view bug');
    });
    const off = s.onDidAppend((e, file) => seen.push(`${e.id}:${e.type}:${fs.files.get(file)!.includes(`"id":"${e.id}"`)}`));
    await s.append({ type: 'note', payload: { message: 'a' } });
    await s.append({ type: 'task', payload: task() });
    off();
    await s.append({ type: 'note', payload: { message: 'c' } });
    assert.deepEqual(seen, ['e2:note:true', 'e3:task:true']);
  });

  it('writes a line longer than maxBytes whole rather than dropping it', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00Z'), { root, host: 'editor', maxBytes: 100 });
    await s.append({ type: 'note', payload: { message: 'y'.repeat(500) } });
    const read = await readSession(fs, root, s.sessionId);
    assert.equal(read.events.length, 2);
    assert.equal(read.warnings.length, 0);
  });
});

describe('retention', () => {
  async function seed(fs: MemoryFileSystem, count: number, startIso: string, dayStep: number) {
    const clock = steppingClock(startIso, dayStep * 86_400_000);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const s = await openSession(fs, clock, { root, host: 'editor', retention: { maxSessions: 0, maxAgeDays: 0, maxTotalMB: 0 } });
      await s.release(); // a finished session: its process no longer holds it
      ids.push(s.sessionId);
    }
    return ids;
  }

  it('keeps the newest N sessions, counting the one being opened', async () => {
    const fs = new MemoryFileSystem();
    const ids = await seed(fs, 5, '2025-03-01T00:00:00Z', 0.01);
    const s = await openSession(fs, steppingClock('2025-03-02T00:00:00Z'), { root, host: 'cli', retention: { maxSessions: 3 } });
    const left = (await listSessions(fs, root)).map((x) => x.id);
    assert.deepEqual(left, [s.sessionId, ids[4], ids[3]]);
  });

  it('drops sessions older than maxAgeDays and removes all their parts', async () => {
    const fs = new MemoryFileSystem();
    const ids = await seed(fs, 4, '2025-01-01T00:00:00Z', 10); // Jan 1, 11, 21, 31
    fs.files.set(`${dir}/${ids[0]}.2.jsonl`, '');
    const removed = await pruneSessions(fs, steppingClock('2025-02-05T00:00:00Z'), dir, { maxAgeDays: 20 });
    assert.deepEqual(removed.sort(), [ids[0], ids[1]].sort());
    assert.ok(![...fs.files.keys()].some((p) => p.includes(ids[0])));
    assert.deepEqual((await listSessions(fs, root)).map((x) => x.id), [ids[3], ids[2]]);
  });

  it('never prunes a session whose process still holds it, and removes a lock with its session', async () => {
    const fs = new MemoryFileSystem();
    const ids = await seed(fs, 3, '2025-01-01T00:00:00Z', 0.01);
    const live = await openSession(fs, steppingClock('2024-12-01T00:00:00Z'), { root, host: 'mcp', retention: { maxSessions: 0, maxAgeDays: 0, maxTotalMB: 0 } });
    fs.files.set(`${dir}/${ids[0]}.lock`, JSON.stringify({ pid: 2 ** 30, machine: 'gone' })); // stale: another machine, old heartbeat
    const removed = await pruneSessions(fs, steppingClock('2025-06-01T00:00:00Z'), dir, { maxSessions: 1, maxAgeDays: 30 });
    assert.deepEqual(removed.sort(), [...ids].sort());
    assert.deepEqual((await listSessions(fs, root)).map((x) => x.id), [live.sessionId]);
    assert.ok(![...fs.files.keys()].some((p) => p.endsWith(`${ids[0]}.lock`)));
  });

  it('prunes by size, oldest first, before count', async () => {
    const fs = new MemoryFileSystem();
    const ids = await seed(fs, 3, '2025-01-01T00:00:00Z', 0.01);
    for (const id of ids) fs.files.set(`${dir}/${id}.jsonl`, 'x'.repeat(600 * 1024));
    const removed = await pruneSessions(fs, steppingClock('2025-01-02T00:00:00Z'), dir, { maxSessions: 10, maxTotalMB: 1 });
    assert.deepEqual(removed.sort(), [ids[0], ids[1]].sort());
  });

  it('does nothing when both limits are 0', async () => {
    const fs = new MemoryFileSystem();
    await seed(fs, 3, '2020-01-01T00:00:00Z', 100);
    assert.deepEqual(await pruneSessions(fs, steppingClock('2025-01-01T00:00:00Z'), dir, { maxSessions: 0, maxAgeDays: 0, maxTotalMB: 0 }), []);
  });
});

describe('listSessions / readSession / deleteSession', () => {
  it('lists newest first, ignores foreign files, and deletes by id', async () => {
    const fs = new MemoryFileSystem({ [`${dir}/README.md`]: 'x', [`${dir}/notes.jsonl`]: '{}' });
    const clock = steppingClock('2025-03-01T00:00:00Z', 60_000);
    const a = await openSession(fs, clock, { root, host: 'editor' });
    const b = await openSession(fs, clock, { root, host: 'mcp' });
    await b.append({ type: 'task', payload: task({ costUsd: 0.5 }) });
    const list = await listSessions(fs, root);
    assert.deepEqual(list.map((s) => [s.id, s.host, s.taskCount, s.costUsd]), [
      [b.sessionId, 'mcp', 1, 0.5],
      [a.sessionId, 'editor', 0, 0],
    ]);
    assert.deepEqual(await deleteSession(fs, root, a.sessionId), [a.path]);
    assert.deepEqual((await listSessions(fs, root)).map((s) => s.id), [b.sessionId]);
    await assert.rejects(readSession(fs, root, a.sessionId), SessionNotFoundError);
    await assert.rejects(readSession(fs, root, '../../etc/passwd'), SessionNotFoundError);
  });

  it('readAllSessions skips sessions last written before modifiedSince', async () => {
    const fs = new MemoryFileSystem();
    const clock = steppingClock('2025-03-01T00:00:00Z', 86_400_000);
    const old = await openSession(fs, clock, { root, host: 'editor' });
    const recent = await openSession(fs, clock, { root, host: 'editor' });
    const mtimes = new Map([[old.path, Date.parse('2025-03-01T00:00:00Z')], [recent.path, Date.parse('2025-03-02T00:00:00Z')]]);
    const stat = fs.stat.bind(fs);
    fs.stat = async (p) => {
      const st = await stat(p);
      return st && { ...st, mtimeMs: mtimes.get(p) ?? 0 };
    };
    const ids = async (since?: Date) => (await readAllSessions(fs, root, undefined, since)).map((s) => s.summary.id);
    assert.deepEqual(await ids(), [recent.sessionId, old.sessionId]);
    assert.deepEqual(await ids(new Date('2025-03-01T12:00:00Z')), [recent.sessionId]);
  });

  it('honours a custom sessions folder and returns no sessions for a missing one', async () => {
    const fs = new MemoryFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T00:00:00Z'), { root, dir: 'logs/llm', host: 'cli' });
    assert.equal(s.path.startsWith(`${root}/logs/llm/`), true);
    assert.equal((await listSessions(fs, root, 'logs/llm')).length, 1);
    assert.deepEqual(await listSessions(fs, root), []);
  });

  it('lists only the newest sessions asked for, and counts them all', async () => {
    const fs = new MemoryFileSystem();
    const made = [];
    for (const t of ['2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z', '2025-03-03T00:00:00Z']) {
      const s = await openSession(fs, steppingClock(t), { root, host: 'cli' });
      await s.append({ type: 'task', payload: task() });
      made.push(s.sessionId);
    }
    const page = await listNewestSessions(fs, root, undefined, 2);
    assert.equal(page.total, 3);
    assert.deepEqual(page.sessions.map((s) => s.id), [made[2], made[1]]);
  });
});
