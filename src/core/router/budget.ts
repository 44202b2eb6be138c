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
