// What the editor commands send to the router: a prompt from a per-command template, the selection (or a window of
// the file around the cursor) as context, and the file's name and language. Editor-free so it is unit tested.
import type { TaskInput } from './runTask';

export type EditorCommand = 'explain' | 'refactor' | 'tests' | 'review' | 'ask' | 'commit';

/** Titles as the user sees them in the palette, the results header and the status-bar tooltip. */
export const EDITOR_COMMAND_TITLES: Record<EditorCommand, string> = {
  explain: 'Explain',
  refactor: 'Refactor',
  tests: 'Write Tests',
  review: 'Review',
  ask: 'Ask',
  commit: 'Commit Message',
};

export interface EditorSource {
  /** Workspace-relative path ('/'-separated), or the document's name when it has no file. */
  fileName: string;
  /** VS Code language id. */
  languageId: string;
  /** The whole document text. */
  text: string;
  /** The selection as offsets into `text`; empty (start === end) means "the file". */
  selection: { start: number; end: number };
  /** Offset of the cursor, used to centre the window when the file is too large to send whole. */
  cursor?: number;
}

export interface EditorTask {
  input: TaskInput;
  /** Human label of what was sent, e.g. "src/billing.ts:3–7" or "src/billing.ts (whole file)". */
  label: string;
  /** Whether the context is the selection (code blocks can then replace it) or the file. */
  scope: 'selection' | 'file';
  /** Set when the context had to be cut to `maxContextChars`. */
  truncated?: string;
}

const PROMPTS: Record<Exclude<EditorCommand, 'ask' | 'commit'>, (what: string) => string> = {
  explain: (what) => `Explain ${what}.`,
  refactor: (what) => `Refactor ${what}. Keep its behaviour and public interface.`,
  tests: (what) => `Write unit tests for ${what}.`,
  review: (what) => `Review ${what}.`,
};

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Builds the task for an editor command. `question` is the user's text for Ask… (required) and an optional
 * instruction for Refactor ("extract a helper"). A selection larger than `maxContextChars`, or a whole file that
 * is, is cut to a window of whole lines (around the cursor for a file) and the prompt says which lines were sent.
 */
export function buildEditorTask(command: Exclude<EditorCommand, 'commit'>, source: EditorSource, options: { question?: string; maxContextChars: number }): EditorTask {
  const { text, fileName } = source;
  const start = Math.max(0, Math.min(source.selection.start, source.selection.end, text.length));
  const end = Math.min(text.length, Math.max(source.selection.start, source.selection.end));
  const selected = end > start && text.slice(start, end).trim() !== '';
  const scope: EditorTask['scope'] = selected ? 'selection' : 'file';

  let context: string;
  let firstLine: number;
  let truncated: string | undefined;
  if (selected) {
    context = text.slice(start, end);
    firstLine = lineAt(text, start);
    if (context.length > options.maxContextChars) {
      context = cutAtLine(context, options.maxContextChars);
      truncated = `selection cut to its first ${countLines(context)} lines`;
    }
  } else {
    const w = fileWindow(text, source.cursor ?? 0, options.maxContextChars);
    context = w.text;
    firstLine = w.startLine;
    if (w.truncated) truncated = `file too large: sent lines ${w.startLine}–${w.endLine} of ${countLines(text)}`;
  }
  const lastLine = firstLine + countLines(context) - 1;
  const range = firstLine === lastLine ? `${firstLine}` : `${firstLine}–${lastLine}`;
  const label = scope === 'selection' || truncated ? `${fileName}:${range}` : `${fileName} (whole file)`;
  const what =
    scope === 'selection'
      ? `this code from ${fileName} (lines ${range})`
      : truncated
        ? `this part of ${fileName} (lines ${range}; the file is longer)`
        : `the file ${fileName}`;

  const question = options.question?.trim();
  let prompt: string;
  if (command === 'ask') prompt = question ? `${question}\n\n(About ${what}.)` : `Answer questions about ${what}.`;
  else if (command === 'refactor' && question) prompt = `${PROMPTS.refactor(what)} Specifically: ${question}`;
  else prompt = PROMPTS[command](what);

  return {
    input: { prompt, context, fileName, language: source.languageId, command, files: [fileName] },
    label,
    scope,
    ...(truncated ? { truncated } : {}),
  };
}

