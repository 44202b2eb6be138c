// The one place picomatch is configured. Rule globs, policy include/exclude lists, protected branches, forbidden
// import specifiers and lesson globs all match alike: dot files and dot folders are matched like any other
// (a rule for `**/*.ts` covers `.github/x.ts`), and a glob that cannot compile matches nothing instead of throwing.
import picomatch from 'picomatch';

export type PathMatcher = (path: string) => boolean;

export interface GlobOptions {
  /** A glob without '/' matches the name in any folder, as in .gitignore (`*.md` matches `docs/a.md`). */
  anywhere?: boolean;
  /** What an empty list matches: nothing (default) or everything (an include list that is not set). */
  whenEmpty?: 'none' | 'all';
}

export function compileGlobs(globs: readonly string[] | undefined, options: GlobOptions = {}): PathMatcher {
  if (!globs?.length) return options.whenEmpty === 'all' ? () => true : () => false;
  // picomatch's own `basename` mode breaks globs with slashes, hence the explicit `**/` prefix.
  const list = options.anywhere ? globs.map((g) => (g.includes('/') ? g : `**/${g}`)) : [...globs];
  try {
    return picomatch(list, { dot: true });
  } catch {
    return () => false;
  }
}

/** Included by `globs` (everything when unset) and not by `exclude`. */
export function includeExclude(globs: readonly string[] | undefined, exclude: readonly string[] | undefined): PathMatcher {
  const inc = compileGlobs(globs, { whenEmpty: 'all' });
  const exc = compileGlobs(exclude);
  return (p) => inc(p) && !exc(p);
}

/** picomatch's own complaint about a glob, or undefined when it compiles. */
export function globSyntaxError(glob: string): string | undefined {
  try {
    picomatch.makeRe(glob);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
