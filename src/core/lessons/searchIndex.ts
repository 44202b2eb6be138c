import MiniSearch, { type SearchResult } from 'minisearch';
import type { Lesson, LessonKind } from './lesson';
import { findMatches, makeSnippet, type Range } from './snippet';
import { normalizeTerm, plainText, tokenize, type TermNormalizer } from './text';

export interface SearchOptions {
  /** Default 20. */
  limit?: number;
  /** Only lessons carrying every one of these tags (case-insensitive). */
  tags?: readonly string[];
  kind?: LessonKind;
}

export interface LessonHit {
  readonly id: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly kind: LessonKind;
  /** Higher is better; comparable only within one result list. */
  readonly score: number;
  readonly path: string;
  readonly line: number;
  /** ~160 characters of the body around the best match, markdown stripped. */
  readonly snippet: string;
  /** Matched words in `snippet`, for highlighting. */
  readonly highlights: Range[];
  /** Matched words in `title`. */
  readonly titleHighlights: Range[];
}

export interface RankedLesson {
  readonly lesson: Lesson;
  readonly score: number;
  /** Index terms that matched, for highlighting. */
  readonly terms: readonly string[];
}

interface IndexedDoc {
  id: string;
  title: string;
  tags: string;
  body: string;
}

/**
 * Title outweighs tags, tags outweigh body. Only the last query word is matched as a prefix (it is the one being
 * typed; earlier words are complete and stemming covers their inflections), and only from three characters:
 * shorter prefixes expand to a large part of the vocabulary. Fuzzy matching (one edit per five characters, at
 * most two) starts at four characters for the same reason.
 */
const SEARCH_OPTIONS = {
  boost: { title: 4, tags: 2, body: 1 },
  prefix: (term: string, i: number, terms: string[]) => i === terms.length - 1 && term.length >= 3,
  fuzzy: (term: string) => (term.length >= 4 ? 0.2 : false),
  maxFuzzy: 2,
  combineWith: 'OR' as const,
};

const DEFAULT_LIMIT = 20;

/** The lessons by id plus a full-text index over them, updated one lesson at a time. */
export class LessonIndex {
  private mini: MiniSearch<IndexedDoc>;
  private readonly lessons = new Map<string, Lesson>();

  /** `processTerm` is the shipped analysis; the relevance bench passes others to compare against it. */
  constructor(private readonly processTerm: TermNormalizer = normalizeTerm) {
    this.mini = this.createMini();
  }

  private createMini(): MiniSearch<IndexedDoc> {
    return new MiniSearch<IndexedDoc>({
      fields: ['title', 'tags', 'body'],
      storeFields: [],
      tokenize,
      processTerm: this.processTerm,
      searchOptions: SEARCH_OPTIONS,
    });
  }

  get size(): number {
    return this.lessons.size;
  }

  get(id: string): Lesson | undefined {
    return this.lessons.get(id);
  }

  values(): IterableIterator<Lesson> {
    return this.lessons.values();
  }

  /** Replaces everything (a full load). */
  reset(lessons: Iterable<Lesson>): void {
    this.mini = this.createMini();
    this.lessons.clear();
    const docs: IndexedDoc[] = [];
    for (const l of lessons) {
      if (this.lessons.has(l.id)) throw new Error(`duplicate lesson id ${l.id}`);
      this.lessons.set(l.id, l);
      docs.push(toDoc(l));
    }
    this.mini.addAll(docs);
  }

  /** Adds or replaces one lesson without touching the others. */
  set(lesson: Lesson): void {
    if (this.lessons.has(lesson.id)) this.mini.replace(toDoc(lesson));
    else this.mini.add(toDoc(lesson));
    this.lessons.set(lesson.id, lesson);
  }

  delete(id: string): boolean {
    if (!this.lessons.delete(id)) return false;
    this.mini.discard(id);
    return true;
  }

  /** Ranked hits with snippets; an empty or stop-word-only query gives none. */
  search(query: string, options: SearchOptions = {}): LessonHit[] {
    return this.rank(query, options, options.limit ?? DEFAULT_LIMIT).map((r) => this.hit(r.lesson, r.score, r.terms));
  }

  /** The best `limit` matches without snippets: also the candidates a re-ranker reorders. */
  rank(query: string, options: Pick<SearchOptions, 'tags' | 'kind'> = {}, limit = DEFAULT_LIMIT): RankedLesson[] {
    if (!query.trim()) return [];
    const wanted = (options.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean);
    const filter =
      wanted.length || options.kind
        ? (r: SearchResult) => {
            const l = this.lessons.get(r.id as string);
            return !!l && (!options.kind || l.kind === options.kind) && wanted.every((t) => l.tags.includes(t));
          }
        : undefined;
    const out: RankedLesson[] = [];
    // Common words match thousands of lessons; only the top few need a lookup.
    for (const r of this.mini.search(query, filter ? { filter } : {})) {
      if (out.length >= limit) break;
      const lesson = this.lessons.get(r.id as string);
      if (lesson) out.push({ lesson, score: r.score, terms: r.terms });
    }
    return out;
  }

  hit(lesson: Lesson, score: number, terms: readonly string[]): LessonHit {
    const set = new Set(terms);
    const snippet = makeSnippet(plainText(lesson.body), set);
    return {
      id: lesson.id,
      title: lesson.title,
      tags: lesson.tags,
      kind: lesson.kind,
      score: Math.round(score * 1000) / 1000,
      path: lesson.path,
      line: lesson.line,
      snippet: snippet.text,
      highlights: snippet.ranges,
      titleHighlights: findMatches(lesson.title, set),
    };
  }
}

function toDoc(l: Lesson): IndexedDoc {
  return { id: l.id, title: l.title, tags: l.tags.join(' '), body: l.body };
}