/** The commit-message task for a staged diff; large diffs are cut at a file boundary when one fits. */
export function buildCommitTask(diff: string, options: { maxContextChars: number; files?: string[] }): EditorTask {
  let context = diff;
  let truncated: string | undefined;
  if (diff.length > options.maxContextChars) {
    const head = diff.slice(0, options.maxContextChars);
    const boundary = head.lastIndexOf('\ndiff --git ');
    context = boundary > options.maxContextChars / 2 ? head.slice(0, boundary) : cutAtLine(head, options.maxContextChars);
    truncated = `diff cut to ${context.length} of ${diff.length} characters`;
  }
  const files = options.files ?? [...diff.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]!);
  const note = truncated ? ' The diff was cut to fit; the files it does not show changed too.' : '';
  return {
    input: { prompt: `Write a commit message for this staged change.${note}`, context, language: 'diff', command: 'commit', ...(files.length ? { files } : {}) },
    label: `staged changes (${files.length} file${files.length === 1 ? '' : 's'})`,
    scope: 'file',
    ...(truncated ? { truncated } : {}),
  };
}

/** A model's reply as a commit message: no surrounding fence, no "Commit message:" label, no trailing blanks. */
export function cleanCommitMessage(answer: string): string {
  let t = answer.replace(/\r\n?/g, '\n').trim();
  const fenced = /^(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\1\s*$/.exec(t);
  if (fenced) t = fenced[2]!.trim();
  t = t.replace(/^(?:\*\*)?(?:suggested\s+)?commit message(?:\*\*)?\s*:?(?:\*\*)?\s*\n+/i, '').trim();
  if (/^(`{3,}|~{3,})/.test(t)) return cleanCommitMessage(t);
  return t.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n');
}

export interface FileWindow {
  text: string;
  startLine: number;
  endLine: number;
  truncated: boolean;
}

/** Whole lines around the cursor's line within `maxChars` (the whole text when it fits). */
export function fileWindow(text: string, cursor: number, maxChars: number): FileWindow {
  const lines = text.split('\n');
  if (text.length <= maxChars) return { text, startLine: 1, endLine: lines.length, truncated: false };
  const at = Math.min(lineAt(text, cursor), lines.length) - 1;
  let lo = at;
  let hi = at;
  let size = Math.min(lines[at]!.length, maxChars);
  // Grow both ways, a line at a time, so the cursor stays near the middle.
  for (let grew = true; grew; ) {
    grew = false;
    if (hi + 1 < lines.length && size + lines[hi + 1]!.length + 1 <= maxChars) {
      size += lines[++hi]!.length + 1;
      grew = true;
    }
    if (lo > 0 && size + lines[lo - 1]!.length + 1 <= maxChars) {
      size += lines[--lo]!.length + 1;
      grew = true;
    }
  }
  const window = lines.slice(lo, hi + 1).join('\n');
  return { text: window.length > maxChars ? window.slice(0, maxChars) : window, startLine: lo + 1, endLine: hi + 1, truncated: true };
}

function cutAtLine(text: string, maxChars: number): string {
  const head = text.slice(0, maxChars);
  const nl = head.lastIndexOf('\n');
  return nl > 0 ? head.slice(0, nl) : head;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/**
 * Characters of context that fit a model window beside the system prompt and the answer: ~3 characters per token
 * (code tokenises denser than prose), at least 4 000 so a small window still gets a useful selection.
 */
export function contextCharBudget(contextTokens: number, maxOutputTokens: number): number {
  return Math.max(4000, Math.floor((contextTokens - maxOutputTokens - 600) * 3));
}
