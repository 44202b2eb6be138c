// Relevance of the lessons index on a small labelled set (bench/fixtures/lessonsRelevance.ts): the shipped
// Snowball analysis beside the hand-rolled suffix stripper it replaced and beside no stemming at all, in one run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lesson } from '../src/core/lessons/lesson';
import { LessonIndex } from '../src/core/lessons/searchIndex';
import { makeTermNormalizer, normalizeTerm, type TermNormalizer } from '../src/core/lessons/text';
import { legacyStemEnglish, legacyStemRussian } from './fixtures/legacyStemmer';
import { RELEVANCE_LESSONS, RELEVANCE_QUERIES } from './fixtures/lessonsRelevance';
import { makeRng } from './fixtures/rng';
import type { Emit } from './run';

const ANALYSES: Record<string, TermNormalizer> = {
  snowball: normalizeTerm,
  'hand-rolled (before)': makeTermNormalizer({ english: legacyStemEnglish, russian: legacyStemRussian }),
  'no stemming': makeTermNormalizer({ english: (w) => w, russian: (w) => w }),
};

const DISTRACTORS = 2_000;

/** Words of the bench vocabularies (most frequent first), for distractor lessons that share the labelled ones' words. */
function words(file: string): string[] {
  return readFileSync(join(__dirname, '../test/fixtures/lessons', file), 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((w) => w && !w.startsWith('#'))
    .slice(0, 4000);
}

function lessons(): Lesson[] {
  const rand = makeRng(11);
  const vocab = [...words('bench-words-en.txt'), ...words('bench-words-ru.txt')];
  const labelled = RELEVANCE_LESSONS.flatMap((l) => `${l.title} ${l.body}`.split(/\s+/));
  const pick = (xs: readonly string[]) => xs[Math.floor(rand() * xs.length)]!;
  // A third of each distractor's words come from the labelled lessons, so a match on one shared word is not enough.
  const sentence = (n: number) => Array.from({ length: n }, () => pick(rand() < 0.33 ? labelled : vocab)).join(' ');
  const all = [
    ...RELEVANCE_LESSONS,
    ...Array.from({ length: DISTRACTORS }, (_, i) => ({ id: `d${i}`, title: sentence(6), tags: [], body: sentence(30) })),
  ];
  return all.map((l, i) => ({ ...l, kind: 'lesson', globs: [], path: `/ws/${l.id}.md`, line: i + 1, readOnly: false, extra: {}, problems: [] }));
}

export async function run(emit: Emit): Promise<void> {
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  for (const [analysis, normalize] of Object.entries(ANALYSES)) {
    const index = new LessonIndex(normalize);
    index.reset(lessons());
    let top1 = 0;
    let top5 = 0;
    let rr = 0;
    for (const q of RELEVANCE_QUERIES) {
      const rank = index.rank(q.query, {}, 10).findIndex((r) => r.lesson.id === q.relevant);
      if (rank === 0) top1++;
      if (rank >= 0 && rank < 5) top5++;
      if (rank >= 0) rr += 1 / (rank + 1);
    }
    const n = RELEVANCE_QUERIES.length;
    emit({ bench: 'lessons-relevance', metric: `MRR@10 (${analysis})`, value: r3(rr / n), unit: 'ratio', hitAt1: r3(top1 / n), recallAt5: r3(top5 / n), queries: n, lessons: RELEVANCE_LESSONS.length, distractors: DISTRACTORS });
  }
}
