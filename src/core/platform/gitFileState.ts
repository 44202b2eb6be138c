// What git holds of one file, so a delete dialog can say what will really happen instead of promising a history
// that may not exist.
import type { GitRunner } from './git';

export type GitFileState =
  /** Committed and unchanged: git can restore it exactly. */
  | 'committed'
  /** Committed, but edited since: git restores the last commit, not these edits. */
  | 'modified'
  /** Never committed (untracked or only staged): deleting it loses it. */
  | 'uncommitted'
  /** Not in a git repository, or git is not installed. */
  | 'no-git';

export async function gitFileState(git: GitRunner, root: string, file: string): Promise<GitFileState> {
  try {
    await git(['rev-parse', '--is-inside-work-tree'], root);
  } catch {
    return 'no-git';
  }
  try {
    await git(['cat-file', '-e', `HEAD:./${file}`], root);
  } catch {
    return 'uncommitted';
  }
  const status = await git(['status', '--porcelain', '--', file], root).catch(() => '');
  return status.trim() ? 'modified' : 'committed';
}

/** The delete dialog's detail line for `file` in that state. */
export function deleteConsequence(state: GitFileState, file: string): string {
  switch (state) {
    case 'committed':
      return `${file} will be deleted. It is committed in git, so "git restore ${file}" (or Undo here) brings it back.`;
    case 'modified':
      return `${file} will be deleted. Git has only its last committed version: your edits since then are lost unless you choose Undo right after.`;
    case 'uncommitted':
      return `${file} was never committed to git: once deleted it is gone for good (Undo right after restores it).`;
    case 'no-git':
      return `${file} is not in a git repository: once deleted it is gone for good (Undo right after restores it).`;
  }
}
