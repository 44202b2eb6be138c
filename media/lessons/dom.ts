// Small DOM builders: every string becomes a text node, so lesson text can never turn into markup.
export type Child = Node | string | false | undefined | null;

export function h(tag: string, props: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children) if (c !== false && c !== undefined && c !== null && c !== '') el.append(c);
  return el;
}

export function button(label: string, onClick: () => void, props: Record<string, string | undefined> = {}, ...extra: Child[]): HTMLElement {
  const b = h('button', { type: 'button', ...props }, label, ...extra);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

/**
 * `text` with `[start, end)` ranges wrapped in <mark>. Ranges may arrive unsorted, overlapping or out of bounds
 * (a snippet cut differently than its ranges): they are sorted, clamped and merged first.
 */
export function highlighted(text: string, ranges: readonly (readonly [number, number])[]): Node[] {
  const merged: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const start = Math.max(0, Math.min(a, text.length));
    const end = Math.max(start, Math.min(b, text.length));
    if (end === start) continue;
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const out: Node[] = [];
  let at = 0;
  for (const [start, end] of merged) {
    if (start > at) out.push(document.createTextNode(text.slice(at, start)));
    out.push(h('mark', {}, text.slice(start, end)));
    at = end;
  }
  if (at < text.length) out.push(document.createTextNode(text.slice(at)));
  return out;
}
