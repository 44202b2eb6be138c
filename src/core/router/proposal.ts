// "Apply as diff": the document with the task's selection replaced by a code block from the answer. Models drop the
// selection's indentation and trailing newline, so the block is fitted back to where it goes.

export interface Replacement {
  start: number;
  end: number;
  text: string;
}

export type ProposalResult = { ok: true; replacement: Replacement; proposed: string } | { ok: false; reason: string };

/**
 * Where the original selection is now: at its recorded offsets when the text there is unchanged, else its one
 * occurrence in the document. Undefined when it was edited away or occurs more than once (ambiguous).
 */
export function locateOriginal(doc: string, original: string, at: { start: number; end: number }): { start: number; end: number } | undefined {
  if (doc.slice(at.start, at.end) === original) return { start: at.start, end: at.end };
  if (!original) return undefined;
  const first = doc.indexOf(original);
  if (first === -1 || doc.indexOf(original, first + 1) !== -1) return undefined;
  return { start: first, end: first + original.length };
}

/**
 * The replacement for a selection (or for the whole document when the task was about the file). `linePrefix` is
 * the document text between the start of the selection's first line and the selection. Models return code flush
 * left and without the trailing newline, so: a selection of whole lines gets its first line's indentation back on
 * every line; a selection starting mid-line keeps the document's prefix (the first line is not re-indented) and
 * its later lines get the selection's own indentation back. Code that already carries indentation is kept as is.
 */
export function fitCode(code: string, original: string, linePrefix: string): string {
  const lines = code.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const origLines = original.split('\n');
  let out: string[];
  if (linePrefix === '') {
    const base = indentOf(origLines.find((l) => l.trim()) ?? '');
    out = base && minIndent(lines) === 0 ? lines.map((l) => (l.trim() ? base + l : l)) : lines;
  } else {
    const laterOrig = origLines.slice(1).filter((l) => l.trim());
    const base = laterOrig.length ? laterOrig.reduce((a, l) => (indentOf(l).length < a.length ? indentOf(l) : a), indentOf(laterOrig[0]!)) : indentOf(linePrefix);
    const later = lines.slice(1);
    const reindent = base !== '' && later.some((l) => l.trim()) && minIndent(later) === 0;
    out = [lines[0]!.trimStart(), ...later.map((l) => (reindent && l.trim() ? base + l : l))];
  }
  const text = out.join('\n');
  return original.endsWith('\n') ? `${text}\n` : text;
}

const indentOf = (l: string): string => /^[ \t]*/.exec(l)![0];
function minIndent(lines: readonly string[]): number {
  const nonBlank = lines.filter((l) => l.trim());
  return nonBlank.length ? Math.min(...nonBlank.map((l) => indentOf(l).length)) : 0;
}

/**
 * The proposed document: `doc` with `original` (recorded at `at`) replaced by `code`. `scope: 'file'` replaces the
 * whole document. Fails with a reason when the selection can no longer be found.
 */
export function proposeReplacement(doc: string, original: string, at: { start: number; end: number }, code: string, scope: 'selection' | 'file'): ProposalResult {
  if (!code.trim()) return { ok: false, reason: 'the code block is empty' };
  if (scope === 'file') {
    const text = fitCode(code, doc, '');
    const replacement = { start: 0, end: doc.length, text: doc.endsWith('\n') || !doc ? ensureNewline(text) : text };
    return { ok: true, replacement, proposed: replacement.text };
  }
  const where = locateOriginal(doc, original, at);
  if (!where) return { ok: false, reason: 'the selected code changed since the task ran; select it again and rerun' };
  const lineStart = where.start === 0 ? 0 : doc.lastIndexOf('\n', where.start - 1) + 1;
  const text = fitCode(code, original, doc.slice(lineStart, where.start));
  const replacement = { start: where.start, end: where.end, text };
  return { ok: true, replacement, proposed: doc.slice(0, where.start) + text + doc.slice(where.end) };
}

function ensureNewline(s: string): string {
  return s.endsWith('\n') ? s : `${s}\n`;
}
