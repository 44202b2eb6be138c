import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Pair } from 'yaml';
import { z } from 'zod';
import { globsSchema, LESSON_KINDS, tagsSchema, type LessonKind } from './lesson';

/** The front matter fields a lesson understands, each already validated; invalid ones are left out. */
export interface LessonFields {
  id?: string;
  title?: string;
  tags?: string[];
  kind?: LessonKind;
  created?: string;
  source?: string;
  rule?: string;
  globs?: string[];
  extra: Record<string, unknown>;
}

export interface FrontMatterProblem {
  /** 1-based line in the file. */
  readonly line: number;
  readonly message: string;
}

export interface SplitLesson {
  readonly fields: LessonFields;
  readonly body: string;
  readonly problems: FrontMatterProblem[];
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
const nonEmpty = text.pipe(z.string().min(1));

/** One schema per key, so a bad `tags` does not cost the lesson its `title`. */
const FIELDS = {
  id: { schema: nonEmpty.pipe(z.string().regex(/^[^\s/\\]+$/)), message: 'id must be one word without spaces or slashes' },
  title: { schema: nonEmpty, message: 'title must be non-empty text' },
  tags: { schema: tagsSchema, message: 'tags must be a list of words or a comma-separated string' },
  kind: { schema: z.enum(LESSON_KINDS), message: `kind must be one of ${LESSON_KINDS.join(', ')}` },
  created: {
    schema: z.union([z.string(), z.date().transform((d) => d.toISOString().slice(0, 10))]).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}/)),
    message: 'created must be a date like 2024-05-01',
  },
  source: { schema: nonEmpty, message: 'source must be text (a file, session or handoff link)' },
  rule: { schema: nonEmpty, message: 'rule must be a rule id' },
  globs: { schema: globsSchema, message: 'globs must be a list of glob patterns or a comma-separated string' },
} as const;
type Known = keyof typeof FIELDS;
const KNOWN = new Set<string>(Object.keys(FIELDS));

/**
 * Index of the line closing a front matter block that opens on line 0; -1 when the text does not start with
 * `---`, 0 when it starts but never closes.
 */
export function frontMatterEnd(lines: readonly string[]): number {
  if (!OPEN.test(lines[0] ?? '')) return -1;
  const close = lines.findIndex((l, i) => i > 0 && CLOSE.test(l));
  return close < 0 ? 0 : close;
}

/** Splits `---` YAML front matter from the body and validates it; never throws, whatever the input. */
export function splitFrontMatter(source: string): SplitLesson {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = frontMatterEnd(lines);
  if (close < 0) return { fields: { extra: {} }, body: lines.join('\n'), problems: [] };
  if (close === 0) {
    return {
      fields: { extra: {} },
      body: lines.slice(1).join('\n'),
      problems: [{ line: 1, message: 'front matter starts with "---" but is never closed' }],
    };
  }
  const { fields, problems } = parseFields(lines.slice(1, close).join('\n'));
  return { fields, body: lines.slice(close + 1).join('\n'), problems };
}

function parseFields(yamlText: string): { fields: LessonFields; problems: FrontMatterProblem[] } {
  const fields: LessonFields = { extra: {} };
  const problems: FrontMatterProblem[] = [];
  const lineCounter = new LineCounter();
  // Front matter starts on file line 2; yaml lines are 1-based.
  const fileLine = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line + 1);
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
  for (const e of doc.errors) problems.push({ line: (e.linePos?.[0].line ?? 0) + 1, message: `front matter: ${yamlMessage(e.message)}` });

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    problems.push({ line: 1, message: `front matter: ${yamlMessage((e as Error).message)}` });
    return { fields, problems };
  }
  if (data === null || data === undefined) return { fields, problems };
  if (typeof data !== 'object' || Array.isArray(data)) {
    if (!doc.errors.length) problems.push({ line: 2, message: 'front matter must be "key: value" lines' });
    return { fields, problems };
  }

  const keyLines = new Map<string, number>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items as Pair[]) {
      if (isScalar(pair.key)) keyLines.set(String(pair.key.value), fileLine(pair.key.range?.[0]));
    }
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (!KNOWN.has(key)) {
      fields.extra[key] = value;
      continue;
    }
    if (value === null || value === undefined || value === '') continue;
    const spec = FIELDS[key as Known];
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) (fields as unknown as Record<string, unknown>)[key] = parsed.data;
    else problems.push({ line: keyLines.get(key) ?? 2, message: spec.message });
  }
  return { fields, problems };
}

/** yaml's pretty errors append the position and a code excerpt; the problem carries the line already. */
function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** What gets written for a lesson; key order is fixed and unknown keys follow sorted, so rewrites diff cleanly. */
export interface SerializableLesson {
  id: string;
  title: string;
  kind: LessonKind;
  tags: readonly string[];
  created?: string;
  source?: string;
  rule?: string;
  globs: readonly string[];
  extra: Readonly<Record<string, unknown>>;
  body: string;
}

export function serializeLesson(l: SerializableLesson): string {
  const data: Record<string, unknown> = { id: l.id, title: l.title, kind: l.kind };
  if (l.tags.length) data.tags = [...l.tags];
  if (l.created) data.created = l.created;
  if (l.source) data.source = l.source;
  if (l.rule) data.rule = l.rule;
  if (l.globs.length) data.globs = [...l.globs];
  for (const key of Object.keys(l.extra).sort()) if (!KNOWN.has(key)) data[key] = l.extra[key];
  const doc = new Document(data);
  for (const key of ['tags', 'globs']) {
    const node = doc.get(key, true);
    if (isSeq(node)) node.flow = true;
  }
  const body = l.body.replace(/\r\n/g, '\n').trim();
  return `---\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}---\n${body ? `\n${body}\n` : ''}`;
}
