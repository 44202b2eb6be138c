import assert from 'node:assert/strict';
import { buildFoldersView, findCardLesson, type FolderLessons } from '../../../src/core/lessons/folderView';
import { LessonStore } from '../../../src/core/lessons/store';
import { buildLessonsView } from '../../../src/core/lessons/viewModel';
import { viewModelSchema } from '../../../src/webviews/lessons/protocol';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const lesson = (id: string, title: string, tags: string[], body: string) => `---\nid: ${id}\ntitle: ${title}\ntags: [${tags.join(', ')}]\nkind: lesson\ncreated: 2026-01-01\n---\n${body}\n`;

async function folders(): Promise<FolderLessons[]> {
  const fs = new MemoryFileSystem({
    '/api/docs/lessons/a.md': lesson('paging', 'Page with cursors', ['http'], 'Offsets skip rows when rows are inserted; page with cursors.'),
    '/api/docs/lessons/b.md': lesson('retries', 'Retry with idempotency keys', ['http', 'payments'], 'Every retried POST carries an idempotency key.'),
    '/web/docs/lessons/a.md': lesson('paging', 'Paging buttons stay put', ['ui'], 'Keep the paging buttons where they were; page with cursors on the API.'),
    '/web/docs/lessons/bad.md': '---\ntitle: [unclosed\n---\nbody\n',
  });
  const out: FolderLessons[] = [];
  for (const [name, root] of [['api', '/api'], ['web', '/web']] as const) {
    const store = new LessonStore({ fs, root });
    await store.load();
    out.push({ name, store });
  }
  return out;
}

describe('buildFoldersView: the lessons sidebar of a multi-root workspace', () => {
  it('one folder: exactly the single-folder view', async () => {
    const [api] = await folders();
    const input = { query: '', tags: [] };
    assert.deepEqual(buildFoldersView([api!], input), buildLessonsView(api!.store, input));
  });

  it('groups cards by folder, qualifies ids (the same id in two folders stays two lessons) and finds them back', async () => {
    const f = await folders();
    const v = buildFoldersView(f, { query: '', tags: [] });
    assert.equal(v.mode, 'list');
    assert.deepEqual(v.cards.map((c) => `${c.folder} ${c.id}`).sort(), ['api 0:paging', 'api 0:retries', 'web 1:bad', 'web 1:paging']);
    assert.deepEqual([...new Set(v.cards.map((c) => c.folder))], ['api', 'web'], 'each folder once, in workspace order');
    assert.equal(v.total, 4);
    assert.equal(findCardLesson(f, '1:paging')?.lesson.title, 'Paging buttons stay put');
    assert.equal(findCardLesson(f, '0:paging')?.lesson.title, 'Page with cursors');
    assert.equal(findCardLesson(f, 'paging'), undefined, 'an unqualified id names no lesson in a multi-root view');
    assert.deepEqual([...new Set(v.problems.map((p) => p.file))], ['web/docs/lessons/bad.md'], 'problems name their folder');
    viewModelSchema.parse(v);
  });

  it('search runs in every folder; a selected tag filters every folder; chips count across folders', async () => {
    const f = await folders();
    const hits = buildFoldersView(f, { query: 'cursors', tags: [] });
    assert.equal(hits.mode, 'results');
    assert.deepEqual(hits.cards.map((c) => c.folder).sort(), ['api', 'web']);
    const tagged = buildFoldersView(f, { query: '', tags: ['http'] });
    assert.deepEqual(tagged.cards.map((c) => c.id).sort(), ['0:paging', '0:retries'], 'web has no #http lesson: none of its lessons show');
    assert.equal(tagged.matched, 2);
    assert.deepEqual(tagged.chips.find((c) => c.tag === 'http'), { tag: 'http', count: 2, selected: true });
    assert.equal(buildFoldersView(f, { query: 'nothing like this', tags: [] }).mode, 'no-matches');
  });

  it('related lessons come from the folder the active file is in', async () => {
    const f = await folders();
    const fs = new MemoryFileSystem({ '/web/docs/lessons/g.md': '---\nid: grid\ntitle: Grid rules\ntags: [ui]\nkind: lesson\ncreated: 2026-01-01\nglobs: ["src/**"]\n---\nbody\n' });
    const web = new LessonStore({ fs, root: '/web' });
    await web.load();
    const v = buildFoldersView([f[0]!, { name: 'web', store: web }], { query: '', tags: [], activeFile: 'src/grid.ts', activeFolder: 1 });
    assert.deepEqual(v.related?.cards.map((c) => [c.folder, c.id]), [['web', '1:grid']]);
    assert.equal(buildFoldersView([f[0]!, { name: 'web', store: web }], { query: '', tags: [], activeFile: 'src/grid.ts', activeFolder: 0 }).related, undefined);
  });
});
