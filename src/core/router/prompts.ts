import type { Conversation, Turn } from './conversation';

/** Editor commands the router knows; anything else is treated as a free-form question ('ask'). */
export const COMMANDS = ['explain', 'refactor', 'tests', 'review', 'fix', 'commit', 'ask'] as const;
export type Command = (typeof COMMANDS)[number];

const BASE =
  "You are llmgenie, a coding assistant inside the user's editor. Be accurate and concrete; use fenced code " +
  'blocks tagged with their language for any code.';

const INSTRUCTIONS: Record<Command, string> = {
  explain: 'Explain what the given code does and why, for a developer reading it for the first time. Mention pitfalls.',
  refactor:
    "Refactor the code as asked. Reply with the complete changed code in one fenced block in the file's language, " +
    'then a short list of what changed. Keep behaviour unless asked otherwise.',
  tests:
    "Write focused unit tests for the code, using the project's test framework if it is visible. Reply with one " +
    'fenced code block containing the test file, then one line per case saying what it checks.',
  review:
    'Review the code: list concrete bugs, risks and improvements, most important first, each with the line or ' +
    'symbol it concerns and a suggested fix. Say so plainly if it looks correct.',
  fix: "Fix the problem described. Reply with the corrected code in a fenced block in the file's language, then explain the cause in one or two sentences.",
  commit:
    'Write a commit message for the given diff: an imperative subject line of at most 72 characters, a blank ' +
    'line, then a short body saying what changed and why. Reply with the message only.',
  ask: 'Answer the question directly; show code when it helps.',
};

const TOOLS_NOTE =
  'You may call the provided tools (read a workspace file, search the team lessons) when the answer depends on ' +
  'code or conventions you have not been shown; do not call them otherwise.';

export function normaliseCommand(command: string | undefined): Command {
  const c = (command ?? 'ask').toLowerCase().trim();
  if (c === 'commit-message' || c === 'commitmessage') return 'commit';
  if (c === 'test' || c === 'write-tests') return 'tests';
  return (COMMANDS as readonly string[]).includes(c) ? (c as Command) : 'ask';
}

export function systemPrompt(command: Command, withTools: boolean): string {
  return [BASE, INSTRUCTIONS[command], withTools ? TOOLS_NOTE : ''].filter(Boolean).join('\n\n');
}

/** A fence longer than any backtick run inside the text, so pasted code containing ``` cannot close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  return '`'.repeat(longest + 1);
}

export function userMessage(prompt: string, context?: string, fileName?: string, language?: string): string {
  if (!context) return prompt;
  const fence = fenceFor(context);
  const label = fileName ? `Context from ${fileName}` : 'Context';
  return `${prompt}\n\n${label}:\n${fence}${language ?? ''}\n${context}\n${fence}`;
}

export interface TaskConversationInput {
  prompt: string;
  context?: string;
  fileName?: string;
  language?: string;
  command?: string;
  history?: readonly Turn[];
  /** A caller's own system prompt (an agent role's) in place of the command's. */
  system?: string;
}

export function buildConversation(input: TaskConversationInput, withTools: boolean): Conversation {
  const command = normaliseCommand(input.command);
  return {
    system: input.system ?? systemPrompt(command, withTools),
    turns: [...(input.history ?? []), { role: 'user', content: userMessage(input.prompt, input.context, input.fileName, input.language) }],
  };
}

/** The turn appended when a local draft failed its checks: Claude sees the draft and exactly why it was rejected. */
export function escalationTurn(draft: string, reasons: readonly string[]): Turn {
  const why = reasons.join('; ');
  const what = draft.trim()
    ? 'The answer above was drafted by a smaller local model'
    : 'A smaller local model produced an empty answer to the request above';
  return {
    role: 'user',
    content: `${what} and failed automatic checks: ${why}. Answer my previous request again, completely and correctly, without referring to the draft.`,
  };
}
