import type { Conversation, Turn } from './conversation';

export type Redactor = (text: string) => { text: string; count: number; kinds: readonly string[] };

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
  const text = (s: string): string => {
    if (!s) return s;
    const r = redact(s);
    if (r.count) {
      count += r.count;
      for (const k of r.kinds) if (!kinds.includes(k)) kinds.push(k);
    }
    return r.text;
  };
  const value = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  };
  const turns: Turn[] = conv.turns.map((t) => {
    if (t.role === 'assistant' && t.toolCalls?.length)
      return { ...t, content: text(t.content), toolCalls: t.toolCalls.map((c) => ({ ...c, input: value(c.input) as Record<string, unknown> })) };
    return { ...t, content: text(t.content) };
  });
  const out: Conversation = { turns };
  if (conv.system !== undefined) out.system = text(conv.system);
  return { conversation: out, count, kinds };
}
