/** For each file of a unified diff (git format), the new-side lines it adds and the ones it shows as context. */
export interface DiffFileLines {
  path: string;
  added: Set<number>;
  context: Set<number>;
}

export function parseDiffLines(diff: string): Map<string, DiffFileLines> {
  const files = new Map<string, DiffFileLines>();
  let current: DiffFileLines | undefined;
  let line = 0;
  for (const raw of diff.split('\n')) {
    if (raw.startsWith('+++ ')) {
      const p = raw.slice(4).replace(/\t.*$/, '').replace(/^"|"$/g, '');
      current = p === '/dev/null' ? undefined : { path: p.replace(/^b\//, ''), added: new Set(), context: new Set() };
      if (current) files.set(current.path, current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (!current || raw.startsWith('--- ') || raw.startsWith('diff --git') || raw.startsWith('\\')) continue;
    if (raw.startsWith('+')) current.added.add(line++);
    else if (raw.startsWith(' ')) current.context.add(line++);
  }
  return files;
}

/** Whether `path:line` is a line the diff shows on its new side (added or context): where a review finding may point. */
export function isDiffLine(files: Map<string, DiffFileLines>, path: string, line: number): boolean {
  const f = files.get(path.replace(/^\.?\//, ''));
  return !!f && (f.added.has(line) || f.context.has(line));
}
