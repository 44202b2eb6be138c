import { compileGlobs, globSyntaxError } from '../platform/glob';

/**
 * Real rule files write globs as a YAML list, a flow list, a quoted string, or an unquoted comma-separated
 * string (`**\/*.ts, **\/*.tsx`). Commas inside braces (`*.{ts,tsx}`) belong to the glob.
 */
export function splitGlobList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out.map(unquote).filter((g) => g.length > 0);
}

export function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) return t.slice(1, -1).trim();
  return t;
}

/** Returns why a glob cannot work, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (!glob.trim()) return 'empty glob';
  if (glob.includes('\\')) return `glob "${glob}" uses "\\"; use "/" as the path separator`;
  if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob)) return `glob "${glob}" is absolute; globs are relative to the workspace`;
  if (balance(glob, '{', '}') !== 0) return `glob "${glob}" has unbalanced braces`;
  if (balance(glob, '[', ']') !== 0) return `glob "${glob}" has unbalanced brackets`;
  if (balance(glob, '(', ')') !== 0) return `glob "${glob}" has unbalanced parentheses`;
  const error = globSyntaxError(glob);
  return error ? `glob "${glob}" is invalid: ${error}` : undefined;
}

function balance(s: string, open: string, close: string): number {
  let n = 0;
  for (const ch of s) {
    if (ch === open) n++;
    else if (ch === close && --n < 0) return -1;
  }
  return n;
}

/** A matcher for a rule's globs against workspace-relative '/' paths. */
export function globMatcher(globs: readonly string[]): (relPath: string) => boolean {
  return compileGlobs(globs.filter((g) => !globProblem(g)));
}
