// A small markdown parser for model answers, producing a tree the results view turns into DOM nodes with
// createElement/textContent only, so model text can never become markup. It covers what models write (headings,
// paragraphs, nested lists, quotes, rules, fenced code, inline code, bold/italic, links) and is total: any input,
// including half-streamed text, gives a tree. The host parses the same text to find the code block a click names.

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  /** Only http(s) targets become links; anything else stays as its label text. */
  | { kind: 'link'; href: string; children: Inline[] };

export interface ListItem {
  blocks: Block[];
}

export type Block =
  | { kind: 'heading'; level: number; inline: Inline[] }
  | { kind: 'paragraph'; inline: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'hr' }
  /** `index` numbers code blocks in document order (nested ones included); `closed` is false while streaming. */
  | { kind: 'code'; lang: string; text: string; closed: boolean; index: number };

/** Deeper nesting is flattened into paragraphs: bounds recursion on hostile input. */
const MAX_DEPTH = 8;
/** A link label longer than this is not a link (bounds the bracket scan). */
const MAX_LABEL = 300;

const FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)/;

export function parseMarkdown(text: string): Block[] {
  const counter = { next: 0 };
  return parseBlocks(text.replace(/\r\n?/g, '\n').split('\n'), 0, counter);
}

/** Every code block of an answer, in the order the view numbers them. */
export function codeBlocks(text: string): Array<Extract<Block, { kind: 'code' }>> {
  const out: Array<Extract<Block, { kind: 'code' }>> = [];
  const visit = (blocks: Block[]): void => {
    for (const b of blocks) {
      if (b.kind === 'code') out.push(b);
      else if (b.kind === 'list') for (const item of b.items) visit(item.blocks);
      else if (b.kind === 'quote') visit(b.blocks);
    }
  };
  visit(parseMarkdown(text));
  return out;
}

const indentOf = (line: string): number => {
  let n = 0;
  for (const c of line) {
    if (c === ' ') n++;
    else if (c === '\t') n += 4 - (n % 4);
    else break;
  }
  return n;
};
const isBlank = (line: string): boolean => line.trim() === '';

/** Removes up to `n` columns of leading indentation. */
function dedent(line: string, n: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < n) {
    if (line[i] === ' ') col++;
    else if (line[i] === '\t') col += 4 - (col % 4);
    else break;
    i++;
  }
  return line.slice(i);
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) || LIST_ITEM.test(line);
}

