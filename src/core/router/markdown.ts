// The one markdown tokenizer for model answers: the `marked` lexer (CommonMark + GFM tables), turned into a small
// tree the results view renders with createElement/textContent only, so model text can never become markup. The
// host parses the same text to find the code block a click names, and the answer check (quality.ts) reads the same
// code blocks, so a block inside a quote or a nested list is checked exactly when it gets Insert / Apply.
// Total: any input, including half-streamed text, gives a tree.
import { Lexer, type Token, type Tokens } from 'marked';

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

export type TableAlign = 'left' | 'center' | 'right' | null;

export type Block =
  | { kind: 'heading'; level: number; inline: Inline[] }
  | { kind: 'paragraph'; inline: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: ListItem[] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'hr' }
  | { kind: 'table'; align: TableAlign[]; header: Inline[][]; rows: Inline[][][] }
  /** `index` numbers code blocks in document order (nested ones included); `closed` is false while streaming. */
  | { kind: 'code'; lang: string; text: string; closed: boolean; index: number };

/**
 * marked recurses once per nested quote or list, so thousands of `> ` overflow the stack. Container markers past
 * this depth are escaped before lexing: deeper nesting reads as text.
 */
const MAX_DEPTH = 8;
const CONTAINER = /^( {0,3}(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+))/;

function boundNesting(text: string): string {
  if (!/(?:>|[-*+]|\d[.)])[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])/.test(text)) return text;
  return text
    .split('\n')
    .map((line) => {
      let rest = line;
      let depth = 0;
      let kept = '';
      for (let m = CONTAINER.exec(rest); m && depth < MAX_DEPTH; m = CONTAINER.exec(rest), depth++) {
        kept += m[1];
        rest = rest.slice(m[1]!.length);
      }
      return depth < MAX_DEPTH || !CONTAINER.test(rest) ? line : `${kept}\\${rest}`;
    })
    .join('\n');
}

export function parseMarkdown(text: string): Block[] {
  const source = text.replace(/\r\n?/g, '\n');
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(boundNesting(source));
  } catch {
    return source.trim() ? [{ kind: 'paragraph', inline: [{ kind: 'text', text: source }] }] : [];
  }
  return toBlocks(tokens, { next: 0 });
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

function toBlocks(tokens: readonly Token[], counter: { next: number }): Block[] {
  const out: Block[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'def':
        break;
      case 'heading':
        out.push({ kind: 'heading', level: (t as Tokens.Heading).depth, inline: toInline((t as Tokens.Heading).tokens) });
        break;
      case 'paragraph':
      case 'text': {
        const inner = (t as Tokens.Paragraph | Tokens.Text).tokens;
        const inline = inner ? toInline(inner) : plain((t as Tokens.Text).text);
        // A tight list item's text and the paragraph after it arrive as separate tokens: one paragraph.
        const last = out[out.length - 1];
        if (t.type === 'text' && last?.kind === 'paragraph') last.inline = merge([...last.inline, { kind: 'text', text: '\n' }, ...inline]);
        else out.push({ kind: 'paragraph', inline });
        break;
      }
      case 'hr':
        out.push({ kind: 'hr' });
        break;
      case 'blockquote':
        out.push({ kind: 'quote', blocks: toBlocks((t as Tokens.Blockquote).tokens, counter) });
        break;
      case 'list': {
        const l = t as Tokens.List;
        const start = typeof l.start === 'number' ? l.start : 1;
        out.push({ kind: 'list', ordered: l.ordered, start, items: l.items.map((i) => ({ blocks: toBlocks(i.tokens, counter) })) });
        break;
      }
      case 'code': {
        const c = t as Tokens.Code;
        out.push({ kind: 'code', lang: (c.lang ?? '').split(/\s/)[0]!, text: c.text, closed: fenceClosed(c), index: counter.next++ });
        break;
      }
      case 'table': {
        const tb = t as Tokens.Table;
        out.push({
          kind: 'table',
          align: tb.align.map((a) => a ?? null),
          header: tb.header.map((cell) => toInline(cell.tokens)),
          rows: tb.rows.map((row) => row.map((cell) => toInline(cell.tokens))),
        });
        break;
      }
      default: {
        // HTML blocks (and anything newer marked may add) are shown as the text the model wrote.
        const raw = (t as { raw?: string }).raw?.replace(/\n+$/, '') ?? '';
        if (raw.trim()) out.push({ kind: 'paragraph', inline: plain(raw) });
      }
    }
  }
  return out;
}

/** An indented block is complete as lexed; a fenced one only once its closing fence has arrived. */
function fenceClosed(c: Tokens.Code): boolean {
  if (c.codeBlockStyle === 'indented') return true;
  const lines = c.raw.replace(/\n+$/, '').split('\n');
  const open = /^\s*(`{3,}|~{3,})/.exec(lines[0] ?? '')?.[1];
  const close = /^\s*(`{3,}|~{3,})[ \t]*$/.exec(lines.length > 1 ? lines[lines.length - 1]! : '')?.[1];
  return !!open && !!close && close[0] === open[0] && close.length >= open.length;
}

const plain = (text: string): Inline[] => (text ? [{ kind: 'text', text }] : []);

function toInline(tokens: readonly Token[] | undefined): Inline[] {
  const out: Inline[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text':
      case 'escape': {
        const inner = (t as Tokens.Text).tokens;
        out.push(...(inner ? toInline(inner) : plain((t as Tokens.Text).text)));
        break;
      }
      case 'codespan':
        out.push({ kind: 'code', text: (t as Tokens.Codespan).text });
        break;
      case 'strong':
        out.push({ kind: 'strong', children: toInline((t as Tokens.Strong).tokens) });
        break;
      case 'em':
        out.push({ kind: 'em', children: toInline((t as Tokens.Em).tokens) });
        break;
      case 'del':
        out.push(...toInline((t as Tokens.Del).tokens));
        break;
      case 'br':
        out.push({ kind: 'text', text: '\n' });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const href = safeHref(l.href);
        const children = toInline(l.tokens);
        if (href) out.push({ kind: 'link', href, children });
        else out.push(...children);
        break;
      }
      case 'image':
        out.push(...plain((t as Tokens.Image).text));
        break;
      default:
        // Inline HTML and anything unknown: the raw text, never markup.
        out.push(...plain((t as { raw?: string }).raw ?? ''));
    }
  }
  return merge(out);
}

/** Adjacent text nodes become one, as a reader sees them. */
function merge(nodes: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.kind === 'text' && last?.kind === 'text') last.text += n.text;
    else out.push(n.kind === 'text' ? { ...n } : n);
  }
  return out;
}

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

/** Inline markdown of one line (a heading, a table cell, a chip), with the same rules as the blocks. */
export function parseInline(text: string): Inline[] {
  try {
    return toInline(new Lexer({ gfm: true }).inlineTokens(text));
  } catch {
    return plain(text);
  }
}

/** The plain text of inline nodes (link labels included), e.g. for a heading's accessible name. */
export function inlineText(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : inlineText(n.children))).join('');
}
