import { nodeGitRunner, type GitRunner } from '../platform/git';

export interface GitChanges {
  /** False when `cwd` is not a git work tree or git is missing; `error` says why. */
  readonly available: boolean;
  readonly error?: string;
  /** Undefined when detached or before the first commit. */
  readonly branch?: string;
  readonly user?: string;
  /** Existing files changed, staged, untracked, or (with `base`) committed since `base`; relative to `cwd`, sorted. */
  readonly files: readonly string[];
}

function tokens(out: string): string[] {
  return out.split('\0').filter((t) => t.length > 0);
}

/** `git status --porcelain=v1 -z`: "XY path\0" entries, renames/copies followed by the source path. */
export function parsePorcelainZ(out: string): { present: string[]; deleted: string[] } {
  const t = tokens(out);
  const present: string[] = [];
  const deleted: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const entry = t[i];
    if (entry.length < 4) continue;
    const xy = entry.slice(0, 2);
    const path = entry.slice(3);
    if (xy[0] === 'R' || xy[0] === 'C') i++;
    if (xy.includes('D')) deleted.push(path);
    else if (xy !== '!!') present.push(path);
  }
  return { present, deleted };
}

async function optional(runner: GitRunner, args: string[], cwd: string): Promise<string | undefined> {
  try {
    return (await runner(args, cwd)).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What this work touched according to git: uncommitted changes (`git status --porcelain`) plus, when `base` is
 * given, files committed since it (`git diff --name-only base...HEAD`). Deleted files are left out, since a
 * handoff may only list files that exist.
 */
export async function collectGitChanges(
  cwd: string,
  runner: GitRunner = nodeGitRunner,
  options: { base?: string } = {},
): Promise<GitChanges> {
  let status: string;
  try {
    status = await runner(['status', '--porcelain=v1', '-z', '--untracked-files=all'], cwd);
  } catch (e) {
    return { available: false, error: (e as Error).message, files: [] };
  }
  const { present, deleted } = parsePorcelainZ(status);
  const files = new Set(present);
  if (options.base) {
    const diff = await runner(['diff', '--name-only', '-z', '--diff-filter=d', `${options.base}...HEAD`], cwd);
    for (const f of tokens(diff)) files.add(f);
  }
  for (const f of deleted) files.delete(f);

  // Both commands print paths from the repository root; keep those under cwd, relative to it.
  const prefix = (await optional(runner, ['rev-parse', '--show-prefix'], cwd)) ?? '';
  const relative = [...files]
    .filter((f) => f.startsWith(prefix))
    .map((f) => f.slice(prefix.length))
    .filter((f) => f && !f.endsWith('/'))
    .sort();

  const branch = await optional(runner, ['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
  const user = await optional(runner, ['config', 'user.name'], cwd);
  return {
    available: true,
    ...(branch && branch !== 'HEAD' ? { branch } : {}),
    ...(user ? { user } : {}),
    files: relative,
  };
}
