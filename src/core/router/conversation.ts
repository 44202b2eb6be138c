import { z } from 'zod';
import type { Message as OllamaMessage, ToolCall as OllamaToolCall } from 'ollama';
import type {
  MessageParam,
  RedactedThinkingBlockParam,
  TextBlockParam,
  ThinkingBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages/messages';

/**
 * The one conversation shape the router keeps, so a task can move from Ollama to Claude (or back) mid-way with
 * its tool calls and results intact. Providers only ever see it through the converters below.
 */
export const ToolCallSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * Claude's thinking blocks, kept opaque: the API requires them passed back unmodified (signature checked) on the
 * assistant turn of a tool loop. Anthropic-only; Ollama messages do not carry them.
 */
export const ReasoningBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);
export type ReasoningBlock = z.infer<typeof ReasoningBlockSchema>;

export const TurnSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(ToolCallSchema).optional(),
    reasoning: z.array(ReasoningBlockSchema).optional(),
  }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string().min(1),
    name: z.string().min(1),
    content: z.string(),
    isError: z.boolean().optional(),
  }),
]);
export type Turn = z.infer<typeof TurnSchema>;
export type UserTurn = Extract<Turn, { role: 'user' }>;
export type AssistantTurn = Extract<Turn, { role: 'assistant' }>;
export type ToolTurn = Extract<Turn, { role: 'tool' }>;

export const ConversationSchema = z.object({
  system: z.string().optional(),
  turns: z.array(TurnSchema),
});
export type Conversation = z.infer<typeof ConversationSchema>;

// ---- Ollama ---------------------------------------------------------------------------------------------------

/**
 * Ollama (0.12+) accepts `id` on tool calls and `tool_call_id` on tool messages; older servers ignore unknown
 * fields, so sending them is harmless and keeps the mapping lossless.
 */
export type OllamaWireToolCall = OllamaToolCall & { id?: string };
export type OllamaWireMessage = Omit<OllamaMessage, 'tool_calls'> & {
  tool_calls?: OllamaWireToolCall[];
  tool_call_id?: string;
};

export function toOllamaMessages(conv: Conversation): OllamaWireMessage[] {
  const out: OllamaWireMessage[] = [];
  if (conv.system !== undefined) out.push({ role: 'system', content: conv.system });
  for (const t of conv.turns) {
    if (t.role === 'user') out.push({ role: 'user', content: t.content });
    else if (t.role === 'assistant') {
      const m: OllamaWireMessage = { role: 'assistant', content: t.content };
      if (t.toolCalls?.length)
        m.tool_calls = t.toolCalls.map((c) => ({ id: c.id, function: { name: c.name, arguments: c.input } }));
      out.push(m);
    } else {
      // Ollama has no error flag on tool messages: an error travels as a marked content prefix.
      const content = t.isError ? `${ERROR_PREFIX}${t.content}` : t.content;
      out.push({ role: 'tool', content, tool_name: t.name, tool_call_id: t.toolCallId });
    }
  }
  return out;
}

const ERROR_PREFIX = 'ERROR: ';

/**
 * Back from Ollama messages. Calls without an id (models and servers that do not send one) get a stable
 * `call_<message>_<k>` id, and tool messages without `tool_call_id` are matched to the oldest unanswered call of
 * the same name, so the result is always a well-formed conversation.
 */
export function fromOllamaMessages(messages: readonly OllamaWireMessage[]): Conversation {
  const conv: Conversation = { turns: [] };
  const pending: ToolCall[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'system' && i === 0 && conv.system === undefined) conv.system = m.content;
    else if (m.role === 'system') conv.turns.push({ role: 'user', content: m.content });
    else if (m.role === 'user') conv.turns.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      const turn: AssistantTurn = { role: 'assistant', content: m.content ?? '' };
      if (m.tool_calls?.length) {
        turn.toolCalls = m.tool_calls.map((c, k) => ({
          id: c.id || `call_${i}_${k}`,
          name: c.function.name,
          input: normaliseArgs(c.function.arguments),
        }));
        pending.push(...turn.toolCalls);
      }
      conv.turns.push(turn);
    } else if (m.role === 'tool') {
      let idx = m.tool_call_id ? pending.findIndex((c) => c.id === m.tool_call_id) : -1;
      if (idx < 0) idx = pending.findIndex((c) => c.name === m.tool_name);
      if (idx < 0 && !m.tool_name) idx = 0;
      const call = idx >= 0 ? pending.splice(idx, 1)[0] : undefined;
      const isError = m.content.startsWith(ERROR_PREFIX);
      const turn: ToolTurn = {
        role: 'tool',
        toolCallId: m.tool_call_id || call?.id || `call_orphan_${i}`,
        name: m.tool_name || call?.name || 'unknown',
        content: isError ? m.content.slice(ERROR_PREFIX.length) : m.content,
      };
      if (isError) turn.isError = true;
      conv.turns.push(turn);
    }
  });
  return conv;
}

