import { redactDeep, redactSecrets, type RedactResult, type TextRedactor } from '../policy/redact';
import { cloudSpans, type CloudSpan } from '../policy/secrets/cloudPass';
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

/**
 * What every byte sent to Claude passes (prompt, history, tool calls and tool results, via `redactConversation`):
 * layer one is `llmgenie check`'s detectors (`redactSecrets`), layer two the cloud-only pass that decodes before
 * judging and masks high-entropy values under any key-like name. A layer-two span shows nothing of the value.
 */
export function redactForCloud(text: string): RedactResult {
  const first = redactSecrets(text);
  const spans: CloudSpan[] = [];
  cloudSpans(first.text, spans);
  if (!spans.length) return first;
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  const kinds = [...first.kinds];
  let at = 0;
  let count = first.count;
  for (const sp of spans) {
    if (sp.end <= at) continue;
    parts.push(first.text.slice(at, Math.max(sp.start, at)), `[REDACTED:${sp.kind}]`);
    at = sp.end;
    count++;
    if (!kinds.includes(sp.kind)) kinds.push(sp.kind);
  }
  parts.push(first.text.slice(at));
  return { text: parts.join(''), count, kinds };
}
