import type { Lesson, LessonKind } from './lesson';
import type { LessonHit } from './searchIndex';
import { makeSnippet, type Range } from './snippet';
import type { LessonStore } from './store';
import { plainText } from './text';

/** One lesson as the sidebar draws it: plain data, so it crosses the webview boundary as JSON. */
export interface LessonCard {
  readonly id: string;
  readonly title: string;
  readonly kind: LessonKind;
  readonly tags: readonly string[];
  readonly snippet: string;
  readonly highlights: readonly Range[];
  readonly titleHighlights: readonly Range[];
  /** Workspace-relative when under the root. */
  readonly file: string;
  readonly line: number;
  /** The `source` field as written; `sourceLink` says whether the editor can open it. */
  readonly source?: string;
  readonly sourceLink?: 'file' | 'url';
  readonly readOnly: boolean;
  readonly problems: number;
  /** In a multi-root workspace, the name of the folder the lesson belongs to (cards come grouped by it). */
  readonly folder?: string;
}

export interface ProblemRow {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface TagChip {
  readonly tag: string;
  readonly count: number;
  readonly selected: boolean;
}

/** `loading` and `no-folder` come from the editor adapter; the core builds the others. */
export type ViewMode = 'loading' | 'no-folder' | 'empty' | 'list' | 'results' | 'no-matches';

export interface LessonsViewModel {
  readonly mode: ViewMode;
  readonly query: string;
  readonly tags: readonly string[];
  /** Lessons in the store, whatever the filter. */
  readonly total: number;
  readonly cards: readonly LessonCard[];
  /** Lessons matching the filter; more than `cards.length` when the list was cut. */
  readonly matched: number;
  readonly chips: readonly TagChip[];
  readonly related?: { readonly file: string; readonly cards: readonly LessonCard[] };
  readonly problems: readonly ProblemRow[];
  /** Lessons folder, workspace-relative: what the empty state tells people to fill. */
  readonly dir: string;
  /** E.g. why results were not re-ranked. */
  readonly note?: string;
}

export interface ViewInput {
  query: string;
  tags: readonly string[];
  /** Workspace-relative path of the active editor's file. */
  activeFile?: string;
  /** Rules that apply to the active file, so lessons naming them count as related. */
  ruleIds?: readonly string[];
  /** Hits already computed (a re-ranked search); otherwise `searchText` runs here. */
  hits?: readonly LessonHit[];
  note?: string;
  /** Cards drawn without a query; default 100. A sidebar of thousands of cards helps nobody: search does. */
  listLimit?: number;
  /** Default 50. */
  searchLimit?: number;
  /** Chips drawn; selected tags are always among them. Default 24. */
  chipLimit?: number;
  relatedLimit?: number;
}

export function relativePath(root: string, path: string): string {
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

export type SourceLink = { kind: 'file'; path: string; line?: number } | { kind: 'url'; url: string };

/**
 * What a lesson's `source` points at, when the editor can open it: an http(s) URL, or a file path with an
 * optional `:line` (`src/billing.ts:12`, `src/a.ts:3-9`, `.llmgenie/sessions/x.jsonl#e12`). Anything else
 * (a session id, free text) is shown as text.
 */
export function parseSourceLink(source: string | undefined): SourceLink | undefined {
  const s = source?.trim();
  if (!s) return undefined;
  if (/^https?:\/\/\S+$/i.test(s)) return { kind: 'url', url: s };
  if (/\s/.test(s) || /^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return undefined;
  let path = s;
  let line: number | undefined;
  const lineSuffix = /:(\d+)(?:[-:]\d+)?$/.exec(path);
  if (lineSuffix) {
    line = Number(lineSuffix[1]);
    path = path.slice(0, lineSuffix.index);
  }
  const fragment = /#(?:L(\d+))?.*$/.exec(path);
  if (fragment) {
    line ??= fragment[1] ? Number(fragment[1]) : undefined;
    path = path.slice(0, fragment.index);
  }
  // A bare word is a session id or a name, not a file: require a folder or an extension.
  if (!path || (!/[/\\]/.test(path) && !/\.[A-Za-z0-9]{1,8}$/.test(path))) return undefined;
  if (path.split(/[/\\]/).includes('..')) return undefined;
  return line ? { kind: 'file', path, line } : { kind: 'file', path };
}

export function lessonCard(root: string, lesson: Lesson, hit?: LessonHit): LessonCard {
  const snippet = hit ? { text: hit.snippet, ranges: hit.highlights } : makeSnippet(plainText(lesson.body), new Set());
  const link = parseSourceLink(lesson.source);
  return {
    id: lesson.id,
    title: lesson.title,
    kind: lesson.kind,
    tags: lesson.tags,
    snippet: snippet.text,
    highlights: snippet.ranges,
    titleHighlights: hit?.titleHighlights ?? [],
    file: relativePath(root, lesson.path),
    line: lesson.line,
    ...(lesson.source ? { source: lesson.source } : {}),
    ...(link ? { sourceLink: link.kind } : {}),
    readOnly: lesson.readOnly,
    problems: lesson.problems.length,
  };
}

/** Everything the sidebar shows for one query: cards, chips, related lessons and problems. */
export function buildLessonsView(store: LessonStore, input: ViewInput): LessonsViewModel {
  const root = store.root;
  const query = input.query.trim();
  const counts = store.tags();
  const known = new Set(counts.map((c) => c.tag));
  // A selected tag that no lesson carries any more (deleted, renamed) would filter everything out, invisibly.
  const tags = input.tags.map((t) => t.toLowerCase()).filter((t) => known.has(t));
  const problems = store.problems().map((p) => ({ file: relativePath(root, p.file), line: p.line, message: p.message }));
  const base = { query: input.query, tags, total: store.size, problems, dir: relativePath(root, store.dir), chips: chips(counts, tags, input.chipLimit ?? 24) };
  const note = input.note ? { note: input.note } : {};

  if (!store.size) return { ...base, ...note, mode: 'empty', cards: [], matched: 0 };

  if (query) {
    const hits = input.hits ?? store.searchText(query, { tags, limit: input.searchLimit ?? 50 });
    const cards = hits.flatMap((h) => {
      const lesson = store.get(h.id);
      return lesson ? [lessonCard(root, lesson, h)] : [];
    });
    return { ...base, ...note, mode: cards.length ? 'results' : 'no-matches', cards, matched: cards.length };
  }

  const all = store.list({ tags });
  const cards = all.slice(0, input.listLimit ?? 100).map((l) => lessonCard(root, l));
  const related = input.activeFile ? relatedSection(store, input) : undefined;
  return { ...base, ...note, mode: cards.length ? 'list' : 'no-matches', cards, matched: all.length, ...(related ? { related } : {}) };
}

function relatedSection(store: LessonStore, input: ViewInput): LessonsViewModel['related'] {
  const file = input.activeFile!;
  const lessons = relatedTo(store, file, input.ruleIds).slice(0, input.relatedLimit ?? 5);
  return lessons.length ? { file, cards: lessons.map((l) => lessonCard(store.root, l)) } : undefined;
}

/** Lessons about a workspace-relative file, except those written in it: a lesson file is not related to itself. */
export function relatedTo(store: LessonStore, relFile: string, ruleIds?: readonly string[]): Lesson[] {
  const abs = `${store.root}/${relFile}`;
  return store.relatedLessons(relFile, { ruleIds, limit: Number.MAX_SAFE_INTEGER }).filter((l) => l.path !== abs);
}

export function chips(counts: { tag: string; count: number }[], selected: readonly string[], limit: number): TagChip[] {
  const picked = new Set(selected);
  const top = counts.slice(0, limit);
  const missing = counts.filter((c) => picked.has(c.tag) && !top.includes(c));
  return [...top, ...missing].map((c) => ({ tag: c.tag, count: c.count, selected: picked.has(c.tag) }));
}
