import { isMap, isScalar } from 'yaml';
import { readFrontMatterYaml, splitFrontMatter } from '../text/frontMatter';
import { z } from 'zod';
import { HandoffReadError } from './errors';
import { classifyHeading, detectLanguage } from './headings';
import type { HandoffLanguage, SectionKind } from './headings';
import { isPlaceholderText, listItems, parseFileItem, parseQuestionItem, stripComments, tableItems } from './items';
import type { FileEntry, QuestionEntry, SourceLine } from './items';

export const META_KEYS = ['title', 'from', 'to', 'created', 'branch', 'session'] as const;
export type MetaKey = (typeof META_KEYS)[number];
export type HandoffMeta = Partial<Record<MetaKey, string>>;

// Tolerant: scalars of any type become text, anything else (lists, maps) is ignored rather than fatal.
const scalarText = z
  .union([z.string(), z.number(), z.boolean(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).trim()))
  .optional()
  .catch(undefined);
const metaSchema = z.object(Object.fromEntries(META_KEYS.map((k) => [k, scalarText])) as Record<MetaKey, typeof scalarText>);

export interface FrontMatter {
  readonly meta: HandoffMeta;
  /** Line of each key present. */
  readonly lines: Partial<Record<MetaKey, number>>;
  /** The opening and closing `---` lines. */
  readonly startLine: number;
  readonly endLine: number;
}

export interface HandoffSection {
  readonly kind: SectionKind | undefined;
  /** The heading only starts with a known name ("Files of the old module"); an exact one of the kind wins. */
  readonly approximate: boolean;
  readonly heading: string;
  /** The `##` line. */
  readonly line: number;
  /** Last line before the next `#`/`##` heading (or the end of the file). */
  readonly endLine: number;
  readonly body: readonly SourceLine[];
  /** Body without HTML comments and fence markers, trimmed. Empty = the section has no content. */
  readonly text: string;
  readonly placeholderLine?: number;
  /** Every content line is a template placeholder (`TODO: ...`). */
  readonly onlyPlaceholders: boolean;
}

export interface HandoffPrompt {
  readonly text: string;
  readonly line: number;
  /** `<!-- review: drafted by <model> -->` left by the generator until the author has read the prompt. */
  readonly review?: { readonly line: number; readonly note: string };
}