function parseBlocks(lines: string[], depth: number, counter: { next: number }): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const [, indent, marker, lang] = fence;
      const body: string[] = [];
      let closed = false;
      i++;
      while (i < lines.length) {
        const l = lines[i]!;
        const t = l.trim();
        if (indentOf(l) < 4 && t.length >= marker!.length && t[0] === marker![0] && /^(`+|~+)$/.test(t)) {
          closed = true;
          i++;
          break;
        }
        body.push(dedent(l, indent!.length));
        i++;
      }
      blocks.push({ kind: 'code', lang: lang ?? '', text: body.join('\n'), closed, index: counter.next++ });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, inline: parseInline(heading[2] ?? '', depth) });
      i++;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ kind: 'hr' });
      i++;
      continue;
    }
    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && !isBlank(lines[i]!) && (QUOTE.test(lines[i]!) || !startsBlock(lines[i]!))) {
        inner.push(lines[i]!.replace(QUOTE, ''));
        i++;
      }
      blocks.push({ kind: 'quote', blocks: parseBlocks(inner, depth + 1, counter) });
      continue;
    }
    if (depth < MAX_DEPTH && LIST_ITEM.test(line)) {
      i = parseList(lines, i, depth, counter, blocks);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !isBlank(lines[i]!) && (para.length === 0 || !startsBlock(lines[i]!))) {
      para.push(lines[i]!.trim());
      i++;
    }
    blocks.push({ kind: 'paragraph', inline: parseInline(para.join('\n'), depth) });
  }
  return blocks;
}

/** Parses one list starting at `start`; returns the index after it. */
function parseList(lines: string[], start: number, depth: number, counter: { next: number }, out: Block[]): number {
  const first = LIST_ITEM.exec(lines[start]!)!;
  const ordered = /\d/.test(first[2]!);
  const list: Extract<Block, { kind: 'list' }> = { kind: 'list', ordered, start: ordered ? Number.parseInt(first[2]!, 10) : 1, items: [] };
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i]!);
    if (!m || /\d/.test(m[2]!) !== ordered || HR.test(lines[i]!)) break;
    const markerEnd = m[1]!.length + m[2]!.length;
    const gap = m[3]!.replace(/\t/g, '    ').length;
    const contentIndent = markerEnd + (gap >= 1 && gap <= 4 ? gap : 1);
    const item: string[] = [lines[i]!.slice(m[0].length)];
    i++;
    while (i < lines.length) {
      const l = lines[i]!;
      if (isBlank(l)) {
        let j = i + 1;
        while (j < lines.length && isBlank(lines[j]!)) j++;
        if (j < lines.length && indentOf(lines[j]!) >= contentIndent) {
          for (; i < j; i++) item.push('');
          continue;
        }
        break;
      }
      if (indentOf(l) >= contentIndent) item.push(dedent(l, contentIndent));
      else if (LIST_ITEM.test(l) || startsBlock(l)) break;
      // A lazy continuation line of the item's last paragraph.
      else if (!isBlank(item[item.length - 1]!)) item.push(l.trim());
      else break;
      i++;
    }
    list.items.push({ blocks: parseBlocks(item, depth + 1, counter) });
    // Blank lines between items keep the list going when another item of the same kind follows.
    let j = i;
    while (j < lines.length && isBlank(lines[j]!)) j++;
    const next = j < lines.length ? LIST_ITEM.exec(lines[j]!) : null;
    if (!next || /\d/.test(next[2]!) !== ordered) break;
    i = j;
  }
  out.push(list);
  return i;
}

// ---- inline ---------------------------------------------------------------------------------------------------

const URL_AT = /^https?:\/\/[^\s<>()[\]`"']+/;
const ESCAPABLE = '\\`*_[]()#+-.!>~|{}';
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpace = (c: string | undefined): boolean => c === undefined || /\s/.test(c);

/** Only absolute http(s) URLs are kept; `javascript:`, `command:`, `file:` and relative links are dropped. */
export function safeHref(raw: string): string | undefined {
  const t = raw.trim().replace(/^<|>$/g, '');
  if (!/^https?:\/\//i.test(t) || /[\s"'<>`]/.test(t)) return undefined;
  try {
    const u = new URL(t);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buf = '';
  const flush = (): void => {
    if (buf) out.push({ kind: 'text', text: buf });
    buf = '';
  };
  // Closer searches that failed once fail for every later start too: remembered so hostile input stays linear.
  const noCloser = new Map<string, number>();
  const findCloser = (token: string, from: number, exact: boolean): number => {
    const key = `${exact ? '=' : ''}${token}`;
    const known = noCloser.get(key);
    if (known !== undefined && from >= known) return -1;
    let at = text.indexOf(token, from);
    while (at !== -1 && exact && (text[at - 1] === token[0] || text[at + token.length] === token[0])) {
      let end = at;
      while (text[end] === token[0]) end++;
      at = text.indexOf(token, end);
    }
    if (at === -1) noCloser.set(key, Math.min(from, known ?? from));
    return at;
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && ESCAPABLE.includes(text[i + 1]!)) {
      buf += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const close = findCloser(fence, i + run, true);
      if (close === -1) {
        buf += fence;
        i += run;
        continue;
      }
      let code = text.slice(i + run, close).replace(/\n/g, ' ');
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
      flush();
      out.push({ kind: 'code', text: code });
      i = close + run;
      continue;
    }
    if (c === '[' && depth < MAX_DEPTH) {
      const link = parseLink(text, i, depth);
      if (link) {
        flush();
        if (link.href) out.push({ kind: 'link', href: link.href, children: link.children });
        else out.push(...link.children);
        i = link.end;
        continue;
      }
    }
    if (c === 'h' && !isWordChar(text[i - 1]) && (text.startsWith('http://', i) || text.startsWith('https://', i))) {
      const m = URL_AT.exec(text.slice(i, i + 2048));
      if (m) {
        const url = m[0].replace(/[.,;:!?]+$/, '');
        const href = safeHref(url);
        if (href) {
          flush();
          out.push({ kind: 'link', href, children: [{ kind: 'text', text: url }] });
          i += url.length;
          continue;
        }
      }
    }
    if ((c === '*' || c === '_') && depth < MAX_DEPTH) {
      const double = text[i + 1] === c;
      const delim = double ? c + c : c;
      const opensWord = c === '_' ? !isWordChar(text[i - 1]) : true;
      const after = text[i + delim.length];
      if (opensWord && !isSpace(after) && after !== c) {
        const close = findCloser(delim, i + delim.length + 1, !double);
        if (close !== -1 && !isSpace(text[close - 1]) && (c !== '_' || !isWordChar(text[close + delim.length]))) {
          flush();
          const children = parseInline(text.slice(i + delim.length, close), depth + 1);
          out.push({ kind: double ? 'strong' : 'em', children });
          i = close + delim.length;
          continue;
        }
      }
      buf += delim;
      i += delim.length;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

/** `[label](url)` at `start`; undefined when it is not one (then `[` is plain text). */
function parseLink(text: string, start: number, depth: number): { href?: string; children: Inline[]; end: number } | undefined {
  let level = 0;
  let close = -1;
  const limit = Math.min(text.length, start + MAX_LABEL);
  for (let j = start; j < limit; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '[') level++;
    else if (ch === ']' && --level === 0) {
      close = j;
      break;
    }
  }
  if (close === -1 || text[close + 1] !== '(') return undefined;
  // The destination may hold balanced parentheses (`…/Foo_(bar)`); a newline or 2 KiB without a match ends it.
  let end = -1;
  for (let j = close + 2, open = 0; j < text.length && j - close < 2048 && text[j] !== '\n'; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '(') open++;
    else if (text[j] === ')' && open-- === 0) {
      end = j;
      break;
    }
  }
  if (end === -1) return undefined;
  const target = text.slice(close + 2, end).trim();
  const url = target.split(/\s+/)[0] ?? '';
  const href = safeHref(url);
  const children = parseInline(text.slice(start + 1, close), depth + 1);
  return { ...(href ? { href } : {}), children, end: end + 1 };
}

/** The plain text of inline nodes (link labels included), e.g. for a heading's accessible name. */
export function inlineText(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : inlineText(n.children))).join('');
}
