import { z } from 'zod';

export const LESSON_KINDS = ['lesson', 'best-practice', 'anti-pattern'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

/** Something wrong with a lesson file. The lesson is still listed; this is what the editor shows as a diagnostic. */
export interface LessonProblem {
  /** Absolute path. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  /** Lower-cased, trimmed, without a leading '#', de-duplicated, in file order. */
  readonly tags: readonly string[];
  readonly kind: LessonKind;
  /** `YYYY-MM-DD` (or a full ISO timestamp) as written in the file. */
  readonly created?: string;
  /** Where the lesson came from: a file, a session or a handoff link. */
  readonly source?: string;
  /** An atomic rule id this lesson explains. */
  readonly rule?: string;
  /** Workspace-relative globs of files this lesson is about. */
  readonly globs: readonly string[];
  /** Markdown after the front matter (or the section under its `##` heading). */
  readonly body: string;
  /** Absolute path of the file holding it. */
  readonly path: string;
  /** 1-based line where the lesson starts (a `##` heading in a lessons_learned file, else 1). */
  readonly line: number;
  /** Lessons read from a multi-lesson `lessons_learned*.md` are edited by hand, not through the store. */
  readonly readOnly: boolean;
  /** Front matter keys this code does not know, kept so rewriting a lesson does not lose them. */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly problems: readonly LessonProblem[];
}

export type LessonErrorReason = 'not-found' | 'read-only' | 'invalid-input' | 'io';

/** Callers branch on `reason`, never on the message. */
export class LessonError extends Error {
  constructor(
    readonly reason: LessonErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'LessonError';
  }
  static is(e: unknown, reason?: LessonErrorReason): e is LessonError {
    return e instanceof LessonError && (reason === undefined || e.reason === reason);
  }
}

/** Accepts a YAML list or a comma-separated string; the form people type in the CLI, MCP and front matter alike. */
export const tagsSchema = z
  .union([z.array(z.union([z.string(), z.number()])), z.string()])
  .transform((v) => normalizeTags(Array.isArray(v) ? v.map(String) : v.split(',')));

export const globsSchema = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((g) => g.trim()).filter(Boolean));

const optionalText = z
  .string()
  .transform((s) => s.trim())
  .optional();

/** Input of `LessonStore.add`: what the CLI, the sidebar and the MCP tool send. */
export const newLessonSchema = z.object({
  title: z.string().trim().min(1, 'title is empty'),
  body: z.string().default(''),
  tags: tagsSchema.optional(),
  kind: z.enum(LESSON_KINDS).optional(),
  source: optionalText,
  rule: optionalText,
  globs: globsSchema.optional(),
});
export type NewLesson = z.input<typeof newLessonSchema>;

export const lessonPatchSchema = newLessonSchema.partial();
export type LessonPatch = z.input<typeof lessonPatchSchema>;

export function normalizeTags(tags: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const tag = t.trim().replace(/^#+/, '').trim().toLowerCase();
    if (tag) out.add(tag);
  }
  return [...out];
}

const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

/**
 * File-name-safe slug. Cyrillic is transliterated so ids stay ASCII (portable across file systems and URLs);
 * other scripts survive as lower-case letters.
 */
export function slugify(text: string, maxLength = 60): string {
  const lower = text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  let out = '';
  for (const ch of lower) out += CYRILLIC[ch] ?? ch;
  const slug = out
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return slug || 'lesson';
}

/** File stem: `docs/lessons/2024-05-01-foo.md` → `2024-05-01-foo`. */
export function fileStem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.[^.]*$/, '') || name;
}
