// Markdown tree → DOM with createElement/textContent only: model text never reaches innerHTML, links are http(s)
// only (the parser drops other schemes) and open through the host.
import type { Block, Inline } from '../../src/core/router/markdown';

export interface CodeActions {
  /** Whether code blocks get Insert / Apply (the task has a source document and has finished). */
  canEdit: boolean;
  /** Whether actions are enabled at all (the answer is final). */
  final: boolean;
  onAction(action: 'copy' | 'insert' | 'apply', index: number): void;
  onLink(href: string): void;
}

type Child = Node | string | false | undefined;

export function h(tag: string, props: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== false && c !== undefined) el.append(c);
  return el;
}

export function renderInline(nodes: readonly Inline[], actions: CodeActions): Node[] {
  return nodes.map((n) => {
    switch (n.kind) {
      case 'text':
        return document.createTextNode(n.text);
      case 'code':
        return h('code', {}, n.text);
      case 'strong':
        return h('strong', {}, ...renderInline(n.children, actions));
      case 'em':
        return h('em', {}, ...renderInline(n.children, actions));
      case 'link': {
        const a = h('a', { href: n.href, title: n.href, rel: 'noreferrer' }, ...renderInline(n.children, actions));
        a.addEventListener('click', (e) => {
          e.preventDefault();
          actions.onLink(n.href);
        });
        return a;
      }
    }
  });
}

export function renderBlock(b: Block, actions: CodeActions): HTMLElement {
  switch (b.kind) {
    case 'heading':
      return h(`h${Math.min(6, Math.max(1, b.level + 1))}`, { class: 'md-heading' }, ...renderInline(b.inline, actions));
    case 'paragraph':
      return h('p', {}, ...renderInline(b.inline, actions));
    case 'hr':
      return h('hr');
    case 'quote':
      return h('blockquote', {}, ...b.blocks.map((x) => renderBlock(x, actions)));
    case 'list': {
      const list = h(b.ordered ? 'ol' : 'ul', b.ordered && b.start !== 1 ? { start: String(b.start) } : {});
      for (const item of b.items) {
        // A tight item (one paragraph) renders without <p> margins.
        const only = item.blocks.length === 1 && item.blocks[0]!.kind === 'paragraph' ? item.blocks[0] : undefined;
        list.append(h('li', {}, ...(only?.kind === 'paragraph' ? renderInline(only.inline, actions) : item.blocks.map((x) => renderBlock(x, actions)))));
      }
      return list;
    }
    case 'table': {
      const cell = (tag: 'th' | 'td', inline: Parameters<typeof renderInline>[0], i: number) =>
        // The CSP allows no inline styles: alignment is a class.
        h(tag, b.align[i] ? { class: `align-${b.align[i]}` } : {}, ...renderInline(inline, actions));
      return h(
        'div',
        { class: 'md-table' },
        h('table', {}, h('thead', {}, h('tr', {}, ...b.header.map((c, i) => cell('th', c, i)))), h('tbody', {}, ...b.rows.map((r) => h('tr', {}, ...r.map((c, i) => cell('td', c, i)))))),
      );
    }
    case 'code':
      return renderCode(b, actions);
  }
}

function renderCode(b: Extract<Block, { kind: 'code' }>, actions: CodeActions): HTMLElement {
  const ready = b.closed && actions.final;
  const button = (label: string, action: 'copy' | 'insert' | 'apply', title: string, enabled: boolean): HTMLElement => {
    const el = h('button', { type: 'button', class: `secondary code-${action}`, title, ...(enabled ? {} : { disabled: '' }) }, label);
    el.addEventListener('click', () => actions.onAction(action, b.index));
    return el;
  };
  const tools = h(
    'div',
    { class: 'code-tools' },
    h('span', { class: 'lang' }, b.lang || 'text'),
    button('Copy', 'copy', 'Copy the code to the clipboard', b.closed),
    button('Insert', 'insert', 'Insert the code at the cursor in the editor', ready && actions.canEdit),
    button('Apply as diff', 'apply', 'Show a diff of the file with the selection replaced by this code', ready && actions.canEdit),
  );
  return h('div', { class: `code-block${b.closed ? '' : ' streaming'}`, 'data-block': String(b.index) }, tools, h('pre', {}, h('code', { class: b.lang ? `lang-${b.lang}` : undefined }, b.text)));
}

/**
 * One answer's blocks in one element, re-rendered per frame of a stream: the blocks that did not change since the
 * last frame keep their elements (a half-read code block does not flicker or lose its selection), only the rest is
 * redrawn. A block's key includes `variant`, so a block redraws when its actions change (the answer turned final).
 */
export class StreamingMarkdown {
  private rendered: Array<{ key: string; el: HTMLElement }> = [];

  constructor(
    readonly el: HTMLElement,
    /** Adjusts each freshly rendered block before it is shown (e.g. drops actions a view cannot offer). */
    private readonly adjust: (block: HTMLElement) => void = () => undefined,
  ) {}

  update(blocks: readonly Block[], actions: CodeActions, variant: string): void {
    const keys = blocks.map((b) => `${JSON.stringify(b)}|${variant}`);
    let same = 0;
    while (same < keys.length && same < this.rendered.length && this.rendered[same]!.key === keys[same]) same++;
    for (const r of this.rendered.splice(same)) r.el.remove();
    blocks.slice(same).forEach((b, i) => {
      const el = renderBlock(b, actions);
      this.adjust(el);
      this.el.append(el);
      this.rendered.push({ key: keys[same + i]!, el });
    });
  }
}
