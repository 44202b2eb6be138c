import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { WorkspaceLessons } from '../../../src/core/lessons/workspaceLessons';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const lesson = (title: string, body: string) => `---\nid: ${title.toLowerCase().replace(/\W+/g, '-')}\ntitle: ${title}\ntags: [router]\nkind: lesson\ncreated: 2026-01-01\n---\n${body}\n`;

describe('WorkspaceLessons: one lessons index per workspace folder', () => {
  it('searches where the workspace settings keep lessons, masks secrets in snippets, and re-reads after the TTL', async () => {
    const key = fakeSecret('anthropic-api-key', makeRng(3));
    const fs = new MemoryFileSystem({
      '/w/.vscode/settings.json': '{ "llmgenie.lessons.dir": "kb" }',
      '/w/kb/a.md': lesson('Warm up Ollama before timing', `The first call loads the model; key ${key} was pasted here by mistake.`),
    });
    let now = 0;
    const search = new WorkspaceLessons({ fs, root: '/w', ttlMs: 60_000, now: () => now }).search;
    const [hit] = await search('ollama model', 5);
    assert.equal(hit?.title, 'Warm up Ollama before timing');
    assert.ok(!JSON.stringify(hit).includes(key.slice(10, 30)), 'no part of the key leaks');

    await fs.writeText('/w/kb/b.md', lesson('Retry payments with idempotency keys', 'Retries need an idempotency key.'));
    assert.equal((await search('idempotency', 5)).length, 0, 'served from the loaded index');
    now += 61_000;
    assert.equal((await search('idempotency', 5))[0]?.title, 'Retry payments with idempotency keys');
  });

  it('unwatched: after the TTL only new, changed and removed files are re-read; callers share one load', async () => {
    const fs = new MemoryFileSystem({ '/w/docs/lessons/a.md': lesson('Alpha rule', 'alpha'), '/w/docs/lessons/b.md': lesson('Beta rule', 'beta') });
    let now = 0;
    const index = new WorkspaceLessons({ fs, root: '/w', ttlMs: 1000, now: () => now });
    const [s1, s2] = await Promise.all([index.store(), index.store()]);
    assert.equal(s1, s2, 'one load for concurrent callers');
    assert.equal(s1.size, 2);
    await fs.remove('/w/docs/lessons/b.md');
    await fs.writeText('/w/docs/lessons/c.md', lesson('Gamma rule', 'gamma'));
    now += 1001;
    const s3 = await index.store();
    assert.equal(s3, s1, 'the same store, updated in place');
    assert.deepEqual(s3.list().map((l) => l.title).sort(), ['Alpha rule', 'Gamma rule']);
  });

  it('watched: never re-checks on its own; the watcher feeds changes, and onLoaded says when to start it', async () => {
    const fs = new MemoryFileSystem({ '/w/docs/lessons/a.md': lesson('Alpha rule', 'alpha') });
    const loaded: string[] = [];
    let now = 0;
    const index = new WorkspaceLessons({ fs, root: '/w', watched: true, ttlMs: 0, now: () => now++, onLoaded: (s) => loaded.push(s.root) });
    assert.equal(index.current, undefined, 'nothing read before the first use');
    assert.equal(await index.fileChanged('/w/docs/lessons/a.md'), undefined, 'a change before the load is read by the load');
    await index.store();
    await fs.writeText('/w/docs/lessons/b.md', lesson('Beta rule', 'beta'));
    assert.equal((await index.search('beta', 5)).length, 0, 'no polling when watched');
    await index.fileChanged('/w/docs/lessons/b.md');
    assert.equal((await index.search('beta', 5))[0]?.title, 'Beta rule');
    await index.fileRemoved('/w/docs/lessons/a.md');
    assert.equal((await index.store()).size, 1);
    assert.deepEqual(loaded, ['/w'], 'onLoaded once');
  });

  it('each folder of a multi-root workspace keeps its own lessons, under its own settings', async () => {
    const fs = new MemoryFileSystem({
      '/api/docs/lessons/a.md': lesson('Api lesson', 'pagination cursors'),
      '/web/.vscode/settings.json': '{ "llmgenie.lessons.dir": "notes" }',
      '/web/notes/b.md': lesson('Web lesson', 'pagination buttons'),
    });
    const api = new WorkspaceLessons({ fs, root: '/api' });
    const web = new WorkspaceLessons({ fs, root: '/web' });
    assert.deepEqual((await api.search('pagination', 5)).map((h) => h.title), ['Api lesson']);
    assert.deepEqual((await web.search('pagination', 5)).map((h) => h.title), ['Web lesson']);
  });

  it('a first load that fails (lessons folder outside the workspace) says so, keeps the store, and onLoaded still runs', async () => {
    const fs = new MemoryFileSystem({ '/w/.vscode/settings.json': '{ "llmgenie.lessons.dir": "/elsewhere" }', '/elsewhere/a.md': lesson('Outside', 'x') });
    let started = 0;
    const index = new WorkspaceLessons({ fs, root: '/w', watched: true, onLoaded: () => started++ });
    await assert.rejects(index.store(), /llmgenie\.lessons\.dir/);
    assert.ok(index.current, 'kept for the watcher');
    assert.equal(started, 1);
  });
});
