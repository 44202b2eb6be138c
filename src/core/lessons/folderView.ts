import { buildLessonsView, chips, type LessonCard, type LessonsViewModel, type ProblemRow, type ViewInput } from './viewModel';
import type { Lesson } from './lesson';
import type { LessonStore } from './store';

/** One workspace folder's lessons, as the sidebar shows them. */
export interface FolderLessons {
  /** The folder's name in the workspace (what the editor's explorer shows). */
  readonly name: string;
  readonly store: LessonStore;
}

export interface FoldersViewInput extends ViewInput {
  /** Which folder `activeFile` is relative to (index into the folders). */
  activeFolder?: number;
}

/**
 * The sidebar for a workspace of one or more folders. With one, exactly `buildLessonsView`. With several, each
 * folder keeps its own lessons: cards come grouped by folder (each card names it), ids are qualified by the folder
 * (`<index>:<id>`, since two folders may use one id), problems are prefixed with the folder name, tag chips count
 * across folders, and a selected tag filters every folder (one without it shows nothing).
 */
export function buildFoldersView(folders: readonly FolderLessons[], input: FoldersViewInput): LessonsViewModel {
  if (folders.length === 1) return buildLessonsView(folders[0]!.store, input);
  const { activeFolder, activeFile, ruleIds, hits: _hits, ...rest } = input;
  const counts = new Map<string, number>();
  for (const f of folders) for (const c of f.store.tags()) counts.set(c.tag, (counts.get(c.tag) ?? 0) + c.count);
  const tags = input.tags.map((t) => t.toLowerCase()).filter((t) => counts.has(t));
  const views = folders.map((f, i) => {
    // A selected tag this folder has no lesson with: nothing of this folder matches (buildLessonsView would drop the tag).
    const known = new Set(f.store.tags().map((c) => c.tag));
    const misses = tags.some((t) => !known.has(t));
    const own = i === activeFolder && activeFile ? { activeFile, ...(ruleIds ? { ruleIds } : {}) } : {};
    return { folder: f, misses, view: buildLessonsView(f.store, { ...rest, tags, ...own }) };
  });
  const qualify = (i: number, name: string) => (c: LessonCard): LessonCard => ({ ...c, id: qualifiedId(i, c.id), folder: name });
  const cards = views.flatMap((v, i) => (v.misses ? [] : v.view.cards.map(qualify(i, v.folder.name))));
  const matched = views.reduce((n, v) => n + (v.misses ? 0 : v.view.matched), 0);
  const total = views.reduce((n, v) => n + v.view.total, 0);
  const problems: ProblemRow[] = views.flatMap((v) => v.view.problems.map((p) => ({ ...p, file: `${v.folder.name}/${p.file}` })));
  const active = activeFolder !== undefined ? views[activeFolder] : undefined;
  const related = active?.view.related ? { file: active.view.related.file, cards: active.view.related.cards.map(qualify(activeFolder!, active.folder.name)) } : undefined;
  const sorted = [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  const mode: LessonsViewModel['mode'] = !total ? 'empty' : !cards.length ? 'no-matches' : input.query.trim() ? 'results' : 'list';
  return {
    mode,
    query: input.query,
    tags,
    total,
    cards,
    matched,
    chips: chips(sorted, tags, input.chipLimit ?? 24),
    ...(related && mode === 'list' ? { related } : {}),
    problems,
    dir: views[0]?.view.dir ?? '',
    ...(input.note ? { note: input.note } : {}),
  };
}

/** A card id in a multi-root view: the folder's index, then the lesson's id. */
export function qualifiedId(folder: number, id: string): string {
  return `${folder}:${id}`;
}

/** The lesson a card id names, in whichever folder; undefined when it is gone. */
export function findCardLesson(folders: readonly FolderLessons[], cardId: string): { folder: FolderLessons; lesson: Lesson } | undefined {
  if (folders.length === 1) {
    const lesson = folders[0]!.store.get(cardId);
    return lesson ? { folder: folders[0]!, lesson } : undefined;
  }
  const m = /^(\d+):(.*)$/s.exec(cardId);
  const folder = m ? folders[Number(m[1])] : undefined;
  const lesson = folder?.store.get(m![2]!);
  return folder && lesson ? { folder, lesson } : undefined;
}
