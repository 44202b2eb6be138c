/** Chart colours and fonts from the editor theme's `--vscode-*` variables, re-read when the theme changes. */
export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
  green: string;
  blue: string;
  orange: string;
  red: string;
  yellow: string;
  purple: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function readTheme(): Theme {
  const dark = !document.body.classList.contains('vscode-light');
  return {
    foreground: cssVar('--vscode-foreground', dark ? '#cccccc' : '#3b3b3b'),
    muted: cssVar('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', dark ? '#454545' : '#c8c8c8')),
    fontFamily: cssVar('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.parseFloat(cssVar('--vscode-font-size', '13')) || 13,
    green: cssVar('--vscode-charts-green', '#89d185'),
    blue: cssVar('--vscode-charts-blue', '#3794ff'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    red: cssVar('--vscode-charts-red', '#f14c4c'),
    yellow: cssVar('--vscode-charts-yellow', '#cca700'),
    purple: cssVar('--vscode-charts-purple', '#b180d7'),
  };
}

/**
 * A theme colour at the given opacity. Theme colours come as `#rgb`, `#rrggbb`, `#rrggbbaa` or `rgba(…)`, and some
 * are translucent already (Dark Modern's charts.orange is `rgba(234, 92, 0, 0.33)`): the alpha is replaced, not
 * multiplied, so every series is equally solid on every theme. Anything else is returned unchanged.
 */
export function withAlpha(colour: string, alpha: number): string {
  const c = colour.trim();
  let rgb: number[] | undefined;
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(c);
  if (hex) {
    const h = hex[1].length <= 4 ? [...hex[1]].map((x) => x + x).join('') : hex[1];
    rgb = [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
  }
  const fn = /^rgba?\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})(?:[\s,/]+[\d.]+%?)?\s*\)$/i.exec(c);
  if (fn) rgb = [fn[1], fn[2], fn[3]].map(Number);
  if (!rgb) return colour;
  const a = Math.min(1, Math.max(0, alpha));
  return `rgba(${rgb.join(', ')}, ${Number(a.toFixed(3))})`;
}
