// What the editor commands send to the router: a prompt from a per-command template, the user's own instruction,
// the selection (or the whole file) as context, and the file's name and language. Editor-free so it is unit tested.
import { countLines, lineAt } from './budget';
import { commitMessageFromAnswer } from './commitMessage';
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
}

const PROMPTS: Record<Exclude<EditorCommand, 'ask' | 'commit'>, (what: string) => string> = {
  explain: (what) => `Explain ${what}.`,
  refactor: (what) => `Refactor ${what}. Keep its behaviour and public interface.`,
  tests: (what) => `Write unit tests for ${what}.`,
  review: (what) => `Review ${what}.`,
};

/**
 * Builds the whole task for an editor command: the selection (or the whole file) as context, uncut. The router
 * decides the route on it and then cuts the context once, for the model that will read it (`fitTaskContext`).
 * `question` is the user's text for Ask… (required) and an optional instruction for Refactor ("extract a helper").
 */
export function buildEditorTask(command: Exclude<EditorCommand, 'commit'>, source: EditorSource, options: { question?: string } = {}): EditorTask {
  const { text, fileName } = source;
  const start = Math.max(0, Math.min(source.selection.start, source.selection.end, text.length));
  const end = Math.min(text.length, Math.max(source.selection.start, source.selection.end));
  const selected = end > start && text.slice(start, end).trim() !== '';
  const scope: EditorTask['scope'] = selected ? 'selection' : 'file';

  const context = selected ? text.slice(start, end) : text;
  const firstLine = selected ? lineAt(text, start) : 1;
  const lastLine = firstLine + countLines(context) - 1;
  const range = firstLine === lastLine ? `${firstLine}` : `${firstLine}–${lastLine}`;
  const label = scope === 'selection' ? `${fileName}:${range}` : `${fileName} (whole file)`;
  const what = scope === 'selection' ? `this code from ${fileName} (${firstLine === lastLine ? 'line' : 'lines'} ${range})` : `the file ${fileName}`;

  const question = options.question?.trim();
  let prompt: string;
  if (command === 'ask') prompt = question ? `${question}\n\n(About ${what}.)` : `Answer questions about ${what}.`;
  else if (command === 'refactor' && question) prompt = `${PROMPTS.refactor(what)} Specifically: ${question}`;
  else prompt = PROMPTS[command](what);

  const cursor = source.cursor ?? 0;
  return {
    input: {
      prompt, instruction: question ?? '', context, fileName, language: source.languageId, command, files: [fileName],
      contextScope: scope, contextFirstLine: firstLine, ...(scope === 'file' ? { focus: cursor } : {}),
    },
    label,
    scope,
  };
}

/** The commit-message task for the whole staged diff; the router cuts it (at a file boundary) for its model. */
export function buildCommitTask(diff: string, options: { files?: string[] } = {}): EditorTask {
  const files = options.files ?? [...diff.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]!);
  return {
    input: {
      prompt: 'Write a commit message for this staged change.', instruction: '', context: diff, language: 'diff', command: 'commit',
      contextScope: 'diff', ...(files.length ? { files } : {}),
    },
    label: `staged changes (${files.length} file${files.length === 1 ? '' : 's'})`,
    scope: 'file',
  };
}

/** A model's reply as a commit message, or '' when it holds none (commitMessage.ts says why). */
export function cleanCommitMessage(answer: string): string {
  const r = commitMessageFromAnswer(answer);
  return r.ok ? r.message.text : '';
}
