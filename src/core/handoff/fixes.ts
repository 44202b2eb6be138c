import { CANONICAL_HEADINGS, SECTION_ORDER } from './headings';
import type { HandoffLanguage, SectionKind } from './headings';
import type { HandoffDocument, HandoffSection } from './parse';
import { splitLines } from './parse';

/**
 * A quick fix the editor applies with one click. Lines are 1-based.
 * `add-section`: insert `template` before `line` (`line` = lineCount + 1 appends); `heading` labels the action.
 * `remove-file`: delete the list item on `line`..`endLine` (the item must still mention `path`).
 */
export type HandoffFix =
  | { readonly kind: 'add-section'; readonly heading: string; readonly template: string; readonly line: number }
  | { readonly kind: 'remove-file'; readonly line: number; readonly endLine: number; readonly path: string };

// Bodies start with TODO so the validator can tell a fresh template from real content (and charge less than a gap).
const BODIES: Record<HandoffLanguage, Record<SectionKind, string>> = {
  en: {
    prompt:
      'TODO: the first message for whoever picks this up: the goal, where to start, what not to touch, how to check the work.',
    files: '- TODO: `path/to/file` — why it matters',
    context: '- TODO: architecture and key modules, how to build, run and test, environment quirks.',
    lessons: '- TODO: what surprised you or went wrong, and what to do instead.',
    scope: '- TODO: in scope: ...; out of scope: ...',
    questions: [1, 2, 3].map((n) => `${n}. TODO: question — expected answer`).join('\n'),
    decisions: '- TODO: decision — why it was made and what was rejected.',
    openQuestions: '- TODO: what is still undecided, and who can answer it.',
  },
  ru: {
    prompt:
      'TODO: первое сообщение для того, кто продолжит работу: цель, с чего начать, чего не трогать, как проверить результат.',
    files: '- TODO: `путь/к/файлу` — зачем его читать',
    context: '- TODO: архитектура и ключевые модули, как собрать, запустить и протестировать, особенности окружения.',
    lessons: '- TODO: что пошло не так или удивило, и как делать правильно.',
    scope: '- TODO: входит в задачу: ...; не входит: ...',
    questions: [1, 2, 3].map((n) => `${n}. TODO: вопрос — ожидаемый ответ`).join('\n'),
    decisions: '- TODO: решение — почему так и что отвергли.',
    openQuestions: '- TODO: что ещё не решено и кто может ответить.',
  },
};

export function sectionTemplate(kind: SectionKind, language: HandoffLanguage): { heading: string; body: string } {
  return { heading: CANONICAL_HEADINGS[language][kind], body: BODIES[language][kind] };
}

/** Inserts a whole missing section where the canonical order puts it. */
export function addSectionFix(doc: HandoffDocument, kind: SectionKind): HandoffFix {
  const { heading, body } = sectionTemplate(kind, doc.language);
  const rank = SECTION_ORDER.indexOf(kind);
  const next = doc.sections.find((s) => s.kind !== undefined && SECTION_ORDER.indexOf(s.kind) > rank);
  return { kind: 'add-section', heading, template: `## ${heading}\n\n${body}`, line: next ? next.line : doc.lineCount + 1 };
}

/** Fills an existing but empty section right under its heading. */
export function fillSectionFix(doc: HandoffDocument, section: HandoffSection, kind: SectionKind): HandoffFix {
  return { kind: 'add-section', heading: section.heading, template: sectionTemplate(kind, doc.language).body, line: section.line + 1 };
}

/**
 * Pure: returns `text` with the gap's fix applied, or `text` unchanged when the gap has no fix or the fix no
 * longer fits the text (the file changed since validation). Keeps the file's line endings.
 */
export function applyFix(text: string, gap: { readonly fix?: HandoffFix }): string {
  const fix = gap.fix;
  if (!fix) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLines(text);
  if (fix.kind === 'remove-file') {
    const i = fix.line - 1;
    const last = Math.max(fix.endLine, fix.line) - 1;
    const base = fix.path.split('/').pop() ?? fix.path;
    if (i < 0 || last >= lines.length || !base || !lines[i].replace(/\\/g, '/').includes(base)) return text;
    lines.splice(i, last - i + 1);
    return lines.join(eol);
  }
  let at = Math.min(Math.max(fix.line - 1, 0), lines.length);
  // Appending to a file that ends with a newline: go before the final empty "line" so the newline stays last.
  if (at >= lines.length - 1 && lines.length > 1 && lines[lines.length - 1] === '') at = lines.length - 1;
  const block = splitLines(fix.template.replace(/\s+$/, ''));
  if (at > 0 && lines[at - 1].trim() !== '') block.unshift('');
  if (at < lines.length && lines[at].trim() !== '' && !(at === lines.length - 1 && lines[at] === '')) block.push('');
  if (at === lines.length && lines.length === 1 && lines[0] === '') return block.join(eol) + eol;
  lines.splice(at, 0, ...block);
  return lines.join(eol);
}
