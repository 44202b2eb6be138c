import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { workspaceLessonSearch } from '../../../src/core/lessons/lessonSearch';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

const lesson = (title: string, body: string) => `---\nid: ${title.toLowerCase().replace(/\W+/g, '-')}\ntitle: ${title}\ntags: [router]\nkind: lesson\ncreated: 2026-01-01\n---\n${body}\n`;

describe('workspaceLessonSearch (the router search_lessons tool)', () => {
  it('searches where the workspace settings keep lessons, masks secrets in snippets, and re-reads after the TTL', async () => {
    const key = fakeSecret('anthropic-api-key', makeRng(3));
    const fs = new MemoryFileSystem({
      '/w/.vscode/settings.json': '{ "llmgenie.lessons.dir": "kb" }',
      '/w/kb/a.md': lesson('Warm up Ollama before timing', `The first call loads the model; key ${key} was pasted here by mistake.`),
    });
    let now = 0;
    const search = workspaceLessonSearch(fs, '/w', () => now);
    const [hit] = await search('ollama model', 5);
    assert.equal(hit?.title, 'Warm up Ollama before timing');
    assert.ok(!JSON.stringify(hit).includes(key.slice(10, 30)), 'no part of the key leaks');

    await fs.writeText('/w/kb/b.md', lesson('Retry payments with idempotency keys', 'Retries need an idempotency key.'));
    assert.equal((await search('idempotency', 5)).length, 0, 'served from the loaded index');
    now += 61_000;
    assert.equal((await search('idempotency', 5))[0]?.title, 'Retry payments with idempotency keys');
  });
});
