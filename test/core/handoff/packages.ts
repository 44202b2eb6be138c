// Builds handoff packages from parts in either language, so every rule is tested in English and Russian alike.
import { MemoryFileSystem } from '../../support/memoryFileSystem';

export const ROOT = '/ws';
export const FILES = ['src/app.ts', 'src/db/schema.sql', 'config/app.yaml', 'docs/architecture.md', 'test/app.test.ts'];

export type Part = 'meta' | 'prompt' | 'files' | 'context' | 'lessons' | 'scope' | 'questions' | 'decisions';
export const PARTS: readonly Part[] = ['meta', 'prompt', 'files', 'context', 'lessons', 'scope', 'questions', 'decisions'];
export type Lang = 'en' | 'ru';
export const LANGS: readonly Lang[] = ['en', 'ru'];

export const HEADINGS: Record<Lang, Record<Exclude<Part, 'meta'>, string>> = {
  en: {
    prompt: 'Startup prompt',
    files: 'Files',
    context: 'Technical context',
    lessons: 'Lessons learned',
    scope: 'Scope',
    questions: 'Control questions',
    decisions: 'Decisions',
  },
  ru: {
    prompt: 'Стартовый промпт',
    files: 'Файлы',
    context: 'Технический контекст',
    lessons: 'Уроки',
    scope: 'Границы',
    questions: 'Контрольные вопросы',
    decisions: 'Решения',
  },
};

const BODIES: Record<Lang, Record<Exclude<Part, 'meta' | 'files'>, string>> = {
  en: {
    prompt:
      'You are continuing the settings import. Read the files below in order, keep the schema backwards compatible, ' +
      'and run the integration tests before you push. Ask before touching the public API.',
    context: '- Node 20, PostgreSQL 15; migrations run on start.',
    lessons: '- The ORM silently truncates long strings; validate lengths first.',
    scope: '- In scope: the import. Out of scope: the export.',
    questions: [
      '1. Where does the schema live? — In src/db/schema.sql.',
      '2. What must stay compatible? — The public settings schema.',
      '3. What runs before push? — The integration tests.',
    ].join('\n'),
    decisions: '- Import runs in one transaction, so a failure leaves no partial state.',
  },
  ru: {
    prompt:
      'Вы продолжаете импорт настроек. Прочитайте файлы ниже по порядку, сохраните обратную совместимость схемы ' +
      'и прогоните интеграционные тесты перед пушем. Спросите, прежде чем менять публичный API.',
    context: '- Node 20, PostgreSQL 15; миграции запускаются при старте.',
    lessons: '- ORM молча обрезает длинные строки; сначала проверяйте длину.',
    scope: '- Входит: импорт. Не входит: экспорт.',
    questions: [
      '1. Где лежит схема? — В src/db/schema.sql.',
      '2. Что должно остаться совместимым? — Публичная схема настроек.',
      '3. Что запускается перед пушем? — Интеграционные тесты.',
    ].join('\n'),
    decisions: '- Импорт идёт в одной транзакции, чтобы сбой не оставлял частичного состояния.',
  },
};

export interface BuildOptions {
  files?: readonly string[];
  /** Replace a section's body (the heading stays). */
  bodies?: Partial<Record<Exclude<Part, 'meta'>, string>>;
}

export function buildPackage(parts: Iterable<Part>, lang: Lang = 'en', opts: BuildOptions = {}): string {
  const have = new Set(parts);
  const out: string[] = [];
  if (have.has('meta')) out.push('---', 'title: Settings import', 'from: Anna', 'to: Boris', 'created: 2025-03-14', '---', '');
  out.push('# Settings import', '');
  for (const part of PARTS) {
    if (part === 'meta' || !have.has(part)) continue;
    const body =
      opts.bodies?.[part] ??
      (part === 'files' ? (opts.files ?? FILES).map((f) => `- \`${f}\` — ${lang === 'ru' ? 'заметка' : 'note'}`).join('\n') : BODIES[lang][part]);
    out.push(`## ${HEADINGS[lang][part]}`, '', body, '');
  }
  return out.join('\n');
}

export function workspace(files: readonly string[] = FILES): MemoryFileSystem {
  return new MemoryFileSystem(Object.fromEntries(files.map((f) => [`${ROOT}/${f}`, `// ${f}\n`])));
}

/** 1-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`not found: ${needle}`);
  return i + 1;
}
