import { normalizeTags } from './lesson';
import { pathKeywords } from './related';

/** An editor selection, as "Capture Lesson from Selection" sees it. */
export interface SelectionInput {
  readonly text: string;
  /** The editor's language id (`typescript`, `typescriptreact`, `python`, …). */
  readonly languageId: string;
  /** Workspace-relative, '/'-separated. */
  readonly relPath: string;
  /** 1-based line where the selection starts. */
  readonly line: number;
  /** Tags lessons already use: a path word that is one of them is a better suggestion than a new word. */
  readonly knownTags?: Iterable<string>;
}

/** The pre-filled lesson; people edit title and tags before it is saved. */
export interface LessonDraft {
  readonly title: string;
  readonly tags: string[];
  readonly source: string;
  readonly globs: string[];
  readonly code: string;
  /** Fence info string (`ts`, `python`, …), empty for plain text. */
  readonly fenceLanguage: string;
}

const TITLE_MAX = 80;

// Language ids whose name is not what people tag with or write after a fence.
const FENCE: Record<string, string> = {
  typescriptreact: 'tsx', javascriptreact: 'jsx', shellscript: 'bash', plaintext: '',
};
const LANGUAGE_TAGS: Record<string, string[]> = {
  typescriptreact: ['typescript', 'react'], javascriptreact: ['javascript', 'react'], shellscript: ['shell'],
  plaintext: [], markdown: [], jsonc: ['json'], ignore: [], log: [],
};
// Path words that say nothing about what a lesson is about.
const GENERIC = new Set([
  'src', 'lib', 'libs', 'app', 'apps', 'test', 'tests', 'spec', 'specs', 'index', 'main', 'util', 'utils', 'dist',
  'build', 'out', 'docs', 'doc', 'packages', 'package', 'source', 'sources', 'common', 'shared', 'core', 'internal',
  'demo', 'examples', 'example', 'tmp', 'misc',
]);

export function draftFromSelection(input: SelectionInput): LessonDraft {
  const code = dedent(input.text);
  return {
    title: titleFromSelection(code, input.relPath),
    tags: suggestTags(input),
    source: `${input.relPath}:${input.line}`,
    globs: [input.relPath],
    code,
    fenceLanguage: FENCE[input.languageId] ?? input.languageId,
  };
}

