import { Document, isSeq } from 'yaml';
import { readFrontMatterYaml, splitFrontMatter, type FrontMatterProblem } from '../text/frontMatter';
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

export interface SplitLesson {
  readonly fields: LessonFields;
  readonly body: string;
  readonly problems: FrontMatterProblem[];
}

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

/** Splits YAML front matter from the body and validates the lesson's fields; never throws, whatever the input. */
export function readLessonFrontMatter(source: string): SplitLesson {
  const split = splitFrontMatter(source);
  if (!split.present) return { fields: { extra: {} }, body: split.body, problems: [] };
  if (split.closeLine < 0) {
    return { fields: { extra: {} }, body: split.body, problems: [{ line: 1, message: 'front matter starts with "---" but is never closed' }] };
  }
  const { fields, problems } = parseFields(split.yaml);
  return { fields, body: split.body, problems };
}

function parseFields(yamlText: string): { fields: LessonFields; problems: FrontMatterProblem[] } {
  const fields: LessonFields = { extra: {} };
  const { doc, keyLines, problems: yamlProblems } = readFrontMatterYaml(yamlText);
  const problems: FrontMatterProblem[] = yamlProblems.map((p) => ({ line: p.line, message: `front matter: ${p.message}` }));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // toJS fails on an alias naming no anchor, or on aliases that expand past the limit: both are said in words.
    const tooMany = /alias|excessive/i.test((e as Error).message) && /count|excessive|resource/i.test((e as Error).message);
    problems.push({ line: 2, message: `front matter: not valid YAML: ${tooMany ? 'aliases expand to too much data' : 'an alias (*name) names no anchor (&name) set before it; put the value in quotes if "*" was meant as text'}` });
    return { fields, problems };
  }
  if (data === null || data === undefined) return { fields, problems };
  if (typeof data !== 'object' || Array.isArray(data)) {
    if (!doc.errors.length) problems.push({ line: 2, message: 'front matter must be "key: value" lines' });
    return { fields, problems };
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
