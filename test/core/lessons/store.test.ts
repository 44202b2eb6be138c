import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LessonError } from '../../../src/core/lessons/lesson';
import { LessonStore } from '../../../src/core/lessons/store';
import type { Clock } from '../../../src/core/platform/clock';
import { nodeFileSystem, type FileSystem } from '../../../src/core/platform/fileSystem';
import type { SessionEventInput, SessionEventSink } from '../../../src/core/sessions/sink';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { FIXTURE_ROOT, fixtureFs } from './fixture';

const DIR = `${FIXTURE_ROOT}/docs/lessons`;
const clock: Clock = { now: () => new Date('2024-06-01T12:00:00Z') };

class RecordingSink implements SessionEventSink {
  readonly events: SessionEventInput[] = [];
  async append(e: SessionEventInput): Promise<void> {
    this.events.push(e);
  }
}

async function open(fs: FileSystem = fixtureFs(), sink?: SessionEventSink): Promise<LessonStore> {
  const store = new LessonStore({ fs, root: FIXTURE_ROOT, clock, sink });
  await store.load();
  return store;
}

describe('lessons: store loading', () => {
  it('lists every lesson file and lessons_learned section, newest first; skips README', async () => {
    const store = await open();
    assert.equal(store.size, 12);
    const list = store.list();
    assert.equal(list[0].id, '2024-05-01-any-silences-the-compiler');
    assert.ok(!list.some((l) => /readme/i.test(l.path)));
    assert.ok(list.some((l) => l.id === 'plain-notes' && l.title === 'Write the failing test first'));
    assert.equal(list.filter((l) => l.readOnly).length, 3);
  });

  it('keeps malformed lessons listed and reports their problems with file and line', async () => {
    const store = await open();
    assert.ok(store.get('broken-front-matter'));
    assert.ok(store.get('bad-fields'));
    assert.deepEqual(
      store.problems().map((p) => [p.file.slice(DIR.length + 1), p.line]),
      [
        ['bad-fields.md', 3],
        ['bad-fields.md', 4],
        ['bad-fields.md', 5],
        ['broken-front-matter.md', 4],
      ],
    );
  });

  it('reads a lessons_learned file at the workspace root too', async () => {
    const fs = new MemoryFileSystem({ '/ws/LESSONS_LEARNED.md': '## Root lesson\n\nText', '/ws/src/lessons_learned.md': '## Not scanned\n' });
    const store = await open(fs);
    assert.deepEqual(store.list().map((l) => l.id), ['lessons-learned--root-lesson']);
  });

  it('filters the list by tag and kind and counts tags for chips', async () => {
    const store = await open();
    assert.deepEqual(store.list({ tags: ['MEMORY'] }).map((l) => l.id), ['2024-03-02-memory-leak-from-event-listeners', '2024-02-11-take-heap-snapshots-before-guessing']);
    assert.deepEqual(store.list({ kind: 'best-practice' }).length, 3);
    assert.deepEqual(store.tags().slice(0, 2), [
      { tag: 'architecture', count: 2 },
      { tag: 'memory', count: 2 },
    ]);
  });

  it('lists both lessons when two files claim one id, with a problem on the second', async () => {
    const fs = new MemoryFileSystem({
      [`${DIR}/a.md`]: '---\nid: same\ntitle: First\n---\n',
      [`${DIR}/b.md`]: '---\nid: same\ntitle: Second\n---\n',
    });
    const store = await open(fs);
    assert.equal(store.get('same')?.title, 'First');
    assert.equal(store.get('same~2')?.title, 'Second');
    assert.match(store.problems()[0].message, /duplicate id "same"/);
  });

  it('loads nothing (and does not throw) when the folders do not exist', async () => {
    const store = await open(new MemoryFileSystem());
    assert.deepEqual(store.list(), []);
    assert.deepEqual(store.problems(), []);
  });
});