/** The lesson body: the selection in a fence, then the line that says why it matters (left for the author). */
export function captureBody(draft: LessonDraft, why = ''): string {
  const longest = Math.max(2, ...[...draft.code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${draft.fenceLanguage}\n${draft.code}\n${fence}\n\nWhy it matters: ${why.trim()}`.trimEnd() + '\n';
}

const COMMENT = /^\s*(?:\/\/\/?|#+\s|--|;+|\/\*+|\*(?!\/)|<!--|"""|''')\s?/;

/**
 * A title from a selection: its first comment if it has one (the author's own words about the code), else its
 * first line of text; the first sentence of that, or its first clause when the sentence is long.
 */
export function titleFromSelection(text: string, relPath?: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const comment = lines.find((l) => COMMENT.test(l) && stripComment(l));
  // A line of code is not a title ("Const res = await fetch(…"): name what the code is about instead.
  if (!comment && lines[0] && looksLikeCode(lines[0])) return codeTitle(text, relPath);
  const line = stripComment(comment ?? lines[0] ?? '').replace(/\s*\{$/, '');
  let title = firstSentence(line);
  if (title.length > TITLE_MAX - 20) {
    const clause = /^(.{20,}?)(?:;\s| — | - |, but )/.exec(title);
    if (clause) title = clause[1];
  }
  title = title.replace(/[.:;,]+$/, '').trim();
  if (title.length > TITLE_MAX) {
    const cut = title.lastIndexOf(' ', TITLE_MAX - 1);
    title = `${title.slice(0, cut > TITLE_MAX / 2 ? cut : TITLE_MAX - 1)}…`;
  }
  return title ? title[0].toUpperCase() + title.slice(1) : '';
}

const CODE_LINE = /[=;{}()[\]]|=>|^(?:const|let|var|function|class|def|fn|pub|if|for|while|return|import|export|async|await|public|private|static)\b/;

const WORD = /^[(\[]?[A-Za-zÀ-ɏЀ-ӿ][A-Za-zÀ-ɏЀ-ӿ'-]+[)\],:;.!?]*$/;
const KEYWORD_START = /^(?:const|let|var|function|class|def|fn|pub|if|for|while|return|import|export|async|await|public|private|static)\b/;

/**
 * Code, unless it reads as prose: a sentence, or a run of words with a parenthesis in it (the tail of a comment
 * selected after its `//`: "the hard-coded secret is an error (rule 400),"), which a call never is.
 */
function looksLikeCode(line: string): boolean {
  if (!CODE_LINE.test(line)) return false;
  if (/[=;{}]|=>/.test(line) || KEYWORD_START.test(line) || !/^[A-Za-zÀ-ɏЀ-ӿ]/.test(line)) return !/^[A-Za-zÀ-ɏЀ-ӿ][^=;{}]*[.!?]$/.test(line);
  const tokens = line.split(/\s+/);
  return tokens.filter((t) => WORD.test(t)).length < Math.max(5, tokens.length * 0.7);
}

const DECLARED = /\b(?:function\*?|class|def|fn|interface|type|enum)\s+([A-Za-z_$][\w$]*)|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:\(|function|[A-Za-z_$][\w$]*\s*=>)/;
const CALLED = /(?:^|[^\w$.])(?:await\s+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\(/g;
const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'typeof', 'await', 'new', 'super']);

/** "invoiceTotal in billing.ts", "Calling fetch in payments.ts": the code's own names, and where it is. */
function codeTitle(text: string, relPath?: string): string {
  const where = relPath ? ` in ${relPath.split('/').pop()}` : '';
  const declared = DECLARED.exec(text);
  const name = declared?.[1] ?? declared?.[2];
  if (name) return `${name}${where}`;
  for (const m of text.matchAll(CALLED)) {
    const callee = m[1]!;
    if (!NOT_CALLS.has(callee)) return `Calling ${callee}${where}`;
  }
  return relPath ? `Code from ${relPath.split('/').pop()}` : 'Code snippet';
}

function stripComment(line: string): string {
  return line
    .replace(COMMENT, '')
    .replace(/\s*(?:\*\/|-->|"""|''')\s*$/, '')
    .trim();
}

function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(?:\s|$)/.exec(text);
  return (m ? m[1] : text).trim();
}

/**
 * Up to four tags: the language, then path words lessons already use as tags, then the file's own name when
 * nothing known matched (a new area gets its first tag).
 */
export function suggestTags(input: Pick<SelectionInput, 'languageId' | 'relPath' | 'knownTags'>): string[] {
  const out: string[] = [...(LANGUAGE_TAGS[input.languageId] ?? [input.languageId])];
  const known = new Set(input.knownTags ?? []);
  const words = [...pathKeywords(input.relPath)].filter((w) => !GENERIC.has(w) && !w.startsWith('.') && !/^\d+$/.test(w) && w.length > 1);
  const ext = /\.([^./]+)$/.exec(input.relPath)?.[1]?.toLowerCase();
  const useful = words.filter((w) => w !== ext);
  const knownHits = useful.filter((w) => known.has(w));
  out.push(...knownHits);
  if (!knownHits.length) {
    const stem = /([^/]+?)(?:\.[^./]+)?$/.exec(input.relPath)?.[1]?.toLowerCase();
    if (stem && useful.includes(stem)) out.push(stem);
  }
  return normalizeTags(out).slice(0, 4);
}

/** Removes the indentation every non-blank line shares (tabs or spaces, as written), and blank edge lines. */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0]);
  let common = indents[0] ?? '';
  for (const i of indents) while (!i.startsWith(common)) common = common.slice(0, -1);
  return lines.map((l) => (l.startsWith(common) ? l.slice(common.length) : l.trimStart()).trimEnd()).join('\n');
}
