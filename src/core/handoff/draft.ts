import { stringify } from 'yaml';
import { sectionTemplate } from './fixes';
import { CANONICAL_HEADINGS } from './headings';
import type { HandoffLanguage, SectionKind } from './headings';
import { normalizeListedPath } from './items';

export interface DraftFile {
  readonly path: string;
  readonly note?: string;
}

/** Same shape as the session log's decision events, so callers can pass them through. */
export interface DraftDecision {
  readonly title: string;
  readonly decision: string;
  readonly file?: string;
}

export interface DraftLesson {
  readonly title: string;
  readonly summary?: string;
}

export interface DraftQuestion {
  readonly question: string;
  readonly answer?: string;
}

export interface HandoffDraftInput {
  readonly title: string;
  readonly from?: string;
  readonly to?: string;
  readonly created: Date | string;
  readonly branch?: string;
  readonly session?: string;
  /** Files touched: session log + git changes, workspace-relative. Duplicates are dropped. */
  readonly files: ReadonlyArray<string | DraftFile>;
  readonly decisions?: readonly DraftDecision[];
  readonly lessons?: readonly DraftLesson[];
  readonly openQuestions?: readonly string[];
  /** Control questions with expected answers; topped up from decisions and lessons to `minQuestions`. */
  readonly questions?: readonly DraftQuestion[];
  readonly context?: string;
  readonly scope?: string;
  /** A prompt drafted by a model elsewhere; without it the prompt is a template built from the collected parts. */
  readonly prompt?: { readonly text: string; readonly model: string };
  readonly language?: HandoffLanguage;
  readonly minQuestions?: number;
}

const flat = (s: string): string => s.replace(/\s+/g, ' ').trim();

const WORDS = {
  en: {
    template: 'template built from the session; adapt it to the task',
    decided: (t: string) => `What was decided about "${t}"?`,
    lesson: (t: string) => `What is the lesson "${t}"?`,
    branch: (b: string) => `- Branch: \`${b}\``,
    session: (s: string) => `- Session log: \`${s}\``,
    prompt: (title: string, branch: string | undefined, decisions: string[], next: string[]) =>
      [
        `You are taking over "${title}"${branch ? ` on branch \`${branch}\`` : ''}. Before changing anything:`,
        '1. Read the files listed under Files, in order: they are what this work touched.',
        '2. Read Technical context, Decisions and Lessons learned; do not reopen a recorded decision without a new reason.' +
          (decisions.length ? ` Decided so far: ${decisions.join('; ')}.` : ''),
        '3. Stay within Scope and ask before going beyond it.',
        '4. Answer the Control questions to check your understanding.',
        next.length ? `Then continue with the open questions: ${next.join('; ')}.` : 'Then continue with the next step in Scope.',
      ].join('\n'),
  },
  ru: {
    template: 'шаблон, собранный из сессии; адаптируйте под задачу',
    decided: (t: string) => `Что решили по вопросу «${t}»?`,
    lesson: (t: string) => `В чём урок «${t}»?`,
    branch: (b: string) => `- Ветка: \`${b}\``,
    session: (s: string) => `- Журнал сессии: \`${s}\``,
    prompt: (title: string, branch: string | undefined, decisions: string[], next: string[]) =>
      [
        `Вы продолжаете работу «${title}»${branch ? ` в ветке \`${branch}\`` : ''}. Прежде чем что-то менять:`,
        '1. Прочитайте файлы из раздела «Файлы» по порядку: их затронула эта работа.',
        '2. Прочитайте технический контекст, решения и уроки; не пересматривайте принятое решение без новой причины.' +
          (decisions.length ? ` Уже решено: ${decisions.join('; ')}.` : ''),
        '3. Оставайтесь в границах задачи и спрашивайте, прежде чем выходить за них.',
        '4. Ответьте на контрольные вопросы, чтобы проверить понимание.',
        next.length ? `Затем займитесь открытыми вопросами: ${next.join('; ')}.` : 'Затем переходите к следующему шагу в границах задачи.',
      ].join('\n'),
  },
} as const;

/**
 * A draft's title from what the work was: the latest decision, else the files it touched ("Work on billing.ts
 * and payments.ts"), else a branch that is not the default one, else the package name.
 */
export function draftTitle(input: { decisions?: ReadonlyArray<{ title: string }>; files: ReadonlyArray<string>; branch?: string; name: string }): string {
  const decision = input.decisions?.at(-1)?.title.trim();
  if (decision) return flat(decision);
  const names = [...new Set(input.files.filter((f) => !f.startsWith('.llmgenie/')).map((f) => f.slice(f.lastIndexOf('/') + 1)))];
  if (names.length) return `Work on ${names.slice(0, 2).join(' and ')}${names.length > 2 ? ` and ${names.length - 2} more file${names.length === 3 ? '' : 's'}` : ''}`;
  if (input.branch && !/^(main|master|trunk|develop)$/.test(input.branch)) return input.branch;
  return input.name;
}

function uniqueFiles(files: HandoffDraftInput['files']): DraftFile[] {
  const seen = new Map<string, DraftFile>();
  for (const f of files) {
    const entry = typeof f === 'string' ? { path: f } : f;
    const path = normalizeListedPath(entry.path);
    // llmgenie's own state (the session log the draft was made from, exports) is not what the work touched.
    if (!path || path.includes('`') || seen.has(path) || path.startsWith('.llmgenie/')) continue;
    seen.set(path, { path, ...(entry.note ? { note: flat(entry.note) } : {}) });
  }
  return [...seen.values()];
}

