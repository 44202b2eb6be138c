import { budgetConversation, type BudgetResult, type ModelBudget } from './budget';
import type { Conversation, ReasoningBlock, ToolCall, Turn } from './conversation';
import { ProviderError } from './errors';
import type { DoneReason, LlmProvider, Usage } from './provider';
import { runToolCall, type ToolDefinition } from './tools';

export interface LoopOptions {
  signal?: AbortSignal;
  tools?: readonly ToolDefinition[];
  /** Model calls per task on this provider, tool rounds included (≥ 1). */
  maxIterations: number;
  /** The provider's window and output reserve, decided once per task by the caller (runTask). */
  budget: ModelBudget;
  onText(text: string): void;
  onToolCall?(call: ToolCall): void;
  /** Applied to the (budgeted) conversation right before each call, e.g. secret masking for the cloud; may throw. */
  prepare?(conv: Conversation): Conversation;
  /** Each model call's token usage, as it completes (so a later failure does not lose what was spent). */
  onUsage?(usage: Usage): void;
  /** Told when older turns had to be dropped or summarised to fit the window. */
  onBudget?(result: BudgetResult): void;
}

export interface LoopResult {
  /** Everything streamed to the user from this provider, tool-round texts included (joined by a blank line). */
  answer: string;
  /** The input conversation plus the tool rounds and the final assistant turn. */
  conversation: Conversation;
  doneReason: DoneReason | 'tool-limit';
}

/**
 * Streams one provider through a bounded tool loop: while the model asks for tools (and rounds remain), run them
 * and call again with the results. Stops at `maxIterations` calls with doneReason 'tool-limit' rather than loop.
 * The task's context arrives already fitted to the window; tool rounds that outgrow it drop older turns.
 */
export async function runToolLoop(provider: LlmProvider, conv: Conversation, opts: LoopOptions): Promise<LoopResult> {
  const turns: Turn[] = [...conv.turns];
  const { window, reserve, inputTokens } = opts.budget;
  let answer = '';
  let lastText = '';
  let lastReasoning: ReasoningBlock[] = [];
  let doneReason: LoopResult['doneReason'] = 'other';
  const withSystem = (t: Turn[]): Conversation => (conv.system !== undefined ? { system: conv.system, turns: t } : { turns: t });

  for (let round = 1; ; round++) {
    const budget = budgetConversation(withSystem(turns), inputTokens);
    if (!budget.fits)
      throw new ProviderError(
        'bad-request',
        `the task (~${budget.estimatedTokens} tokens) does not fit ${provider.model}'s context window (${window} tokens)`,
        provider.id,
      );
    if (budget.droppedTurns) opts.onBudget?.(budget);
    const request = opts.prepare ? opts.prepare(budget.conversation) : budget.conversation;

    let text = '';
    const calls: ToolCall[] = [];
    const reasoning: ReasoningBlock[] = [];
    const separator = answer ? '\n\n' : '';
    for await (const ev of provider.streamChat(request, { signal: opts.signal, tools: opts.tools, maxOutputTokens: reserve })) {
      if (ev.type === 'text') {
        if (!text && separator) opts.onText(separator);
        text += ev.text;
        opts.onText(ev.text);
      } else if (ev.type === 'toolCall') calls.push(ev.call);
      else if (ev.type === 'reasoning') reasoning.push(ev.block);
      else {
        opts.onUsage?.(ev.usage);
        doneReason = ev.doneReason;
      }
    }
    if (text) answer += separator + text;
    lastText = text;
    lastReasoning = reasoning;

    const toolsAvailable = !!opts.tools?.length;
    if (!calls.length || !toolsAvailable) break;
    if (round >= opts.maxIterations) {
      doneReason = 'tool-limit';
      break;
    }
    turns.push({ role: 'assistant', content: text, toolCalls: calls, ...(reasoning.length ? { reasoning } : {}) });
    for (const call of calls) {
      opts.onToolCall?.(call);
      const out = await runToolCall(opts.tools!, call, opts.signal);
      turns.push({ role: 'tool', toolCallId: call.id, name: call.name, content: out.content, ...(out.isError ? { isError: true } : {}) });
    }
  }
  // Earlier rounds' text already sits in their tool-calling assistant turns; the final turn holds the last round.
  if (lastText) turns.push({ role: 'assistant', content: lastText, ...(lastReasoning.length ? { reasoning: lastReasoning } : {}) });
  return { answer, conversation: withSystem(turns), doneReason };
}