describe('lessons: store writes', () => {
  it('adds a lesson as a date+slug file with deterministic front matter, searchable at once', async () => {
    const fs = fixtureFs();
    const sink = new RecordingSink();
    const store = await open(fs, sink);
    const l = await store.add({ title: 'Утечка памяти в тестах', body: 'Закрывайте сервер после теста.', tags: 'Тесты, память', kind: 'lesson', source: 'src/a.ts:10' });
    assert.equal(l.id, '2024-06-01-utechka-pamyati-v-testah');
    assert.equal(l.path, `${DIR}/2024-06-01-utechka-pamyati-v-testah.md`);
    assert.equal(
      fs.files.get(l.path),
      '---\nid: 2024-06-01-utechka-pamyati-v-testah\ntitle: Утечка памяти в тестах\nkind: lesson\ntags: [тесты, память]\n' +
        'created: 2024-06-01\nsource: src/a.ts:10\n---\n\nЗакрывайте сервер после теста.\n',
    );
    assert.equal(store.searchText('сервер')[0].id, l.id);
    assert.deepEqual(sink.events, [{ type: 'lesson', payload: { id: l.id, title: 'Утечка памяти в тестах', action: 'add' } }]);
  });

  it('keeps ids unique, also against files the store has not loaded yet', async () => {
    const fs = new MemoryFileSystem();
    const store = await open(fs);
    const a = await store.add({ title: 'Same title', body: '' });
    fs.files.set(`${DIR}/2024-06-01-same-title-2.md`, 'written by someone else');
    const b = await store.add({ title: 'Same title', body: '' });
    assert.equal(a.id, '2024-06-01-same-title');
    assert.equal(b.id, '2024-06-01-same-title-3');
    assert.equal(fs.files.get(`${DIR}/2024-06-01-same-title-2.md`), 'written by someone else');
  });

  it('rejects invalid input with a typed error', async () => {
    const store = await open(new MemoryFileSystem());
    await assert.rejects(store.add({ title: '   ', body: 'x' }), (e) => LessonError.is(e, 'invalid-input') && /title/.test(e.message));
    await assert.rejects(store.add({ title: 'T', body: 'x', kind: 'folklore' as never }), (e) => LessonError.is(e, 'invalid-input'));
  });

  it('updates a lesson in place, keeping id, created and unknown keys', async () => {
    const fs = new MemoryFileSystem({ [`${DIR}/x.md`]: '---\nid: x\ntitle: Old\ncreated: 2023-01-01\nowner: team-a\nrule: r1\n---\nOld body\n' });
    const sink = new RecordingSink();
    const store = await open(fs, sink);
    const l = await store.update('x', { title: 'New', tags: ['a'], rule: '' });
    assert.equal(l.title, 'New');
    assert.equal(l.body, 'Old body');
    assert.equal(fs.files.get(`${DIR}/x.md`), '---\nid: x\ntitle: New\nkind: lesson\ntags: [a]\ncreated: 2023-01-01\nowner: team-a\n---\n\nOld body\n');
    assert.deepEqual(store.searchText('old').map((h) => h.id), ['x']);
    assert.deepEqual(store.searchText('new').map((h) => h.id), ['x']);
    await store.update('x', { body: '' });
    assert.equal(store.get('x')?.body, '');
    assert.deepEqual(sink.events.map((e) => (e.payload as { action: string }).action), ['update', 'update']);
  });

  it('deletes a lesson file and drops it from search', async () => {
    const fs = fixtureFs();
    const store = await open(fs);
    await store.delete('2024-02-11-take-heap-snapshots-before-guessing');
    assert.equal(fs.files.has(`${DIR}/2024-02-11-take-heap-snapshots-before-guessing.md`), false);
    assert.equal(store.get('2024-02-11-take-heap-snapshots-before-guessing'), undefined);
    assert.deepEqual(store.searchText('snapshots'), []);
  });

  it('refuses to edit lessons_learned sections or unknown ids', async () => {
    const store = await open();
    await assert.rejects(store.update('lessons-learned--escalate-on-empty-answers', { title: 'x' }), (e) => LessonError.is(e, 'read-only'));
    await assert.rejects(store.delete('lessons-learned--escalate-on-empty-answers'), (e) => LessonError.is(e, 'read-only'));
    await assert.rejects(store.delete('nope'), (e) => LessonError.is(e, 'not-found'));
  });
});

