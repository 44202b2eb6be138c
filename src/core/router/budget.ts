import type { Conversation, Turn } from './conversation';

/**
 * Token estimate: ~4 characters per token for English and code with BPE tokenizers, plus a small per-message
 * overhead for role markers. Deliberately rough (no tokenizer shipped) and biased high so budgets err safe.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const PER_MESSAGE = 4;

export function estimateTurnTokens(t: Turn): number {
  let n = PER_MESSAGE + estimateTokens(t.content);
  if (t.role === 'assistant') for (const c of t.toolCalls ?? []) n += estimateTokens(c.name + JSON.stringify(c.input)) + PER_MESSAGE;
  if (t.role === 'tool') n += estimateTokens(t.name);
  return n;
}

export function estimateConversationTokens(conv: Conversation): number {
  return (conv.system ? PER_MESSAGE + estimateTokens(conv.system) : 0) + conv.turns.reduce((s, t) => s + estimateTurnTokens(t), 0);
}

export interface BudgetResult {
  conversation: Conversation;
  /** Turns left out (they are named in a one-line-per-exchange summary when it fits). */
  droppedTurns: number;
  summarised: boolean;
  /** False when even the system prompt plus the latest exchange exceed the budget. */
  fits: boolean;
  estimatedTokens: number;
}

/**
 * Fits a conversation into `maxTokens`. Whole exchanges (a user turn and the assistant/tool turns answering it)
 * are dropped oldest first, so no tool result loses its call; the system prompt and the latest exchange are
 * never touched. Dropped exchanges are replaced by a short extractive summary turn when it fits.
 */
export function budgetConversation(conv: Conversation, maxTokens: number): BudgetResult {
  const total = estimateConversationTokens(conv);
  if (total <= maxTokens) return { conversation: conv, droppedTurns: 0, summarised: false, fits: true, estimatedTokens: total };

  const exchanges = splitExchanges(conv.turns);
  const latest = exchanges.pop() ?? [];
  const fixed = (conv.system ? PER_MESSAGE + estimateTokens(conv.system) : 0) + latest.reduce((s, t) => s + estimateTurnTokens(t), 0);

  // Keep the newest older exchanges that fit beside the fixed part.
  let room = maxTokens - fixed;
  let keepFrom = exchanges.length;
  for (let i = exchanges.length - 1; i >= 0; i--) {
    const cost = exchanges[i]!.reduce((s, t) => s + estimateTurnTokens(t), 0);
    if (cost > room) break;
    room -= cost;
    keepFrom = i;
  }
  // Something was dropped: say so in a summary turn, giving up further old exchanges to make room for it if
  // needed, so the model never mistakes a cut conversation for the whole one.
  let summary: Turn | undefined;
  while (keepFrom > 0) {
    summary = { role: 'user', content: summariseExchanges(exchanges.slice(0, keepFrom)) };
    if (estimateTurnTokens(summary) <= room) break;
    summary = undefined;
    if (keepFrom >= exchanges.length) break;
    room += exchanges[keepFrom]!.reduce((s, t) => s + estimateTurnTokens(t), 0);
    keepFrom++;
  }
  const summarised = summary !== undefined;
  const kept = [...(summary ? [summary] : []), ...exchanges.slice(keepFrom).flat()];
  const out: Conversation = { turns: [...kept, ...latest] };
  if (conv.system !== undefined) out.system = conv.system;
  const estimatedTokens = estimateConversationTokens(out);
  const droppedTurns = conv.turns.length - (out.turns.length - (summarised ? 1 : 0));
  return { conversation: out, droppedTurns, summarised, fits: estimatedTokens <= maxTokens, estimatedTokens };
}

/** Splits turns into exchanges, each starting at a user turn (leading non-user turns form their own group). */
function splitExchanges(turns: readonly Turn[]): Turn[][] {
  const groups: Turn[][] = [];
  for (const t of turns) {
    if (t.role === 'user' || !groups.length) groups.push([t]);
    else groups[groups.length - 1]!.push(t);
  }
  return groups;
}

const MAX_SUMMARY_LINES = 20;

