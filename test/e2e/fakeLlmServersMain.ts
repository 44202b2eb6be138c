// Child process for the router E2E (run with `node --import tsx`): the fake Ollama and Anthropic servers from
// test/support, scripted for the editor scenario. Prints one JSON line with their URLs; on a "dump" line on stdin
// it prints the chat requests each received. Ends when stdin closes (the parent went away).
import { createInterface } from 'node:readline';
import { startFakeAnthropic, type ClaudeRequestBody } from '../support/fakeAnthropic';
import { startFakeOllama, type OllamaChatBody } from '../support/fakeOllama';

/** A good local explanation, streamed slowly enough to watch: heading, list, inline code, a code block. */
export const LOCAL_EXPLANATION = [
  '## What `invoiceTotal` does',
  '',
  'It adds up an invoice: each line contributes **quantity × price**, summed with `reduce` starting at `0`.',
  '',
  '- The total is logged through the shared `logger` before it is returned.',
  '- Nothing is rounded, so floating-point sums such as `0.1 + 0.2` can show up in the log.',
  '',
  '```ts',
  'invoiceTotal([{ qty: 2, price: 9.99 }]); // 19.98',
  '```',
].join('\n');

export const WEAK_DRAFT = 'It adds numbers.';

/** Claude's answer after the escalation: a replacement the E2E applies as a diff. */
export const CLAUDE_ANSWER = [
  '## `invoiceTotal`, step by step',
  '',
  '1. `reduce` walks the lines and adds *quantity × price* for each.',
  '2. The sum is logged, then returned.',
  '',
  'Summing floats drifts; work in integer cents and round once:',
  '',
  '```ts',
  'export function invoiceTotal(lines: { qty: number; price: number }[]): number {',
  '  const cents = lines.reduce((sum, l) => sum + Math.round(l.qty * l.price * 100), 0);',
  "  logger.info('invoice total', cents / 100);",
  '  return cents / 100;',
  '}',
  '```',
  '',
  'See [Floating-point arithmetic](https://en.wikipedia.org/wiki/Floating-point_arithmetic) for why.',
].join('\n');

/** A long, slow answer for the Stop button. */
export const SLOW_ANSWER = Array.from({ length: 200 }, (_, i) => `Step ${i + 1}: look at the loop and the allocations it makes.`).join('\n\n');

export const PULLED_MODEL = 'llama3.2:1b';
export const PULLED_ANSWER = 'Answered by the freshly pulled model: `invoiceTotal` multiplies quantity by price for each line, sums the products and logs the total.';

export const COMMIT_MESSAGE = 'Log with a level prefix\n\nPrefix each log line with its level so errors stand out in the output.';

const lastUser = (messages: ReadonlyArray<{ role: string; content: unknown }>): string => {
  const m = [...messages].reverse().find((x) => x.role === 'user');
  if (!m) return '';
  if (typeof m.content === 'string') return m.content;
  return (m.content as Array<{ type: string; text?: string }>).map((b) => b.text ?? '').join('\n');
};

async function main(): Promise<void> {
  let explains = 0;
  const ollama = await startFakeOllama({
    pullable: [PULLED_MODEL],
    pullStepDelayMs: 500,
    reply: (body: OllamaChatBody) => {
      const user = lastUser(body.messages);
      if (/commit message/i.test(user)) return { text: COMMIT_MESSAGE, chunkDelayMs: 20 };
      if (/why is this slow/i.test(user)) return { text: SLOW_ANSWER, chunkDelayMs: 150 };
      if (body.model === PULLED_MODEL) return { text: PULLED_ANSWER, chunkDelayMs: 30 };
      explains++;
      // The first explanation is good (shown as is); later ones are too short and get escalated in Auto mode.
      return explains === 1 ? { text: LOCAL_EXPLANATION, chunkDelayMs: 120 } : { text: WEAK_DRAFT, chunkDelayMs: 20 };
    },
  });
  const anthropic = await startFakeAnthropic({
    reply: (body: ClaudeRequestBody) => {
      const all = body.messages.map((m) => lastUser([m])).join('\n');
      if (/commit message/i.test(all)) return { text: COMMIT_MESSAGE, chunkDelayMs: 20 };
      if (/why is this slow/i.test(all)) return { text: SLOW_ANSWER, chunkDelayMs: 150 };
      return { text: CLAUDE_ANSWER, chunkDelayMs: 25 };
    },
  });

  process.stdout.write(`${JSON.stringify({ event: 'ready', ollama: ollama.host, anthropic: anthropic.url })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'dump') return;
    process.stdout.write(`${JSON.stringify({ event: 'dump', ollama: ollama.chatBodies(), anthropic: anthropic.requests.map((r) => r.body) })}\n`);
  });
  lines.on('close', () => {
    void Promise.all([ollama.close(), anthropic.close()]).then(() => process.exit(0));
  });
}

void main();