describe('lessons: atomic writes', () => {
  it('writes each lesson with one writeText call holding the whole file', async () => {
    const calls: string[] = [];
    const fs = new MemoryFileSystem();
    const spy: FileSystem = {
      ...fs,
      readText: (p) => fs.readText(p),
      readDir: (p) => fs.readDir(p),
      stat: (p) => fs.stat(p),
      remove: (p) => fs.remove(p),
      readBytes: (p) => fs.readBytes(p),
      writeText: async (p, t) => {
        calls.push(`write ${p}`);
        await fs.writeText(p, t);
      },
      appendText: async (p) => {
        calls.push(`append ${p}`);
      },
      createText: async (p, t) => {
        calls.push(`create ${p}`);
        return fs.createText(p, t);
      },
    };
    const store = await open(spy);
    const l = await store.add({ title: 'One write', body: 'whole' });
    // A new lesson is one exclusive create (the name is reserved and written at once).
    assert.deepEqual(calls, [`create ${l.path}`]);
  });

  it('leaves the store unchanged when the write fails', async () => {
    const fs = new MemoryFileSystem();
    const failing: FileSystem = Object.assign(Object.create(fs) as MemoryFileSystem, {
      writeText: async () => {
        throw new Error('disk full');
      },
      createText: async () => {
        throw new Error('disk full');
      },
    });
    const store = await open(failing);
    await assert.rejects(store.add({ title: 'Lost', body: 'x' }), (e) => LessonError.is(e, 'io') && /disk full/.test(e.message));
    assert.equal(store.size, 0);
    assert.deepEqual(store.searchText('lost'), []);
  });

  it('on disk: the file appears complete via temp + rename, with no temp file left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lessons-'));
    try {
      const root = dir.replace(/\\/g, '/');
      const store = new LessonStore({ fs: nodeFileSystem, root, clock });
      await store.load();
      const l = await store.add({ title: 'On disk', body: 'real file', tags: ['io'] });
      assert.deepEqual(readdirSync(join(dir, 'docs/lessons')), [`${l.id}.md`]);
      const reread = new LessonStore({ fs: nodeFileSystem, root, clock });
      await reread.load();
      assert.deepEqual(reread.get(l.id), l);
      assert.match(readFileSync(join(dir, 'docs/lessons', `${l.id}.md`), 'utf8'), /^---\nid: 2024-06-01-on-disk\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lessons: watcher updates', () => {
  it('picks up a new file, an edit and a deletion, reporting what changed', async () => {
    const fs = fixtureFs();
    const store = await open(fs);
    const path = `${DIR}/new-one.md`;
    fs.files.set(path, '---\ntitle: Zeppelin lesson\n---\nArrived with git pull');
    assert.deepEqual(await store.applyFileChange(path), { added: ['new-one'], updated: [], removed: [] });
    assert.deepEqual(store.searchText('zeppelin').map((h) => h.id), ['new-one']);

    fs.files.set(path, '---\ntitle: Edited elsewhere\n---\nChanged text');
    assert.deepEqual(await store.applyFileChange(path), { added: [], updated: ['new-one'], removed: [] });
    assert.deepEqual(store.searchText('zeppelin'), []);
    assert.equal(store.get('new-one')?.title, 'Edited elsewhere');

    fs.files.delete(path);
    assert.deepEqual(await store.applyFileChange(path), { added: [], updated: [], removed: ['new-one'] });
    assert.equal(store.get('new-one'), undefined);
  });

  it('re-reads a lessons_learned file as a set: sections added and removed', async () => {
    const fs = fixtureFs();
    const store = await open(fs);
    const path = `${FIXTURE_ROOT}/docs/lessons_learned.md`;
    fs.files.set(path, '## Escalate on empty answers\n\nKept.\n\n## Brand new section\n\nNew.');
    assert.deepEqual(await store.applyFileChange(path), {
      added: ['lessons-learned--brand-new-section'],
      updated: ['lessons-learned--escalate-on-empty-answers'],
      removed: ['lessons-learned--2024-01-05-keep-the-router-pure', 'lessons-learned--escalate-on-empty-answers-2'],
    });
  });

  it('ignores files that are not lessons and handles removeFile', async () => {
    const fs = fixtureFs();
    const store = await open(fs);
    const before = store.size;
    fs.files.set(`${FIXTURE_ROOT}/src/notes.md`, '# not a lesson');
    for (const p of [`${FIXTURE_ROOT}/src/notes.md`, `${DIR}/README.md`, `${DIR}/.abc123.tmp`, `${DIR}/x.txt`]) {
      assert.deepEqual(await store.applyFileChange(p), { added: [], updated: [], removed: [] });
    }
    assert.equal(store.size, before);
    assert.deepEqual(await store.removeFile(`${DIR}/plain-notes.md`), { added: [], updated: [], removed: ['plain-notes'] });
    assert.equal(store.size, before - 1);
  });

  it('serialises concurrent events: the last write wins', async () => {
    const fs = new MemoryFileSystem();
    const store = await open(fs);
    const path = `${DIR}/race.md`;
    fs.files.set(path, '---\ntitle: First\n---\n');
    const first = store.applyFileChange(path);
    fs.files.set(path, '---\ntitle: Second\n---\n');
    const second = store.applyFileChange(path);
    await Promise.all([first, second]);
    assert.equal(store.get('race')?.title, 'Second');
    assert.equal(store.size, 1);
  });
});

describe('lessons: related lessons', () => {
  it('ranks glob and rule matches over tag matches from path words and language', async () => {
    const store = await open();
    // any: glob + typescript tag; memory leak: its glob; router: the `router` folder matches a tag.
    assert.deepEqual(store.relatedLessons('src/core/router/route.ts').map((l) => l.id), [
      '2024-05-01-any-silences-the-compiler',
      '2024-03-02-memory-leak-from-event-listeners',
      'lessons-learned--2024-01-05-keep-the-router-pure',
    ]);
    assert.deepEqual(store.relatedLessons(`${FIXTURE_ROOT}/web/App.tsx`).map((l) => l.id), ['2024-05-01-any-silences-the-compiler']);
    assert.deepEqual(store.relatedLessons('scripts/build.py', { ruleIds: ['ts-no-explicit-any'] }).map((l) => l.id), ['2024-05-01-any-silences-the-compiler']);
    assert.deepEqual(store.relatedLessons('docker/compose.yml').map((l) => l.id), ['broken-front-matter']);
    assert.deepEqual(store.relatedLessons('README'), []);
  });
});
