import type { FileSystem } from '../platform/fileSystem';
import type { LessonSearch } from '../router/tools';
import { maskedSnippet } from './maskedSnippet';
import { readWorkspaceLessonSettings } from './settings';
import { LessonStore } from './store';

/** How long a loaded lessons index serves the router's `search_lessons` tool before it is read again. */
export const LESSON_SEARCH_TTL_MS = 60_000;

/**
 * The router's `search_lessons` tool over the workspace's lessons, where the editor keeps them
 * (`llmgenie.lessons.*` settings), loaded on the first search and re-read after a minute. Snippets are masked.
 */
export function workspaceLessonSearch(fs: FileSystem, root: string, now: () => number = Date.now): LessonSearch {
  let loaded: { store: LessonStore; at: number } | undefined;
  return async (query, limit) => {
    if (!loaded || now() - loaded.at > LESSON_SEARCH_TTL_MS) {
      const settings = await readWorkspaceLessonSettings(fs, root);
      const store = new LessonStore({ fs, root, dir: settings.dir, docsDir: settings.docsDir });
      await store.load();
      loaded = { store, at: now() };
    }
    const store = loaded.store;
    return store.searchText(query, { limit }).map((h) => ({ id: h.id, title: h.title, snippet: maskedSnippet(h, store.get(h.id)), score: h.score }));
  };
}