/** Some models send arguments as a JSON string rather than an object. */
export function normaliseArgs(args: unknown): Record<string, unknown> {
  if (typeof args === 'string') {
    try {
      const parsed: unknown = JSON.parse(args);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
}

// ---- Anthropic ------------------------------------------------------------------------------------------------

export interface AnthropicPayload {
  system?: string;
  messages: MessageParam[];
}

/**
 * Top-level `system`; assistant turns become text + tool_use blocks; consecutive tool turns become one user
 * message of tool_result blocks (the API wants every result for a tool_use in the very next user message).
 */
export function toAnthropic(conv: Conversation): AnthropicPayload {
  const messages: MessageParam[] = [];
  for (const t of conv.turns) {
    if (t.role === 'user') messages.push({ role: 'user', content: t.content });
    else if (t.role === 'assistant') {
      if (!t.toolCalls?.length && !t.reasoning?.length) {
        messages.push({ role: 'assistant', content: t.content });
        continue;
      }
      // Thinking first, unmodified; the API rejects empty text blocks, so a tools-only turn has none.
      const blocks: Array<ThinkingBlockParam | RedactedThinkingBlockParam | TextBlockParam | ToolUseBlockParam> = [...(t.reasoning ?? [])];
      if (t.content) blocks.push({ type: 'text', text: t.content });
      for (const c of t.toolCalls ?? []) blocks.push({ type: 'tool_use', id: c.id, name: c.name, input: c.input });
      messages.push({ role: 'assistant', content: blocks });
    } else {
      const block: ToolResultBlockParam = { type: 'tool_result', tool_use_id: t.toolCallId, content: t.content };
      if (t.isError) block.is_error = true;
      const last = messages[messages.length - 1];
      if (last?.role === 'user' && Array.isArray(last.content) && last.content.every(isToolResult))
        (last.content as ToolResultBlockParam[]).push(block);
      else messages.push({ role: 'user', content: [block] });
    }
  }
  const payload: AnthropicPayload = { messages };
  if (conv.system !== undefined) payload.system = conv.system;
  return payload;
}

function isToolResult(b: unknown): b is ToolResultBlockParam {
  return (b as { type?: unknown }).type === 'tool_result';
}

/** Back from Anthropic messages; tool names for results come from the matching tool_use block. */
export function fromAnthropic(payload: AnthropicPayload): Conversation {
  const conv: Conversation = { turns: [] };
  if (payload.system !== undefined) conv.system = payload.system;
  const names = new Map<string, string>();
  for (const m of payload.messages) {
    if (typeof m.content === 'string') {
      if (m.role === 'user' || m.role === 'assistant') conv.turns.push({ role: m.role, content: m.content });
      continue;
    }
    if (m.role === 'assistant') {
      const turn: AssistantTurn = { role: 'assistant', content: '' };
      const text: string[] = [];
      for (const b of m.content) {
        if (b.type === 'text') text.push(b.text);
        else if (b.type === 'thinking') (turn.reasoning ??= []).push({ type: 'thinking', thinking: b.thinking, signature: b.signature });
        else if (b.type === 'redacted_thinking') (turn.reasoning ??= []).push({ type: 'redacted_thinking', data: b.data });
        else if (b.type === 'tool_use') {
          names.set(b.id, b.name);
          (turn.toolCalls ??= []).push({ id: b.id, name: b.name, input: normaliseArgs(b.input) });
        }
      }
      turn.content = text.join('');
      conv.turns.push(turn);
    } else if (m.role === 'user') {
      const text: string[] = [];
      for (const b of m.content) {
        if (b.type === 'tool_result') {
          const turn: ToolTurn = {
            role: 'tool',
            toolCallId: b.tool_use_id,
            name: names.get(b.tool_use_id) ?? 'unknown',
            content: typeof b.content === 'string' ? b.content : (b.content ?? []).map(blockText).join(''),
          };
          if (b.is_error) turn.isError = true;
          conv.turns.push(turn);
        } else if (b.type === 'text') text.push(b.text);
      }
      if (text.length) conv.turns.push({ role: 'user', content: text.join('') });
    }
  }
  return conv;
}

function blockText(b: unknown): string {
  return (b as { type?: unknown }).type === 'text' ? String((b as { text: unknown }).text) : '';
}