export interface HandoffDocument {
  readonly frontMatter?: FrontMatter;
  readonly meta: HandoffMeta;
  /** Text of the first `#` heading, if any. */
  readonly title?: string;
  readonly sections: readonly HandoffSection[];
  readonly prompt?: HandoffPrompt;
  readonly files: readonly FileEntry[];
  readonly questions: readonly QuestionEntry[];
  readonly language: HandoffLanguage;
  readonly lineCount: number;
  readonly eol: '\n' | '\r\n';
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** The section of a kind: the first exactly named one, else the first. Duplicates still contribute files and questions. */
export function sectionOf(doc: Pick<HandoffDocument, 'sections'>, kind: SectionKind): HandoffSection | undefined {
  return doc.sections.find((s) => s.kind === kind && !s.approximate) ?? doc.sections.find((s) => s.kind === kind);
}

function parseFrontMatter(text: string): FrontMatter | undefined {
  const split = splitFrontMatter(text);
  if (!split.present) return undefined;
  if (split.closeLine < 0) throw new HandoffReadError('malformed-front-matter', 'front matter opened on line 1 is never closed with ---', undefined, 1);
  const { doc, problems, keyLines: lineOf } = readFrontMatterYaml(split.yaml, { uniqueKeys: false });
  if (problems.length) {
    const { line, message } = problems[0]!;
    throw new HandoffReadError('malformed-front-matter', `malformed front matter on line ${line}: ${message}`, undefined, line);
  }
  const contents = doc.contents;
  if (contents !== null && !isMap(contents) && !(isScalar(contents) && (contents.value === null || contents.value === ''))) {
    throw new HandoffReadError('malformed-front-matter', 'front matter must be "key: value" lines', undefined, 2);
  }
  const raw: Record<string, unknown> = {};
  const keyLines: Partial<Record<MetaKey, number>> = {};
  if (isMap(contents)) {
    for (const pair of contents.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      const key = name.trim().toLowerCase();
      if (!(META_KEYS as readonly string[]).includes(key) || key in raw) continue;
      raw[key] = isScalar(pair.value) ? pair.value.value : undefined;
      const line = lineOf.get(name);
      if (line !== undefined) keyLines[key as MetaKey] = line;
    }
  }
  const parsed = metaSchema.parse(raw);
  const meta: HandoffMeta = {};
  for (const k of META_KEYS) if (parsed[k]) meta[k] = parsed[k];
  return { meta, lines: keyLines, startLine: 1, endLine: split.closeLine + 1 };
}

/** Marks fence, code and multi-line comment lines so headings and list markers inside them are ignored. */
function classify(lines: string[], from: number): SourceLine[] {
  const out: SourceLine[] = [];
  let fence: string | undefined;
  let inComment = false;
  for (let i = from; i < lines.length; i++) {
    const text = lines[i];
    const line = i + 1;
    if (fence) {
      const closing = FENCE.exec(text);
      if (closing && closing[1][0] === fence[0] && closing[1].length >= fence.length && !text.trim().slice(closing[1].length).trim()) {
        fence = undefined;
        out.push({ line, text, kind: 'fence' });
      } else out.push({ line, text, kind: 'code' });
      continue;
    }
    if (inComment) {
      out.push({ line, text, kind: 'comment' });
      if (text.includes('-->')) inComment = false;
      continue;
    }
    const open = FENCE.exec(text);
    if (open) {
      fence = open[1];
      out.push({ line, text, kind: 'fence' });
      continue;
    }
    const stripped = stripComments(text);
    if (stripped.includes('<!--')) {
      inComment = true;
      out.push({ line, text, kind: stripped.slice(0, stripped.indexOf('<!--')).trim() ? 'text' : 'comment' });
      continue;
    }
    out.push({ line, text, kind: 'text' });
  }
  return out;
}

function sectionText(body: readonly SourceLine[]): string {
  return body
    .filter((l) => l.kind === 'text' || l.kind === 'code')
    .map((l) => (l.kind === 'text' ? stripComments(l.text).replace(/<!--.*$/, '') : l.text))
    .join('\n')
    .trim();
}

interface OpenSection {
  kind: SectionKind | undefined;
  approximate: boolean;
  heading: string;
  line: number;
  body: SourceLine[];
}

function buildSection({ kind, approximate, heading, line, body }: OpenSection, endLine: number): HandoffSection {
  const content = body.filter((l) => (l.kind === 'text' && stripComments(l.text).trim()) || (l.kind === 'code' && l.text.trim()));
  const placeholders = content.filter((l) => l.kind === 'text' && isPlaceholderText(stripComments(l.text)));
  return {
    kind,
    approximate,
    heading,
    line,
    endLine,
    body,
    text: sectionText(body),
    ...(placeholders.length ? { placeholderLine: placeholders[0].line } : {}),
    onlyPlaceholders: placeholders.length > 0 && placeholders.length === content.length,
  };
}

const REVIEW = /<!--\s*review\s*:?\s*(.*?)\s*-->/i;

/**
 * Parses HANDOFF.md text. Throws HandoffReadError for input that is not a handoff at all (binary, malformed
 * front matter, no handoff sections and no handoff front matter); anything else parses, with gaps left to the
 * validator.
 */
export function parseHandoff(text: string): HandoffDocument {
  if (text.includes('\u0000')) throw new HandoffReadError('binary', 'not a text file (contains NUL bytes)');
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = splitLines(source);
  const frontMatter = parseFrontMatter(source);
  const classified = classify(lines, frontMatter ? frontMatter.endLine : 0);

  const sections: HandoffSection[] = [];
  let title: string | undefined;
  let open: OpenSection | undefined;
  const close = (endLine: number): void => {
    if (open) sections.push(buildSection(open, endLine));
    open = undefined;
  };
  for (const l of classified) {
    const h = l.kind === 'text' ? HEADING.exec(l.text) : null;
    if (h && h[1].length <= 2) {
      close(l.line - 1);
      const heading = stripComments(h[2]).trim();
      if (h[1].length === 1) {
        title ??= heading;
        continue;
      }
      const match = classifyHeading(heading);
      open = { kind: match?.kind, approximate: !!match && !match.exact, heading, line: l.line, body: [] };
      continue;
    }
    open?.body.push(l);
  }
  close(lines.length);

  const meta = frontMatter?.meta ?? {};
  const recognised = sections.filter((s) => s.kind !== undefined);
  if (!recognised.length && !Object.keys(meta).length) {
    throw new HandoffReadError(
      'not-a-handoff',
      'not a handoff package: no front matter and none of the sections (## Startup prompt, ## Files, ## Control questions, ...)',
    );
  }

  const files: FileEntry[] = [];
  const questions: QuestionEntry[] = [];
  for (const s of sections) {
    // Some teams keep the file list as a table; its rows count like list items.
    if (s.kind === 'files') for (const item of [...listItems(s.body), ...tableItems(s.body)].sort((a, b) => a.line - b.line)) {
      const f = parseFileItem(item);
      if (f) files.push(f);
    }
    if (s.kind === 'questions') for (const item of listItems(s.body)) questions.push(parseQuestionItem(item));
  }

  let prompt: HandoffPrompt | undefined;
  const ps = sectionOf({ sections }, 'prompt');
  if (ps) {
    const marker = ps.body.find((l) => REVIEW.test(l.text));
    const note = marker ? REVIEW.exec(marker.text)![1] : undefined;
    prompt = {
      text: ps.onlyPlaceholders ? '' : ps.text,
      line: ps.line,
      ...(marker ? { review: { line: marker.line, note: note ?? '' } } : {}),
    };
  }

  return {
    ...(frontMatter ? { frontMatter } : {}),
    meta,
    ...(title !== undefined ? { title } : {}),
    sections,
    ...(prompt ? { prompt } : {}),
    files,
    questions,
    language: detectLanguage(recognised.map((s) => s.heading)),
    lineCount: lines.length,
    eol: source.includes('\r\n') ? '\r\n' : '\n',
  };
}
