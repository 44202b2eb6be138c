// Inline SVG built through the DOM (the CSP allows no inline markup or styles); colours come from CSS classes.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, ...children: SVGElement[]): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

const RADIUS = 40;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** The score as a ring filled to `score`%, green when the package passes and red when it fails. */
export function ring(score: number, passed: boolean): HTMLElement {
  const filled = (Math.max(0, Math.min(100, score)) / 100) * CIRCUMFERENCE;
  const wrap = document.createElement('div');
  wrap.className = `score-ring ${passed ? 'pass' : 'fail'}`;
  wrap.setAttribute('role', 'img');
  wrap.setAttribute('aria-label', `Score ${score} of 100, ${passed ? 'passed' : 'failed'}`);
  wrap.append(
    svg(
      'svg',
      { viewBox: '0 0 100 100', width: 104, height: 104, 'aria-hidden': 'true' },
      svg('circle', { class: 'track', cx: 50, cy: 50, r: RADIUS, fill: 'none', 'stroke-width': 9 }),
      svg('circle', {
        class: 'value',
        cx: 50,
        cy: 50,
        r: RADIUS,
        fill: 'none',
        'stroke-width': 9,
        'stroke-linecap': score > 0 && score < 100 ? 'round' : 'butt',
        'stroke-dasharray': `${filled} ${CIRCUMFERENCE}`,
        transform: 'rotate(-90 50 50)',
      }),
    ),
  );
  const label = document.createElement('div');
  label.className = 'score-label';
  const value = document.createElement('span');
  value.className = 'score-value';
  value.textContent = String(score);
  const of = document.createElement('span');
  of.className = 'score-of';
  of.textContent = '/100';
  label.append(value, of);
  wrap.append(label);
  return wrap;
}

export type IconKind = 'error' | 'warning' | 'pass';

/** 16px severity icons in the spirit of the editor's codicons. */
export function icon(kind: IconKind): SVGElement {
  const parts: Record<IconKind, SVGElement[]> = {
    error: [
      svg('circle', { cx: 8, cy: 8, r: 6.25, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }),
      svg('path', { d: 'M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8', stroke: 'currentColor', 'stroke-width': 1.5, 'stroke-linecap': 'round' }),
    ],
    warning: [
      svg('path', { d: 'M8 1.8l6.6 11.7H1.4z', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4, 'stroke-linejoin': 'round' }),
      svg('path', { d: 'M8 6v3.6', stroke: 'currentColor', 'stroke-width': 1.5, 'stroke-linecap': 'round' }),
      svg('circle', { cx: 8, cy: 11.6, r: 0.9, fill: 'currentColor' }),
    ],
    pass: [
      svg('circle', { cx: 8, cy: 8, r: 6.25, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5 }),
      svg('path', { d: 'M5.2 8.3l1.9 1.9 3.8-4', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.5, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }),
    ],
  };
  return svg('svg', { class: `icon ${kind}`, viewBox: '0 0 16 16', width: 16, height: 16, 'aria-label': kind, role: 'img' }, ...parts[kind]);
}
