import { splitFrontMatter } from '../text/frontMatter';
import { readLessonFrontMatter } from './frontMatter';
import { fileStem, normalizeTags, slugify, LESSON_KINDS, type Lesson, type LessonKind, type LessonProblem } from './lesson';

/** The seed's habit: one file, one lesson per `##` section (`lessons_learned.md`, `LESSONS-LEARNED-2024.md`, …). */
export function isLessonsLearnedFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^lessons[_-]learned.*\.md$/i.test(name);
}

/** One lesson file: YAML front matter + markdown. Malformed front matter becomes problems, never an exception. */
export function parseLessonFile(path: string, text: string): Lesson {
  const { fields, body, problems } = readLessonFrontMatter(text);
  const trimmed = body.trim();
  return {
    id: fields.id ?? fileStem(path),
    title: fields.title ?? firstHeading(trimmed) ?? titleFromFileName(path),
    tags: fields.tags ?? [],
    kind: fields.kind ?? 'lesson',
    created: fields.created,
    source: fields.source,
    rule: fields.rule,
    globs: fields.globs ?? [],
    body: trimmed,
    path,
    line: 1,
    readOnly: false,
    extra: fields.extra,
    problems: problems.map((p): LessonProblem => ({ file: path, line: p.line, message: p.message })),
  };
}

const FENCE = /^\s{0,3}(```|~~~)/;
const SECTION = /^##(?!#)\s*(.*?)\s*#*\s*$/;
const TOP = /^#(?!#)\s/;
const DATED = /^(\d{4}-\d{2}-\d{2})\b[\s:.\u2013\u2014-]*/;
const META = /^\s*(?:[-*]\s*)?(?:\*\*|__)?(tags|kind|rule|source)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$/i;

/**
 * A multi-lesson file: each `##` heading (outside code fences) starts a lesson, up to the next `##` or `#`.
 * Ids are `<file stem>--<heading slug>` so they are stable while the heading is. A heading starting with a date
 * gives `created`; leading `Tags:`/`Kind:`/`Rule:`/`Source:` lines give those fields.
 */
export function parseLessonsLearnedFile(path: string, text: string): Lesson[] {
  // A lessons_learned file may carry front matter of its own; sections start after it.
  const split = splitFrontMatter(text);
  const offset = split.closeLine > 0 ? split.closeLine + 1 : 0;
  const lines = split.lines.slice(offset);
  const stem = slugify(fileStem(path));
  const lessons: Lesson[] = [];
  const used = new Set<string>();
  let current: { heading: string; line: number; body: string[] } | undefined;
  let inFence = false;

  const flush = () => {
    if (!current) return;
    const lesson = sectionLesson(path, stem, current.heading, current.line, current.body);
    let id = lesson.id;
    for (let n = 2; used.has(id); n++) id = `${lesson.id}-${n}`;
    used.add(id);
    lessons.push(id === lesson.id ? lesson : { ...lesson, id });
    current = undefined;
  };

  lines.forEach((line, i) => {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : SECTION.exec(line);
    if (m) {
      flush();
      current = { heading: m[1], line: i + 1 + offset, body: [] };
    } else if (!inFence && TOP.test(line)) {
      flush();
    } else {
      current?.body.push(line);
    }
  });
  flush();
  return lessons;
}

function sectionLesson(path: string, stem: string, heading: string, line: number, bodyLines: string[]): Lesson {
  const problems: LessonProblem[] = [];
  const dated = DATED.exec(heading);
  const title = (dated ? heading.slice(dated[0].length) : heading).trim() || heading || `Lesson at line ${line}`;
  let tags: string[] = [];
  let kind: LessonKind = 'lesson';
  let rule: string | undefined;
  let source: string | undefined;
  // Metadata lines are honoured only before the prose starts, so "Rule: …" inside a paragraph stays text.
  let start = 0;
  while (start < bodyLines.length) {
    const l = bodyLines[start];
    const meta = META.exec(l);
    if (!l.trim()) start++;
    else if (meta) {
      const [, key, value] = meta;
      const k = key.toLowerCase();
      if (k === 'tags') tags = normalizeTags(value.replace(/[`*]/g, '').split(/[,;]/));
      else if (k === 'kind') {
        const v = value.trim().toLowerCase();
        if ((LESSON_KINDS as readonly string[]).includes(v)) kind = v as LessonKind;
        else problems.push({ file: path, line: line + start + 1, message: `kind must be one of ${LESSON_KINDS.join(', ')}` });
      } else if (k === 'rule') rule = value.trim() || undefined;
      else source = value.trim() || undefined;
      start++;
    } else break;
  }
  return {
    id: `${stem}--${slugify(heading)}`,
    title,
    tags,
    kind,
    created: dated?.[1],
    source,
    rule,
    globs: [],
    body: bodyLines.slice(start).join('\n').trim(),
    path,
    line,
    readOnly: true,
    extra: {},
    problems,
  };
}

function firstHeading(markdown: string): string | undefined {
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

function titleFromFileName(path: string): string {
  const words = fileStem(path)
    .replace(/^\d{4}-\d{2}-\d{2}-?/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return words ? words[0].toUpperCase() + words.slice(1) : fileStem(path);
}
