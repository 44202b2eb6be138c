import type { Conversation, ReasoningBlock, ToolCall } from './conversation';
import type { ToolDefinition } from './tools';

export type ProviderId = 'ollama' | 'anthropic';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** 'stop' finished normally, 'length' hit the output limit, 'tool_use' wants tool results, 'other' anything else. */
export type DoneReason = 'stop' | 'length' | 'tool_use' | 'other';

export type StreamEvent =
  | { type: 'text'; text: string }
  | { type: 'toolCall'; call: ToolCall }
  /** An opaque thinking block (Claude) to keep on the assistant turn; never shown as answer text. */
  | { type: 'reasoning'; block: ReasoningBlock }
  | { type: 'done'; doneReason: DoneReason; rawDoneReason?: string; usage: Usage };

export interface StreamOptions {
  signal?: AbortSignal;
  tools?: readonly ToolDefinition[];
  maxOutputTokens?: number;
}

/**
 * What the router needs from a model backend. `streamChat` yields text deltas and tool calls as they arrive and
 * always ends with exactly one 'done' event, or throws a ProviderError.
 */
export interface LlmProvider {
  readonly id: ProviderId;
  readonly model: string;
  streamChat(conversation: Conversation, options?: StreamOptions): AsyncIterable<StreamEvent>;
  /** Input budget in tokens for this model (context window). */
  contextWindow(signal?: AbortSignal): Promise<number>;
}
