import { posix } from 'node:path';

/** One line of a section's body. Line numbers are 1-based throughout the handoff module. */
export interface SourceLine {
  readonly line: number;
  readonly text: string;
  /** `fence` = a ``` / ~~~ marker line, `code` = inside a fence, `comment` = inside a multi-line HTML comment. */
  readonly kind: 'text' | 'code' | 'fence' | 'comment';
}

export interface ListItem {
  readonly line: number;
  readonly endLine: number;
  readonly numbered: boolean;
  /** The item's first line without indentation, marker and task checkbox. */
  readonly text: string;
  /** Following lines that belong to the item (nested items, indented or lazy continuation text). */
  readonly continuation: readonly SourceLine[];
}

export interface FileEntry {
  /** Workspace-relative, '/'-separated, without `./` or a `:line` / `#L..` suffix. */
  readonly path: string;
  readonly note?: string;
  readonly line: number;
  readonly endLine: number;
  /** Why the path cannot be checked against the workspace; undefined for a usable path. */
  readonly problem?: 'absolute' | 'outside-workspace' | 'url';
  /** A `TODO` left by a template: not counted as a listed file. */
  readonly placeholder: boolean;
}

export interface QuestionEntry {
  readonly question: string;
  readonly answer?: string;
  readonly line: number;
  readonly endLine: number;
  readonly numbered: boolean;
  readonly placeholder: boolean;
}

const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(?:\s+(.*))?$/;
const CHECKBOX = /^\[[ xX]\]\s+/;
const PLACEHOLDER = /^(?:\*\*|__)?(?:TODO|TBD|FIXME)\b/;

export function stripComments(text: string): string {
  return text.replace(/<!--.*?-->/g, '');
}

/** A line whose content (after any list marker) is a template placeholder such as `- TODO: ...`. */
export function isPlaceholderText(text: string): boolean {
  const m = ITEM.exec(text);
  const content = (m ? (m[3] ?? '') : text).trim().replace(CHECKBOX, '');
  return PLACEHOLDER.test(content);
}

function indentOf(ws: string): number {
  return ws.replace(/\t/g, '    ').length;
}

/**
 * Top-level list items of a section. The shallowest marker indentation defines "top level", so lists indented
 * as a whole still work; deeper items and indented text become the continuation of the item above.
 */
export function listItems(body: readonly SourceLine[]): ListItem[] {
  let top = Infinity;
  for (const l of body) {
    if (l.kind !== 'text') continue;
    const m = ITEM.exec(l.text);
    if (m && m[3]?.trim()) top = Math.min(top, indentOf(m[1]));
  }
  if (top === Infinity) return [];

  const items: Array<{ line: number; endLine: number; numbered: boolean; text: string; continuation: SourceLine[] }> = [];
  let current: (typeof items)[number] | undefined;
  let lastBlank = false;
  for (const l of body) {
    if (l.kind === 'comment') continue;
    const m = l.kind === 'text' ? ITEM.exec(l.text) : null;
    if (m && m[3]?.trim() && indentOf(m[1]) <= top + 1) {
      current = {
        line: l.line,
        endLine: l.line,
        numbered: /\d/.test(m[2]),
        text: m[3].trim().replace(CHECKBOX, ''),
        continuation: [],
      };
      items.push(current);
      lastBlank = false;
      continue;
    }
    const blank = l.kind === 'text' && !l.text.trim();
    if (current && !blank) {
      const indented = /^\s/.test(l.text) || l.kind !== 'text';
      if (indented || !lastBlank) {
        current.continuation.push(l);
        current.endLine = l.line;
      } else {
        current = undefined;
      }
    }
    lastBlank = blank;
  }
  return items;
}

/**
 * Rows of a markdown table (`| path | note |`), header and separator rows skipped, as items whose text is
 * "first cell — second cell".
 */
export function tableItems(body: readonly SourceLine[]): ListItem[] {
  const rows = body.filter((l) => l.kind === 'text' && /^\s*\|.*\|\s*$/.test(l.text));
  const separator = rows.findIndex((r) => /^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*$/.test(r.text));
  if (separator < 0) return [];
  return rows.slice(separator + 1).flatMap((r) => {
    const cells = r.text.trim().slice(1, -1).split('|').map((c) => c.trim());
    if (!cells[0]) return [];
    return [{ line: r.line, endLine: r.line, numbered: false, text: cells[1] ? `${cells[0]} — ${cells[1]}` : cells[0], continuation: [] }];
  });
}

