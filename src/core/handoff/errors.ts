/** Why a path or text could not be read as a handoff package at all (as opposed to a package with gaps). */
export type HandoffReadErrorCode =
  | 'not-found'
  | 'no-handoff-file'
  | 'not-a-handoff'
  | 'binary'
  | 'too-large'
  | 'malformed-front-matter'
  | 'unreadable';

/**
 * Unreadable input never gets a score: callers show `message` (always one line) and exit 2 / show an error state.
 * `line` is 1-based when the problem has a place in the file (malformed front matter).
 */
export class HandoffReadError extends Error {
  override readonly name = 'HandoffReadError';
  constructor(
    readonly code: HandoffReadErrorCode,
    message: string,
    readonly path?: string,
    readonly line?: number,
  ) {
    super(oneLine(message));
  }
}

/** `.llmgenie/handoff.json` exists but is not valid; one line, naming the first offending key. */
export class HandoffConfigError extends Error {
  override readonly name = 'HandoffConfigError';
  constructor(message: string) {
    super(oneLine(message));
  }
}

export function oneLine(text: string): string {
  const first = text.split(/\r?\n/).find((l) => l.trim()) ?? text;
  return first.trim();
}
