import assert from 'node:assert/strict';
import { readAllSessions } from '../../../src/core/sessions/read';
import { SessionReadCache } from '../../../src/core/sessions/readCache';
import { openSession } from '../../../src/core/sessions/store';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { steppingClock, task } from './fixtures';

const root = '/ws/project';
const dir = `${root}/.llmgenie/sessions`;

/** Counts reads per path so the tests can see what the cache re-parsed. */
class CountingFileSystem extends MemoryFileSystem {
  readonly reads = new Map<string, number>();
  override async readText(path: string): Promise<string> {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    return super.readText(path);
  }
}

describe('SessionReadCache', () => {
  it('returns what readAllSessions returns, newest first', async () => {
    const fs = new CountingFileSystem();
    const clock = steppingClock('2025-03-01T10:00:00.000Z');
    const a = await openSession(fs, clock, { root, host: 'editor', randomId: () => 'aaaaaa' });
    await a.append({ type: 'task', payload: task({ costUsd: 0.5 }) });
    clock.set('2025-03-02T10:00:00.000Z');
    const b = await openSession(fs, clock, { root, host: 'cli', randomId: () => 'bbbbbb' });
    await b.append({ type: 'note', payload: { message: 'x' } });
    fs.files.set(b.path, `${fs.files.get(b.path)}{"torn`);

    const cached = await new SessionReadCache(fs, root).readAll(dir);
    assert.deepEqual(cached, await readAllSessions(fs, root));
    assert.deepEqual(cached.map((s) => s.summary.id), [b.sessionId, a.sessionId]);
    assert.equal(cached[0].warnings.length, 1);
  });

  it('re-reads only the files that changed, and picks up appended events', async () => {
    const fs = new CountingFileSystem();
    const clock = steppingClock('2025-03-01T10:00:00.000Z');
    const a = await openSession(fs, clock, { root, host: 'editor', randomId: () => 'aaaaaa' });
    clock.set('2025-03-02T10:00:00.000Z');
    const b = await openSession(fs, clock, { root, host: 'editor', randomId: () => 'bbbbbb' });
    const cache = new SessionReadCache(fs, root);
    const before = await cache.readAll(dir);
    assert.equal(fs.reads.get(a.path), 1);
    assert.equal(fs.reads.get(b.path), 1);

    await b.append({ type: 'task', payload: task({ costUsd: 0.25 }) });
    const again = await cache.readAll(dir);
    assert.equal(fs.reads.get(a.path), 1, 'unchanged session is not re-read');
    assert.equal(fs.reads.get(b.path), 2);
    assert.equal(again[0].summary.taskCount, 1);
    assert.equal(again[0].summary.costUsd, 0.25);
    assert.equal(again[1], before[1], 'an unchanged session is reused as is, not re-summarised');
    assert.notEqual(again[0], before[0]);

    const one = await cache.read(dir, b.sessionId);
    assert.equal(one?.events.length, 2);
    assert.equal(fs.reads.get(b.path), 2, 'read() reuses the cached parse too');
  });

  it('forgets deleted sessions and answers undefined for unknown or malformed ids', async () => {
    const fs = new CountingFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00.000Z'), { root, host: 'editor', randomId: () => 'aaaaaa' });
    const cache = new SessionReadCache(fs, root);
    assert.equal((await cache.readAll(dir)).length, 1);
    await fs.remove(s.path);
    assert.deepEqual(await cache.readAll(dir), []);
    assert.equal(await cache.read(dir, s.sessionId), undefined);
    assert.equal(await cache.read(dir, '../../etc/passwd'), undefined);
  });

  it('reports an unreadable part as a warning and retries it next time', async () => {
    const fs = new CountingFileSystem();
    const s = await openSession(fs, steppingClock('2025-03-01T10:00:00.000Z'), { root, host: 'editor', randomId: () => 'aaaaaa' });
    let fail = true;
    const flaky = Object.assign(Object.create(fs) as CountingFileSystem, {
      readText: async (p: string) => {
        if (fail) throw new Error('EACCES');
        return fs.readText(p);
      },
    });
    const cache = new SessionReadCache(flaky, root);
    const [first] = await cache.readAll(dir);
    assert.equal(first.events.length, 0);
    assert.match(first.warnings[0].message, /unreadable: EACCES/);
    fail = false;
    const [second] = await cache.readAll(dir);
    assert.equal(second.events.length, 1);
    assert.equal(second.summary.id, s.sessionId);
  });
});
