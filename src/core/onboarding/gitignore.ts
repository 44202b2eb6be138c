// What of `.llmgenie/` is this machine's state and what is the team's. State (session logs, exports, caches,
// routing feedback, agent runs, the MCP token) is ignored; the shared files under `.llmgenie/` stay tracked, and
// so do the rules, the manifest, lessons, handoff packages and the decision log, which live outside it.

/** Shared files inside `.llmgenie/` that are meant to be committed. */
export const SHARED_STATE_FILES = ['.llmgenie/policy-baseline.json', '.llmgenie/handoff.json', '.llmgenie/agents/*.md'] as const;

const MARKER = '# llmgenie: local state (session logs, exports, caches, routing feedback); the team files stay tracked';

/** The lines added to `.gitignore`: everything under `.llmgenie/` except the shared files. */
export const LLMGENIE_IGNORE_LINES: readonly string[] = [
  MARKER,
  '.llmgenie/*',
  '!.llmgenie/policy-baseline.json',
  '!.llmgenie/handoff.json',
  '!.llmgenie/agents/',
  '.llmgenie/agents/*',
  '!.llmgenie/agents/*.md',
];

/** One line for the offer and the README: what is ignored and what is committed. */
export const COMMIT_GUIDE =
  'Ignored: session logs, exports, caches, routing feedback, agent runs, the MCP token. Committed: the rules and rules_manifest.json, lessons, handoff packages, the decision log, .llmgenie/policy-baseline.json, .llmgenie/handoff.json and .llmgenie/agents/*.md.';

/**
 * Whether `.gitignore` already deals with `.llmgenie/` state: our block, or any line of the user's own that
 * ignores `.llmgenie` or a part of it (the user chose; we do not ask again).
 */
export function ignoresLlmgenieState(gitignore: string): boolean {
  return gitignore.split(/\r?\n/).some((raw) => {
    const l = raw.trim();
    if (!l || l.startsWith('#') || l.startsWith('!')) return false;
    return /^\/?(?:\*\*\/)?\.llmgenie(?:\/|$)/.test(l);
  });
}

/** `.gitignore` with the block appended (after a blank line), keeping its line endings; unchanged if already there. */
export function withLlmgenieIgnores(gitignore: string): string {
  if (ignoresLlmgenieState(gitignore)) return gitignore;
  const eol = gitignore.includes('\r\n') ? '\r\n' : '\n';
  const head = gitignore.replace(/(\r?\n)+$/, '');
  return `${head ? `${head}${eol}${eol}` : ''}${LLMGENIE_IGNORE_LINES.join(eol)}${eol}`;
}
