// No imports on purpose: the Sessions tree, the dashboard's statistics and the answer view's webview all use it.

/**
 * Where a task ended and how it got there, in the one vocabulary every view uses (answer view, status bar,
 * Sessions tree, dashboard): "Local", "Cloud", "escalated from Local to Cloud", "fell back from Cloud to Local".
 * `side` is who answered (the provider), never the first route: a task that ended on Claude is Cloud.
 */
export function routeStory(p: { route: 'local' | 'cloud'; provider: 'ollama' | 'anthropic'; escalated?: boolean }): { side: 'local' | 'cloud'; text: string; moved: boolean } {
  const side = p.provider === 'ollama' ? 'local' : 'cloud';
  if (side === 'cloud' && (p.escalated || p.route === 'local')) return { side, text: 'escalated from Local to Cloud', moved: true };
  if (side === 'local' && p.route === 'cloud') return { side, text: 'fell back from Cloud to Local', moved: true };
  return { side, text: side === 'local' ? 'Local' : 'Cloud', moved: false };
}
