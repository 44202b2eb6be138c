// What a unified diff changes: how many files and hunks, how many lines, and whether behaviour changes or only
// names and layout do. A rename touches many lines in many files but every removed line comes back with the same
// shape; a one-line lock change does not. Used for Commit Message and for any task whose context is a diff.

export interface DiffFeatures {
  files: number;
  hunks: number;
  /** Added plus removed lines. */
  changedLines: number;
  /**
   * Share (0..1) of changed lines whose shape — the token sequence with identifiers, string contents and layout
   * abstracted — has no counterpart on the other side: 0 for a pure rename or reformat, 1 for new logic.
   */
  behaviourShare: number;
  /** Share of the changed files that are not code (docs, changelogs, manifests, lock files, config). */
  nonCodeFileShare: number;
  /** Share of the changed files that are tests (test/ or spec/ folders, *.test.*, *_test.go, test_*.py). */
  testFileShare: number;
  /** Share of the non-blank changed lines that are comments only. */
  commentShare: number;
  /** The changed lines themselves (removed and added, markers stripped). */
  changedText: string;
  /**
   * The hunks (context included) with a changed line whose shape has no counterpart on the other side: the code
   * whose behaviour changes, which is what the code features of a diff are measured on. Renames, reformats and
   * comments are left out.
   */
  behaviourText: string;
}

const NON_CODE = /\.(?:md|markdown|rst|txt|json|jsonc|ya?ml|toml|ini|cfg|lock|csv|svg|png|jpe?g|gif|ico|html?|css|scss|xml|env|properties)$|(?:^|\/)(?:LICENSE|CHANGELOG|README|CODEOWNERS|\.gitignore|Dockerfile)[^/]*$/i;

const TEST_FILE = /(?:^|\/)(?:tests?|spec|__tests__)\/|[._-](?:test|spec)s?\.\w+$|_test\.go$|(?:^|\/)test_\w+\.py$|Tests?\.(?:java|kt|cs|swift)$/i;
// A comment-only line in the common syntaxes (//, #, /* … */, * continuation, --, ;, <!-- -->).
const COMMENT_LINE = /^\s*(?:\/\/|#(?![!\[]|include|define|if|endif|pragma)|\/\*|\*|--\s|;|<!--)/;

/** A unified diff: `diff --git` headers, or ---/+++ file headers followed by a hunk. */
export function looksLikeDiff(text: string): boolean {
  return /^diff --git /m.test(text) || /^--- \S.*\n\+\+\+ \S.*\n@@ /m.test(text);
}

// Identifiers become one placeholder, string and number literals another, whitespace goes: what remains is the
// shape of the statement. `calcTotal(inv.lines)` and `invoiceTotal(inv.lines)` share a shape; `Lock()` and
// `RLock()` do too, which is why a shape match still has to agree on the call's role below.
function shape(line: string): string {
  return line
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, 'S')
    .replace(/\b\d[\w.]*\b/g, 'N')
    .replace(/[A-Za-z_$][\w$]*/g, 'I')
    .replace(/\s+/g, '');
}

// Words whose change is a change of behaviour even when the shape is identical (Lock → RLock, < → <= is caught
// by the shape already): synchronisation, ordering and security-relevant calls.
const BEHAVIOUR_WORDS = /\b(?:R?Lock|R?Unlock|lock|unlock|atomic\w*|Acquire|Release|Relaxed|SeqCst|await|async|go|defer|return|throw|break|continue|true|false|null|nil|None|admin|auth\w*|role|scope\w*|permission\w*)\b/g;
const roleWords = (line: string): string => (line.match(BEHAVIOUR_WORDS) ?? []).join(' ');
const BEHAVIOUR_WORD = new RegExp(`^(?:${BEHAVIOUR_WORDS.source.replace(/^\\b\(\?:|\)\\b$/g, '')})$`);

