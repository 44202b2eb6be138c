import { compileGlobs } from '../platform/glob';
import type { Lesson } from './lesson';

export interface RelatedOptions {
  /** Ids of rules that apply to the file (e.g. from the policy engine); lessons naming one of them match. */
  ruleIds?: readonly string[];
  /** Default 20. */
  limit?: number;
}

const LANGUAGES: Record<string, readonly string[]> = {
  ts: ['typescript'], mts: ['typescript'], cts: ['typescript'], tsx: ['typescript', 'react'],
  js: ['javascript'], mjs: ['javascript'], cjs: ['javascript'], jsx: ['javascript', 'react'],
  py: ['python'], rs: ['rust'], go: ['go', 'golang'], java: ['java'], kt: ['kotlin'], rb: ['ruby'], php: ['php'],
  cs: ['csharp', 'c#'], cpp: ['cpp', 'c++'], cc: ['cpp', 'c++'], hpp: ['cpp', 'c++'], h: ['c', 'cpp'], c: ['c'],
  swift: ['swift'], scala: ['scala'], sh: ['shell', 'bash'], ps1: ['powershell'], sql: ['sql'],
  md: ['markdown', 'docs'], mdc: ['cursor-rules'], json: ['json'], yaml: ['yaml'], yml: ['yaml'], toml: ['toml'],
  css: ['css'], scss: ['scss', 'css'], html: ['html'], vue: ['vue'], svelte: ['svelte'], tf: ['terraform'],
};

/** Words a path says about itself: folder names, file-name words (camelCase split), extension and language. */
export function pathKeywords(relPath: string): Set<string> {
  const parts = relPath.replace(/\\/g, '/').split('/').filter(Boolean);
  const name = parts.pop() ?? '';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const words = new Set<string>();
  for (const p of [...parts, stem]) {
    words.add(p.toLowerCase());
    for (const w of p.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^\p{L}\p{N}]+/u)) if (w) words.add(w.toLowerCase());
  }
  if (name.toLowerCase() === 'dockerfile') words.add('docker');
  if (ext) {
    words.add(ext);
    words.add(`.${ext}`);
    for (const lang of LANGUAGES[ext] ?? []) words.add(lang);
  }
  return words;
}

/**
 * Lessons that concern a file: a glob matching the path or a rule that applies to it weighs 3, each tag that is
 * one of the path's keywords weighs 1. Best first, ties by title; lessons scoring nothing are left out.
 */
export function relatedLessons(lessons: Iterable<Lesson>, relPath: string, options: RelatedOptions = {}): Lesson[] {
  const path = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  const keywords = pathKeywords(path);
  const rules = new Set(options.ruleIds ?? []);
  const scored: { lesson: Lesson; score: number }[] = [];
  for (const lesson of lessons) {
    let score = 0;
    if (lesson.globs.length && globMatcher(lesson.globs)(path)) score += 3;
    if (lesson.rule && rules.has(lesson.rule)) score += 3;
    for (const t of lesson.tags) if (keywords.has(t)) score += 1;
    if (score) scored.push({ lesson, score });
  }
  scored.sort((a, b) => b.score - a.score || a.lesson.title.localeCompare(b.lesson.title));
  return scored.slice(0, options.limit ?? 20).map((s) => s.lesson);
}

// Lessons are immutable values, so their glob lists can key a small compiled-matcher cache. A glob without '/'
// matches the file name anywhere, as in .gitignore.
const matchers = new Map<string, (path: string) => boolean>();
function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const key = globs.join('\n');
  let m = matchers.get(key);
  if (!m) {
    m = compileGlobs(globs, { anywhere: true });
    if (matchers.size > 5000) matchers.clear();
    matchers.set(key, m);
  }
  return m;
}
