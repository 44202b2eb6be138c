/**
 * Which folder of a multi-root workspace a path belongs to. Roots and paths are absolute; either separator is
 * accepted, so Windows paths from the editor compare with the '/'-separated roots the core keeps.
 */

/** An absolute path '/'-separated, without a trailing slash (a filesystem root keeps its one). */
export const posixPath = (p: string): string => p.replace(/\\/g, '/').replace(/(.)\/+$/, '$1');

/** The root holding `path` (a file under it or the root itself), the innermost when roots nest; else undefined. */
export function folderHolding(roots: readonly string[], path: string): string | undefined {
  const p = posixPath(path);
  let best: string | undefined;
  for (const root of roots) {
    const r = posixPath(root);
    const holds = p === r || p.startsWith(r.endsWith('/') ? r : `${r}/`);
    if (holds && (best === undefined || r.length > posixPath(best).length)) best = root;
  }
  return best;
}

/**
 * The folder a workspace record about `path` belongs in: the one holding it, else the first folder (a task on
 * an untitled buffer or a file outside every folder is still the workspace's). Undefined without folders.
 */
export function folderForRecord(roots: readonly string[], path: string | undefined): string | undefined {
  return (path === undefined ? undefined : folderHolding(roots, path)) ?? roots[0];
}