function summariseExchanges(exchanges: readonly Turn[][]): string {
  const turns = exchanges.reduce((n, e) => n + e.length, 0);
  const shown = exchanges.slice(-MAX_SUMMARY_LINES);
  const lines = shown.map((e) => {
    const ask = e.find((t) => t.role === 'user')?.content ?? '';
    const tools = e.flatMap((t) => (t.role === 'assistant' ? (t.toolCalls ?? []).map((c) => c.name) : []));
    return `- asked: ${oneLine(ask, 100)}${tools.length ? ` (tools: ${[...new Set(tools)].join(', ')})` : ''}`;
  });
  const more = exchanges.length - shown.length;
  if (more > 0) lines.unshift(`- (${more} older exchanges not listed)`);
  return `[Earlier conversation summarised to fit the context window: ${turns} turns omitted]\n${lines.join('\n')}`;
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// ---- the task's context, cut once for the model that will read it ----

/** What a model's window leaves for the request: the answer's reserve comes out of the window first. */
export interface ModelBudget {
  /** The model's context window (tokens). */
  window: number;
  /** Output tokens reserved (and asked for) per call. */
  reserve: number;
  /** Tokens the request (system prompt, turns, context) may take. */
  inputTokens: number;
}

export function modelBudget(window: number, maxOutputTokens: number): ModelBudget {
  const reserve = Math.min(maxOutputTokens, Math.floor(window / 4));
  return { window, reserve, inputTokens: window - reserve };
}

/**
 * Room kept beside the first request for a tool round or two and the per-message overhead, so a context cut to
 * the window still leaves the loop somewhere to go (older rounds are then dropped by `budgetConversation`).
 */
const TOOL_HEADROOM_TOKENS = 600;
/** Code tokenises denser than the 4 characters per token `estimateTokens` assumes: cut at 3 so the cut fits. */
const CHARS_PER_TOKEN = 3;
const MIN_CONTEXT_CHARS = 1000;

/** Characters of context that fit beside the system prompt and the prompt (at least a small useful selection). */
export function contextChars(budget: ModelBudget, system: string, prompt: string): number {
  const overhead = estimateTokens(system) + estimateTokens(prompt) + TOOL_HEADROOM_TOKENS;
  return Math.max(MIN_CONTEXT_CHARS, (budget.inputTokens - overhead) * CHARS_PER_TOKEN);
}

/** How the context relates to the file, so a cut keeps what matters and says what was left out. */
export type ContextScope = 'selection' | 'file' | 'diff';

export interface FittableTask {
  prompt: string;
  context?: string;
  contextScope?: ContextScope;
  /** 1-based line of the file where the context starts (a selection's first line); default 1. */
  contextFirstLine?: number;
  /** Offset into the context to centre a cut file on (the cursor). */
  focus?: number;
}

/**
 * The one place a task's context is cut: to the characters `budget` leaves beside the system prompt and the
 * prompt. A selection keeps its first lines, a file the lines around the cursor, a diff whole files where it can;
 * the prompt then says what was left out. Returns the task unchanged when it fits.
 */
export function fitTaskContext<T extends FittableTask>(task: T, budget: ModelBudget, system = ''): { task: T; truncated?: string } {
  const context = task.context;
  if (!context) return { task };
  const maxChars = contextChars(budget, system, task.prompt);
  if (context.length <= maxChars) return { task };
  const scope = task.contextScope ?? 'file';
  const first = task.contextFirstLine ?? 1;
  let cut: string;
  let truncated: string;
  let note: string;
  if (scope === 'diff') {
    const head = context.slice(0, maxChars);
    const boundary = head.lastIndexOf('\ndiff --git ');
    cut = boundary > maxChars / 2 ? head.slice(0, boundary) : cutAtLine(head, maxChars);
    truncated = `diff cut to ${cut.length} of ${context.length} characters`;
    note = 'The diff was cut to fit; the files it does not show changed too.';
  } else if (scope === 'selection') {
    cut = cutAtLine(context, maxChars);
    const lines = countLines(cut);
    truncated = `selection cut to its first ${lines} lines (of ${countLines(context)})`;
    note = `(Only the first ${lines} lines of the selection, lines ${first}–${first + lines - 1}, fit; the selection is longer.)`;
  } else {
    const w = fileWindow(context, task.focus ?? 0, maxChars);
    cut = w.text;
    const total = countLines(context);
    truncated = `file too large: sent lines ${first + w.startLine - 1}–${first + w.endLine - 1} of ${first + total - 1} (${cut.length} of ${context.length} characters)`;
    note = `(Only lines ${first + w.startLine - 1}–${first + w.endLine - 1} of the file fit; the rest is not shown.)`;
  }
  return { task: { ...task, context: cut, prompt: `${task.prompt} ${note}` }, truncated };
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
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

export function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
