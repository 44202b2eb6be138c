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

/** `#rrggbb` (or any CSS colour the canvas accepts) at a given opacity, for bar fills under a solid border. */
export function withAlpha(colour: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(colour);
  if (!m) return colour;
  return `#${m[1]}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}