const LINE_SUFFIX = /(?::\d+(?:[-:]\d+)*|#L\d+(?:-L?\d+)?)$/;

/** `./a\b.ts:12` → `a/b.ts`; keeps the text otherwise so a mistyped path is reported as written. */
export function normalizeListedPath(raw: string): string {
  let p = raw.trim().replace(/\\/g, '/').replace(LINE_SUFFIX, '');
  while (p.startsWith('./')) p = p.slice(2);
  if (p.length > 1) p = p.replace(/\/+$/, '');
  return p;
}

function pathProblem(path: string): FileEntry['problem'] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return 'url';
  if (path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:\//.test(path)) return 'absolute';
  const n = posix.normalize(path);
  if (n === '..' || n.startsWith('../')) return 'outside-workspace';
  return undefined;
}

const NOTE_SEPARATOR = /^\s*(?:—|–|--?|:|\|)\s*/;

/** `` `src/a.ts` — why``, `[a.ts](src/a.ts): why`, `**src/a.ts** - why`, `src/a.ts: why`, `src/a.ts why`. */
export function parseFileItem(item: ListItem): FileEntry | undefined {
  let s = item.text.trim();
  let raw: string | undefined;
  let rest = '';
  const link = /^\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/.exec(s);
  if (s.startsWith('`')) {
    const end = s.indexOf('`', 1);
    if (end > 1) {
      raw = s.slice(1, end);
      rest = s.slice(end + 1);
    }
  } else if (link) {
    const target = link[2];
    const text = link[1].replace(/`/g, '').trim();
    raw = /^[a-z][a-z0-9+.-]*:/i.test(target) && text ? text : target;
    rest = s.slice(link[0].length);
  } else {
    const bold = /^(\*\*|__)([^*_]+)\1/.exec(s);
    if (bold) {
      raw = bold[2];
      rest = s.slice(bold[0].length);
    }
  }
  if (raw === undefined) {
    s = s.replace(/^`+|`+$/g, '');
    const token = /^\S+/.exec(s)?.[0] ?? '';
    raw = token.replace(/[:,;]+$/, '');
    rest = s.slice(token.length);
  }
  const path = normalizeListedPath(raw);
  if (!path) return undefined;
  const note = rest.replace(NOTE_SEPARATOR, '').trim();
  return {
    path,
    ...(note ? { note } : {}),
    line: item.line,
    endLine: item.endLine,
    problem: pathProblem(path),
    placeholder: PLACEHOLDER.test(path) || PLACEHOLDER.test(item.text),
  };
}

const ANSWER_SEPARATOR = /\s+(?:—|–|--|->|→|=>)\s*/;
const ANSWER_PREFIX =
  /(?:^|\s|\(|\*)(?:expected answer|expected|answer|a|ожидаемый ответ|ожидается|ответ|о)\s*(?:\*\*)?\s*:\s*/i;

function cleanAnswer(a: string | undefined): string | undefined {
  const t = a
    ?.trim()
    .replace(/^\*\*|\*\*$/g, '')
    .replace(/\)$/, '')
    .trim();
  if (!t || /^[?.…-]+$/.test(t) || PLACEHOLDER.test(t)) return undefined;
  return t;
}

/**
 * `question — expected answer` (also – -- -> → =>), `question - answer` after a `?`,
 * `question (expected: answer)`, or the answer on a continuation line (`— answer`, `Answer: ...`, `Ответ: ...`).
 */
export function parseQuestionItem(item: ListItem): QuestionEntry {
  const text = stripComments(item.text).trim().replace(/^(?:\*\*)?(?:q|в|вопрос|question)\s*(?:\*\*)?\s*:\s*/i, '');
  let question = text;
  let answer: string | undefined;
  const sep = ANSWER_SEPARATOR.exec(text) ?? /\?\s+-\s+/.exec(text);
  const prefix = ANSWER_PREFIX.exec(text);
  if (sep && (!prefix || sep.index <= prefix.index)) {
    const cut = sep[0].startsWith('?') ? sep.index + 1 : sep.index;
    question = text.slice(0, cut);
    answer = text.slice(sep.index + sep[0].length);
  } else if (prefix && prefix.index > 0) {
    question = text.slice(0, prefix.index).replace(/[(*\s]+$/, '');
    answer = text.slice(prefix.index + prefix[0].length);
  }
  if (cleanAnswer(answer) === undefined) {
    for (const c of item.continuation) {
      if (c.kind !== 'text') continue;
      const m = ITEM.exec(c.text);
      const content = stripComments(m ? (m[3] ?? '') : c.text).trim();
      const viaSep = /^(?:—|–|--|->|→|=>)\s*(.*)$/.exec(content);
      const viaPrefix = new RegExp(`^${ANSWER_PREFIX.source}(.*)$`, 'i').exec(content);
      const found = viaSep?.[1] ?? viaPrefix?.[1];
      if (cleanAnswer(found) !== undefined) {
        answer = found;
        break;
      }
    }
  }
  question = question.trim().replace(/^\*\*|\*\*$/g, '').trim();
  return {
    question,
    ...(cleanAnswer(answer) !== undefined ? { answer: cleanAnswer(answer) } : {}),
    line: item.line,
    endLine: item.endLine,
    numbered: item.numbered,
    placeholder: PLACEHOLDER.test(question),
  };
}