function controlQuestions(input: HandoffDraftInput, lang: HandoffLanguage): string[] {
  const w = WORDS[lang];
  const min = input.minQuestions ?? 3;
  const out = (input.questions ?? []).map((q) => `${flat(q.question)}${q.answer ? ` — ${flat(q.answer)}` : ''}`);
  const derived = [
    ...(input.decisions ?? []).map((d) => `${w.decided(flat(d.title))} — ${flat(d.decision)}`),
    ...(input.lessons ?? []).filter((l) => l.summary).map((l) => `${w.lesson(flat(l.title))} — ${flat(l.summary!)}`),
  ];
  for (const d of derived) if (out.length < min) out.push(d);
  const placeholders = sectionTemplate('questions', lang).body.split('\n').map((l) => l.replace(/^\d+\.\s*/, ''));
  while (out.length < min) out.push(placeholders[out.length % placeholders.length]);
  return out.map((q, i) => `${i + 1}. ${q}`);
}

/**
 * A HANDOFF.md draft from what the session collected. Works without any model: parts that were not collected
 * become TODO placeholders the validator reports, and the startup prompt is either the given model draft or a
 * template, both marked for the author's review.
 */
export function draftHandoff(input: HandoffDraftInput): string {
  const lang = input.language ?? 'en';
  const w = WORDS[lang];
  const h = CANONICAL_HEADINGS[lang];
  const placeholder = (kind: SectionKind): string => sectionTemplate(kind, lang).body;
  const created = input.created instanceof Date ? input.created.toISOString().slice(0, 10) : input.created;
  const meta: Record<string, string> = {
    title: flat(input.title),
    from: flat(input.from ?? ''),
    to: flat(input.to ?? ''),
    created,
  };
  if (input.branch) meta.branch = input.branch;
  if (input.session) meta.session = input.session;

  const decisions = input.decisions ?? [];
  const open = (input.openQuestions ?? []).map(flat).filter(Boolean);
  const prompt = input.prompt?.text.trim()
    ? `<!-- review: drafted by ${flat(input.prompt.model).replace(/--+/g, '-')} -->\n${input.prompt.text.trim()}`
    : `<!-- review: ${w.template} -->\n${w.prompt(flat(input.title), input.branch, decisions.map((d) => flat(d.title)), open)}`;

  const files = uniqueFiles(input.files);
  const fileLines = files.length
    ? files.map((f) => `- \`${f.path}\`${f.note ? ` — ${f.note}` : ''}`).join('\n')
    : placeholder('files');
  const context = input.context?.trim()
    ? input.context.trim()
    : [input.branch && w.branch(input.branch), input.session && w.session(input.session), placeholder('context')]
        .filter(Boolean)
        .join('\n');
  const lessons = (input.lessons ?? []).length
    ? input.lessons!.map((l) => `- **${flat(l.title)}**${l.summary ? ` — ${flat(l.summary)}` : ''}`).join('\n')
    : placeholder('lessons');
  const decisionLines = decisions.length
    ? decisions.map((d) => `- **${flat(d.title)}** — ${flat(d.decision)}${d.file ? ` (\`${d.file}\`)` : ''}`).join('\n')
    : placeholder('decisions');

  const parts: Array<[string, string]> = [
    [h.prompt, prompt],
    [h.files, fileLines],
    [h.context, context],
    [h.lessons, lessons],
    [h.scope, input.scope?.trim() || placeholder('scope')],
    [h.questions, controlQuestions(input, lang).join('\n')],
    [h.decisions, decisionLines],
  ];
  if (open.length) parts.push([h.openQuestions, open.map((q) => `- ${q}`).join('\n')]);

  return [
    `---\n${stringify(meta, { lineWidth: 0 }).trimEnd()}\n---`,
    `# ${flat(input.title)}`,
    ...parts.map(([heading, body]) => `## ${heading}\n\n${body}`),
  ].join('\n\n') + '\n';
}

/** A folder name for a new package: `2025-01-31-feature-login` (branch) or `2025-01-31-handoff`. */
export function defaultHandoffName(date: Date, branch?: string): string {
  const day = date.toISOString().slice(0, 10);
  const slug = (branch ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9а-яё]+/gi, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `${day}-${slug || 'handoff'}`;
}
