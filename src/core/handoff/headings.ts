/** The `##` sections a handoff package is made of. `openQuestions` is recognised so it is not mistaken for anything. */
export type SectionKind =
  | 'prompt'
  | 'files'
  | 'context'
  | 'lessons'
  | 'scope'
  | 'questions'
  | 'decisions'
  | 'openQuestions';

export type HandoffLanguage = 'en' | 'ru';

/** Order in which sections appear in a well-formed package; quick fixes insert missing sections in this order. */
export const SECTION_ORDER: readonly SectionKind[] = [
  'prompt',
  'files',
  'context',
  'lessons',
  'scope',
  'questions',
  'decisions',
  'openQuestions',
];

export const CANONICAL_HEADINGS: Readonly<Record<HandoffLanguage, Record<SectionKind, string>>> = {
  en: {
    prompt: 'Startup prompt',
    files: 'Files',
    context: 'Technical context',
    lessons: 'Lessons learned',
    scope: 'Scope',
    questions: 'Control questions',
    decisions: 'Decisions',
    openQuestions: 'Open questions',
  },
  ru: {
    prompt: 'Стартовый промпт',
    files: 'Файлы',
    context: 'Технический контекст',
    lessons: 'Извлечённые уроки',
    scope: 'Границы',
    questions: 'Контрольные вопросы',
    decisions: 'Решения',
    openQuestions: 'Открытые вопросы',
  },
};

// The team writes both languages and rarely the canonical words; these are the variants seen in practice.
const SYNONYMS: Record<SectionKind, string[]> = {
  prompt: [
    'startup prompt', 'start prompt', 'starting prompt', 'startup', 'kickoff prompt', 'kick-off prompt',
    'initial prompt', 'bootstrap prompt', 'handoff prompt', 'prompt',
    'стартовый промпт', 'стартовый prompt', 'начальный промпт', 'промпт для старта', 'стартовый запрос',
    'промпт', 'промт', 'стартовый промт',
  ],
  files: [
    'files', 'file list', 'key files', 'relevant files', 'important files', 'files touched', 'touched files',
    'changed files', 'files to read',
    'файлы', 'список файлов', 'ключевые файлы', 'важные файлы', 'затронутые файлы', 'изменённые файлы',
    'измененные файлы', 'файлы для чтения',
  ],
  context: [
    'technical context', 'technical info', 'technical information', 'technical details', 'technical notes',
    'tech context', 'context', 'background',
    'технический контекст', 'техническая информация', 'технические детали', 'технические заметки', 'контекст',
  ],
  lessons: [
    'lessons learned', 'lessons', 'learnings', 'lessons and gotchas', 'gotchas', 'pitfalls',
    'уроки', 'извлечённые уроки', 'извлеченные уроки', 'полученные уроки', 'выученные уроки', 'грабли',
  ],
  scope: [
    'scope', 'scope of work', 'boundaries', 'in scope', 'in scope out of scope', 'scope and boundaries', 'out of scope',
    'границы', 'объём работ', 'объем работ', 'границы работ', 'границы задачи', 'рамки', 'рамки задачи', 'скоуп',
  ],
  questions: [
    'control questions', 'check questions', 'verification questions', 'self check', 'self check questions',
    'questions', 'quiz', 'comprehension questions',
    'контрольные вопросы', 'проверочные вопросы', 'вопросы для самопроверки', 'вопросы', 'самопроверка',
  ],
  decisions: [
    'decisions', 'decision log', 'key decisions', 'decisions made', 'architecture decisions',
    'решения', 'принятые решения', 'ключевые решения', 'журнал решений', 'архитектурные решения',
  ],
  openQuestions: [
    'open questions', 'open issues', 'unresolved questions', 'todo', 'next steps',
    'открытые вопросы', 'нерешённые вопросы', 'нерешенные вопросы', 'следующие шаги',
  ],
};

/** Lower-case, `ё`→`е`, drops numbering, emphasis, parentheticals, emoji and punctuation. */
export function normalizeHeading(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/<!--.*?-->/g, ' ')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/^(?:\d+ )+/, '')
    .trim();
}

const EXACT = new Map<string, SectionKind>();
const BY_LENGTH: Array<[string, SectionKind]> = [];
for (const kind of Object.keys(SYNONYMS) as SectionKind[]) {
  for (const s of SYNONYMS[kind]) {
    const n = normalizeHeading(s);
    EXACT.set(n, kind);
    BY_LENGTH.push([n, kind]);
  }
}
BY_LENGTH.sort((a, b) => b[0].length - a[0].length);

/**
 * Exact synonym first; otherwise the longest synonym the heading starts with as whole words
 * ("Files touched this week" → files), so longer headings still land where the author meant.
 */
export function matchHeading(text: string): SectionKind | undefined {
  return classifyHeading(text)?.kind;
}

/** Like matchHeading, telling whether the match was exact, so an exact "Files" wins over "Files of the old module". */
export function classifyHeading(text: string): { kind: SectionKind; exact: boolean } | undefined {
  const n = normalizeHeading(text);
  if (!n) return undefined;
  const exact = EXACT.get(n);
  if (exact) return { kind: exact, exact: true };
  for (const [syn, kind] of BY_LENGTH) if (n.startsWith(`${syn} `)) return { kind, exact: false };
  return undefined;
}

/** Cyrillic in most recognised headings → Russian, so inserted templates match the document's language. */
export function detectLanguage(headings: readonly string[]): HandoffLanguage {
  let ru = 0;
  for (const h of headings) if (/[\u0400-\u04FF]/.test(h)) ru++;
  return ru > 0 && ru * 2 >= headings.length ? 'ru' : 'en';
}
