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
  /** The changed lines themselves (removed and added, markers stripped), for code features. */
  changedText: string;
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

export function diffFeatures(diff: string): DiffFeatures {
  const files = new Set<string>();
  let hunks = 0;
  const removed: string[] = [];
  const added: string[] = [];
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      const m = / b\/(.+)$/.exec(line);
      if (m) files.add(m[1]!);
    } else if (line.startsWith('+++ ')) {
      const name = line.slice(4).replace(/^b\//, '').trim();
      if (name !== '/dev/null') files.add(name);
    } else if (line.startsWith('--- ')) {
      continue;
    } else if (line.startsWith('@@')) hunks++;
    else if (line.startsWith('+')) added.push(line.slice(1));
    else if (line.startsWith('-')) removed.push(line.slice(1));
  }
  const key = (l: string): string => `${shape(l)}|${roleWords(l)}`;
  const pool = new Map<string, number>();
  // Comment lines never change behaviour; they count as changed lines but are matched by definition.
  let comments = 0;
  for (const l of removed) {
    if (!l.trim()) continue;
    if (COMMENT_LINE.test(l)) comments++;
    else pool.set(key(l), (pool.get(key(l)) ?? 0) + 1);
  }
  let matched = 0;
  let total = 0;
  for (const l of added) {
    if (!l.trim()) continue;
    total++;
    if (COMMENT_LINE.test(l)) {
      comments++;
      matched++;
      continue;
    }
    const k = key(l);
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      pool.set(k, n - 1);
      matched++;
    }
  }
  let unmatchedRemoved = 0;
  for (const n of pool.values()) unmatchedRemoved += n;
  const removedCount = removed.filter((l) => l.trim()).length;
  const changed = total + removedCount;
  const behaviourShare = changed === 0 ? 0 : (total - matched + unmatchedRemoved) / changed;
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
  };
}
