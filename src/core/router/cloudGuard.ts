import { redactDeep, type TextRedactor } from '../policy/redact';
import type { Conversation, Turn } from './conversation';

export type Redactor = TextRedactor;

export interface RedactedConversation {
  conversation: Conversation;
  count: number;
  kinds: string[];
}

/**
 * Masks secrets in everything a cloud call would carry: system prompt, every turn, tool call arguments (string
 * values, recursively) and tool results. Applied to the whole conversation at each Claude call, so secrets a tool
 * read mid-loop or a local draft repeated are caught too. Claude's own thinking blocks are left alone: the API
 * rejects a modified one, and Claude only ever saw masked input.
 */
export function redactConversation(conv: Conversation, redact: Redactor): RedactedConversation {
  let count = 0;
  const kinds: string[] = [];
  const mask = <T>(v: T): T => {
    const r = redactDeep(v, redact);
    count += r.count;
    for (const k of r.kinds) if (!kinds.includes(k)) kinds.push(k);
    return r.value;
  };
  const turns: Turn[] = conv.turns.map((t) => {
    if (t.role === 'assistant' && t.toolCalls?.length)
      return { ...t, content: mask(t.content), toolCalls: t.toolCalls.map((c) => ({ ...c, input: mask(c.input) })) };
    return { ...t, content: mask(t.content) };
  });
  const out: Conversation = { turns };
  if (conv.system !== undefined) out.system = mask(conv.system);
  return { conversation: out, count, kinds };
}
