// The Lessons sidebar's host work per keystroke at 10,000 lessons: building the view model (search, snippets,
// chips, related lessons) and the size of the state posted to the webview. The index itself is lessons.bench.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeLesson } from '../src/core/lessons/frontMatter';
import { LessonStore } from '../src/core/lessons/store';
import { buildLessonsView } from '../src/core/lessons/viewModel';
import { MemoryFileSystem } from '../test/support/memoryFileSystem';
import { percentile } from '../src/core/analytics/percentile';
import { makeRng } from './fixtures/rng';
import type { Emit } from './run';

const N = 10_000;
const ROOT = '/ws';

/** The same corpus and queries every run. */
const rand = makeRng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/** Vocabulary files list words by frequency; uniform picks from the top 3,000 are enough for view-model work. */
function words(file: string): string[] {
  return readFileSync(join(__dirname, '../test/fixtures/lessons', file), 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((w) => w && !w.startsWith('#') && w.length > 3)
    .slice(0, 3000);
}
const EN = words('bench-words-en.txt');
const RU = words('bench-words-ru.txt');
const TAGS = Array.from({ length: 120 }, () => pick(EN));
const sentence = (v: string[], n: number) => Array.from({ length: n }, () => pick(v)).join(' ');

/** Wall time and CPU time per call; on a shared machine the CPU figure is the one that does not move with load. */
function timeIt(fn: () => void, runs: number): { p50: number; p95: number; cpuP50: number; cpuP95: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  const at = (xs: number[], p: number) => Math.round(percentile(xs, p) * 1000) / 1000;
  return { p50: at(wall, 50), p95: at(wall, 95), cpuP50: at(cpu, 50), cpuP95: at(cpu, 95) };
}

export async function run(emit: Emit): Promise<void> {
  const fs = new MemoryFileSystem();
  for (let i = 0; i < N; i++) {
    const v = i % 5 === 0 ? RU : EN;
    const text = serializeLesson({
      id: `lesson-${i}`,
      title: sentence(v, 4 + Math.floor(rand() * 5)),
      kind: pick(['lesson', 'best-practice', 'anti-pattern'] as const),
      tags: [...new Set([pick(TAGS), pick(TAGS)])],
      created: `2024-${String(1 + (i % 12)).padStart(2, '0')}-01`,
      globs: i % 50 === 0 ? [`src/${pick(TAGS)}/**`] : [],
      extra: {},
      body: `${sentence(v, 20 + Math.floor(rand() * 60))}.`,
    });
    fs.files.set(`${ROOT}/docs/lessons/lesson-${i}.md`, text);
  }
  const store = new LessonStore({ fs, root: ROOT });
  await store.load();

  // What typing "word word" produces: every prefix from three characters on, as the debounced box sends them.
  const typed: string[] = [];
  for (let i = 0; i < 60; i++) {
    const q = `${pick(i % 5 === 0 ? RU : EN)} ${pick(EN)}`;
    for (let n = 3; n <= q.length; n++) typed.push(q.slice(0, n));
  }
  let k = 0;
  const search = timeIt(() => buildLessonsView(store, { query: typed[k++ % typed.length], tags: [], activeFile: 'src/app/main.ts' }), typed.length);
  const figures = (metric: string, r: ReturnType<typeof timeIt>, target: number, extra: Record<string, unknown> = {}) => {
    emit({ bench: 'lessons-sidebar', metric: `${metric}_p50`, value: r.p50, unit: 'ms', cpu: r.cpuP50, lessons: N, ...extra });
    emit({ bench: 'lessons-sidebar', metric: `${metric}_p95`, value: r.p95, unit: 'ms', cpu: r.cpuP95, target, pass: r.cpuP95 <= target, lessons: N, ...extra });
  };
  // One frame: the host answers a keystroke before the next one arrives (the box debounces 60 ms).
  figures('keystroke_view', search, 16);

  const file = `src/${TAGS[0]}/index.ts`;
  figures('list_view', timeIt(() => buildLessonsView(store, { query: '', tags: [], activeFile: file }), 50), 50, { cards: 100 });
  figures('tag_filter_view', timeIt(() => buildLessonsView(store, { query: '', tags: [TAGS[1]], activeFile: file }), 50), 50);

  const bytes = (q: string) => Buffer.byteLength(JSON.stringify(buildLessonsView(store, { query: q, tags: [], activeFile: file })));
  emit({ bench: 'lessons-sidebar', metric: 'state_size_list', value: Math.round(bytes('') / 1024), unit: 'KB' });
  emit({ bench: 'lessons-sidebar', metric: 'state_size_results', value: Math.round(bytes(`${EN[0]} ${EN[1]}`) / 1024), unit: 'KB' });
}
