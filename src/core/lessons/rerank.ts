import { cosine, type Embedder } from './embeddings';
import type { Lesson } from './lesson';
import type { LessonHit, LessonIndex, SearchOptions } from './searchIndex';

export interface RerankSearchOptions extends SearchOptions {
  /** When given, the best text matches are reordered by embedding similarity to the query. */
  rerank?: Embedder;
  /** How many text matches the embedder sees; default max(limit, 30). */
  candidates?: number;
  /** Share of the final score that comes from embeddings, 0..1; default 0.5. */
  weight?: number;
}

export interface SearchOutcome {
  readonly hits: LessonHit[];
  readonly reranked: boolean;
  /** Why re-ranking did not happen (no embedder, no matches, or the embedder's error message). */
  readonly reason?: string;
}

/**
 * Text search, then optionally a semantic re-rank of its top candidates: score = (1-w)·text/bestText +
 * w·max(0, cosine). Any embedder failure falls back to the text ranking, reported in `reason`, never thrown.
 */
export async function searchLessons(index: LessonIndex, query: string, options: RerankSearchOptions = {}): Promise<SearchOutcome> {
  const limit = options.limit ?? 20;
  if (!options.rerank) return { hits: index.search(query, options), reranked: false, reason: 'no embedder' };
  const pool = index.rank(query, options, Math.max(limit, options.candidates ?? 30));
  const plain = () => pool.slice(0, limit).map((r) => index.hit(r.lesson, r.score, r.terms));
  if (!pool.length) return { hits: [], reranked: false, reason: 'no text matches' };
  let vectors: number[][];
  try {
    vectors = await options.rerank.embed([query, ...pool.map((r) => embeddingText(r.lesson))]);
  } catch (e) {
    return { hits: plain(), reranked: false, reason: (e as Error).message || String(e) };
  }
  if (vectors.length !== pool.length + 1) return { hits: plain(), reranked: false, reason: 'embedder returned the wrong number of vectors' };
  const w = Math.min(1, Math.max(0, options.weight ?? 0.5));
  const [q, ...docs] = vectors;
  const best = pool[0].score || 1;
  const blended = pool
    .map((r, i) => ({ ...r, score: (1 - w) * (r.score / best) + w * Math.max(0, cosine(q, docs[i])) }))
    .sort((a, b) => b.score - a.score);
  return { hits: blended.slice(0, limit).map((r) => index.hit(r.lesson, r.score, r.terms)), reranked: true };
}

/** What is embedded per lesson: enough to capture its meaning, short enough for any embedding context. */
export function embeddingText(lesson: Lesson): string {
  return `${lesson.title}\n${lesson.tags.join(', ')}\n${lesson.body.slice(0, 2000)}`;
}