// Tokens of a line with names, strings and numbers abstracted (behaviour words kept); commas and semicolons are
// left out because formatters add and drop them.
const TOKEN = /[A-Za-z_$][\w$]*|\d[\w.]*|(["'`])(?:\\.|(?!\1).)*\1|[^\s,;]/g;
function tokensOf(lines: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines)
    for (const m of line.matchAll(TOKEN)) {
      const t = m[0];
      const k = /^[A-Za-z_$]/.test(t) ? (BEHAVIOUR_WORD.test(t) ? t : 'I') : /^\d/.test(t) ? 'N' : /^["'`]/.test(t) ? 'S' : t;
      out.set(k, (out.get(k) ?? 0) + 1);
    }
  return out;
}

/** Share of tokens, removed plus added, that have no counterpart on the other side: 0 when only layout changed. */
function tokenShare(removed: readonly string[], added: readonly string[]): number {
  const a = tokensOf(removed);
  const b = tokensOf(added);
  let total = 0;
  let unmatched = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? 0;
    const y = b.get(k) ?? 0;
    total += x + y;
    unmatched += Math.abs(x - y);
  }
  return total === 0 ? 0 : unmatched / total;
}

/** Below this token share a diff is layout only (a reformat), whatever its lines look like. */
const LAYOUT_ONLY = 0.02;

export function diffFeatures(diff: string): DiffFeatures {
  const files = new Set<string>();
  let hunks = 0;
  const removed: string[] = [];
  const added: string[] = [];
  // Every line of each hunk (context too, markers stripped), and the hunk each changed line belongs to.
  const hunkText: string[][] = [];
  const removedHunk: number[] = [];
  const addedHunk: number[] = [];
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const m = / b\/(.+)$/.exec(line);
      if (m) files.add(m[1]!);
    } else if (line.startsWith('+++ ')) {
      const name = line.slice(4).replace(/^b\//, '').trim();
      if (name !== '/dev/null') files.add(name);
    } else if (line.startsWith('--- ')) {
      continue;
    } else if (line.startsWith('@@')) {
      hunks++;
      hunkText.push([]);
    } else if (line.startsWith('+')) {
      added.push(line.slice(1));
      addedHunk.push(hunkText.length - 1);
      hunkText[hunkText.length - 1]?.push(line.slice(1));
    } else if (line.startsWith('-')) {
      removed.push(line.slice(1));
      removedHunk.push(hunkText.length - 1);
      hunkText[hunkText.length - 1]?.push(line.slice(1));
    } else if (line.startsWith(' ')) hunkText[hunkText.length - 1]?.push(line.slice(1));
  }
  const key = (l: string): string => `${shape(l)}|${roleWords(l)}`;
  // Comment lines never change behaviour; they count as changed lines but are matched by definition.
  const isCode = (l: string): boolean => l.trim() !== '' && !COMMENT_LINE.test(l);
  const comments = [...removed, ...added].filter((l) => l.trim() && COMMENT_LINE.test(l)).length;
  const pool = new Map<string, number[]>();
  removed.forEach((l, i) => {
    if (isCode(l)) pool.set(key(l), [...(pool.get(key(l)) ?? []), i]);
  });
  const removedMatched = new Set<number>();
  const behaviourLines: string[] = [];
  const behaviourHunks = new Set<number>();
  added.forEach((l, i) => {
    if (!isCode(l)) return;
    const slots = pool.get(key(l));
    if (slots?.length) removedMatched.add(slots.shift()!);
    else {
      behaviourLines.push(l);
      behaviourHunks.add(addedHunk[i]!);
    }
  });
  removed.forEach((l, i) => {
    if (isCode(l) && !removedMatched.has(i)) {
      behaviourLines.push(l);
      behaviourHunks.add(removedHunk[i]!);
    }
  });
  const changed = [...removed, ...added].filter((l) => l.trim()).length;
  const lineShare = changed === 0 ? 0 : behaviourLines.length / changed;
  // A reformat re-wraps lines, so shapes per line differ while the tokens do not: then nothing changes behaviour.
  const tokens = tokenShare(removed.filter(isCode), added.filter(isCode));
  const layoutOnly = tokens < LAYOUT_ONLY;
  const behaviourShare = layoutOnly ? 0 : lineShare;
  const fileList = [...files];
  return {
    files: fileList.length,
    hunks,
    changedLines: added.length + removed.length,
    behaviourShare: Math.round(behaviourShare * 1000) / 1000,
    nonCodeFileShare: fileList.length ? fileList.filter((f) => NON_CODE.test(f)).length / fileList.length : 0,
    testFileShare: fileList.length ? fileList.filter((f) => TEST_FILE.test(f)).length / fileList.length : 0,
    commentShare: changed === 0 ? 0 : Math.round((comments / changed) * 1000) / 1000,
    changedText: [...removed, ...added].join('\n'),
    // A hunk that changes behaviour is read whole, context included: which lock a moved line now holds is in
    // the lines around it. Hunks that only rename, reformat or comment are left out.
    behaviourText: layoutOnly
      ? ''
      : hunkText.length
        ? hunkText.filter((_, h) => behaviourHunks.has(h)).map((l) => l.join('\n')).join('\n')
        : behaviourLines.join('\n'),
  };
}
