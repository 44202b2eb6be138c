// The stand-in models (run with `node --import tsx`): the fake Ollama and Anthropic servers from test/support,
// answering as each agent role would (test/support/fakeAgentModels.ts) and, for everything else, as the editor
// scenarios expect. Two ways to run it:
// - child of the E2E specs and the demo (fakeLlmServers.mjs): prints one JSON line with their URLs; on a "dump"
//   line on stdin it prints the chat requests each received; ends when stdin closes (the parent went away).
// - `npm run fake-models` (`--dev`): prints the environment to export and runs until Ctrl+C. Not shipped.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { AgentModelScript, claudeAgentReply, ollamaAgentReply } from '../support/fakeAgentModels';
import { FAKE_CLAUDE_KEY, startFakeAnthropic, type ClaudeRequestBody } from '../support/fakeAnthropic';
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

/** A commit message the way chat models like to write one (onboarding.e2e.mjs stages a diff naming `fencedCommitDemo`). */
export const FENCED_COMMIT_MESSAGE = [
  "Here's a commit message for the staged changes:",
  '',
  '```text',
  '**feat(greeting): say hello by name.**',
  '',
  '- Add `greet(name)` to *src/app.ts*',
  '- Drop the `console.log` debugging',
  '```',
  '',
  'This follows the Conventional Commits format.',
].join('\n');

/**
 * Answers for the routing scenario (test/e2e/fixtures/routing-tasks, copied to src/routing/): each passes the
 * router's checks, so the provider that answers is the one the route chose. Local and Claude answers differ, so
 * the E2E can tell who answered.
 */
export const ROUTING_ANSWERS: ReadonlyArray<{ file: RegExp; local: string; claude: string }> = [
  {
    file: /src\/routing\/account\.ts/,
    local: 'The `ownerName` getter returns the private readonly `owner` field, so callers can read the owner without being able to reassign it. It is a plain property read with no side effects.',
    claude: '## Claude on `ownerName`\n\n`ownerName` is a read-only accessor over the constructor parameter property `owner`: TypeScript emits a getter on the prototype, and because `owner` is `readonly` the class itself cannot change it after construction.',
  },
  {
    file: /src\/routing\/mpscQueue\.rs/,
    local: '`MpscQueue` is a linked queue: `push` swaps the new node in as `head` and links the previous head to it; `pop` follows `next` from the `tail` stub and frees the old stub.',
    claude: '## How `MpscQueue` stays lock-free\n\n1. `push` publishes a node with one `swap` on `head` (AcqRel), then links the previous head with a Release store; between the two the list is briefly cut, which `pop` sees as `next == null` and reports as empty.\n2. `pop` is `unsafe` because only one consumer may run it: it Acquire-loads `next`, moves the value out and frees the old stub with `Box::from_raw`.',
  },
  {
    file: /src\/routing\/slug\.ts/,
    local: ['```ts', "import { strict as assert } from 'node:assert';", "import { slugify } from './slug';", '', "it('lower-cases and dashes words', () => assert.equal(slugify('Hello, World!'), 'hello-world'));", "it('strips accents', () => assert.equal(slugify('Crème Brûlée'), 'creme-brulee'));", "it('trims leading and trailing dashes', () => assert.equal(slugify('  --Hi--  '), 'hi'));", '```', '', '- words are lower-cased and joined by one dash', '- accents are removed', '- no dash at either end'].join('\n'),
    claude: ['```ts', "import { strict as assert } from 'node:assert';", "import { slugify } from './slug';", '', "it('Claude: keeps digits', () => assert.equal(slugify('2 ways'), '2-ways'));", '```', '', '- digits survive'].join('\n'),
  },
  {
    file: /src\/routing\/ratelimit\.go/,
    local: ['```go', 'package ratelimit', '', 'import "testing"', '', 'func TestAllowBurst(t *testing.T) {', '\tl := New(1, 2)', '\tif !l.Allow("a") || !l.Allow("a") || l.Allow("a") {', '\t\tt.Fatal("burst of 2 expected")', '\t}', '}', '```', '', '- a burst of two is allowed, the third is refused'].join('\n'),
    claude: ['## Tests for `Limiter`, including concurrent use', '', '```go', 'package ratelimit', '', 'import (', '\t"sync"', '\t"testing"', '\t"time"', ')', '', 'func TestConcurrentAllowNeverExceedsBurst(t *testing.T) {', '\tnow := time.Unix(0, 0)', '\tl := New(1, 5)', '\tl.now = func() time.Time { return now }', '\tvar wg sync.WaitGroup', '\tvar mu sync.Mutex', '\tallowed := 0', '\tfor i := 0; i < 50; i++ {', '\t\twg.Add(1)', '\t\tgo func() {', '\t\t\tdefer wg.Done()', '\t\t\tif l.Allow("k") {', '\t\t\t\tmu.Lock()', '\t\t\t\tallowed++', '\t\t\t\tmu.Unlock()', '\t\t\t}', '\t\t}()', '\t}', '\twg.Wait()', '\tif allowed != 5 {', '\t\tt.Errorf("allowed %d, want 5", allowed)', '\t}', '}', '```', '', '- 50 goroutines race for a burst of 5 with a frozen clock: exactly 5 get through (run with `-race`)'].join('\n'),
  },
  {
    file: /changes\/rename-invoice-total\.diff/,
    local: 'This change only renames `invoiceTotal` to `computeInvoiceTotal`; behaviour is unchanged. Check that every caller and re-export was renamed too, or the build breaks.',
    claude: 'Claude review: a pure rename of `invoiceTotal` to `computeInvoiceTotal` with no behaviour change; update the remaining callers and any public re-exports in the same commit.',
  },
];

const routingAnswer = (text: string, side: 'local' | 'claude'): string | undefined => ROUTING_ANSWERS.find((a) => a.file.test(text))?.[side];

/**
 * The chat E2E's questions (test/e2e/chat.e2e.mjs), matched on the newest user message only (a follow-up's request
 * also carries the earlier turns), answered by whichever side the router picks.
 */
export const CHAT_ANSWERS: ReadonlyArray<{ question: RegExp; local: string; claude: string }> = [
  {
    question: /charged twice/i,
    local: 'A retry can repeat the charge when the first attempt timed out but went through; add an idempotency key so the acquirer ignores the repeat.',
    claude: '## Why a retry can charge twice\n\n1. The first `charge` times out on our side but succeeds at the acquirer.\n2. The retry sends a second, identical `POST`: nothing ties it to the first, so it is a new charge.\n\nSend one **idempotency key per invoice** (e.g. `invoice-<id>`) with every attempt, and store the returned charge id before retrying:\n\n```ts\nheaders: { \'idempotency-key\': `invoice-${invoiceId}` }\n```',
  },
  {
    question: /empty list/i,
    local: 'For an empty list `reduce` returns its initial value, so `invoiceTotal([])` is `0`, and the logger still records an invoice total of 0.',
    claude: 'Claude: `invoiceTotal([])` returns `0`, the initial value of `reduce`; the logger records a zero total.',
  },
  {
    question: /What does invoiceTotal do\?/i,
    local: '`invoiceTotal` multiplies quantity by price for each line, adds the products with `reduce` starting from `0`, logs the total through the shared `logger` and returns it.',
    claude: '## Claude on `invoiceTotal`\n\nIt sums **quantity × price** over the lines with `reduce`, logs the total and returns it. Floats are summed as they are, so totals like `0.1 + 0.2` can drift; work in integer cents.',
  },
];

const chatAnswer = (newest: string, side: 'local' | 'claude'): string | undefined => CHAT_ANSWERS.find((a) => a.question.test(newest))?.[side];

const lastUser = (messages: ReadonlyArray<{ role: string; content: unknown }>): string => {
  const m = [...messages].reverse().find((x) => x.role === 'user');
  if (!m) return '';
  if (typeof m.content === 'string') return m.content;
  return (m.content as Array<{ type: string; text?: string }>).map((b) => b.text ?? '').join('\n');
};

export interface StandInOptions {
  ollamaPort?: number;
  claudePort?: number;
  /** Before each agent reply starts, so a run's progress can be watched. */
  agentLatencyMs?: number;
}

export async function startStandInModels(o: StandInOptions = {}) {
  let explains = 0;
  const agents = new AgentModelScript({ latencyMs: o.agentLatencyMs ?? 0 });
  const ollama = await startFakeOllama({
    ...(o.ollamaPort ? { port: o.ollamaPort } : {}),
    pullable: [PULLED_MODEL],
    pullStepDelayMs: 500,
    reply: ollamaAgentReply(agents, (body: OllamaChatBody) => {
      const user = lastUser(body.messages);
      if (/commit message/i.test(user)) return { text: /fencedCommitDemo/.test(user) ? FENCED_COMMIT_MESSAGE : COMMIT_MESSAGE, chunkDelayMs: 20 };
      if (/why is this slow/i.test(user)) return { text: SLOW_ANSWER, chunkDelayMs: 150 };
      if (body.model === PULLED_MODEL) return { text: PULLED_ANSWER, chunkDelayMs: 30 };
      const chat = chatAnswer(user, 'local');
      if (chat) return { text: chat, chunkDelayMs: 40 };
      const routed = routingAnswer(user, 'local');
      if (routed) return { text: routed, chunkDelayMs: 10 };
      explains++;
      // The first explanation is good (shown as is); later ones are too short and get escalated in Auto mode.
      return explains === 1 ? { text: LOCAL_EXPLANATION, chunkDelayMs: 120 } : { text: WEAK_DRAFT, chunkDelayMs: 20 };
    }),
  });
  const anthropic = await startFakeAnthropic({
    ...(o.claudePort ? { port: o.claudePort } : {}),
    reply: claudeAgentReply(agents, (body: ClaudeRequestBody) => {
      const all = body.messages.map((m) => lastUser([m])).join('\n');
      if (/commit message/i.test(all)) return { text: /fencedCommitDemo/.test(all) ? FENCED_COMMIT_MESSAGE : COMMIT_MESSAGE, chunkDelayMs: 20 };
      if (/why is this slow/i.test(all)) return { text: SLOW_ANSWER, chunkDelayMs: 150 };
      const chat = chatAnswer(lastUser(body.messages), 'claude');
      if (chat) return { text: chat, chunkDelayMs: 30 };
      const routed = routingAnswer(all, 'claude');
      if (routed) return { text: routed, chunkDelayMs: 10 };
      return { text: CLAUDE_ANSWER, chunkDelayMs: 25 };
    }),
  });
  return { ollama, anthropic, agents, close: () => Promise.all([ollama.close(), anthropic.close()]) };
}

/** What `npm run fake-models` prints: the lines to paste into the shell that runs the CLI or the editor. */
export function standInEnvironment(ollamaHost: string, claudeUrl: string): Record<string, string> {
  return { OLLAMA_HOST: ollamaHost, ANTHROPIC_BASE_URL: claudeUrl, ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY, LLMGENIE_STAND_IN_MODELS: '1' };
}

class UsageError extends Error {}

const USAGE = 'usage: npm run fake-models [-- --ollama-port N] [--claude-port N] [--latency-ms N]';

function portArg(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number (0-65535), not "${v}"`);
  return n;
}

async function dev(values: Record<string, string | boolean | undefined>): Promise<void> {
  const latency = values['latency-ms'] === undefined ? 150 : Number(values['latency-ms']);
  if (!Number.isFinite(latency) || latency < 0) throw new UsageError(`--latency-ms must be a number of milliseconds, not "${String(values['latency-ms'])}"`);
  const servers = await startStandInModels({
    ollamaPort: portArg(values['ollama-port'] as string | undefined, 'ollama-port') ?? 11435,
    claudePort: portArg(values['claude-port'] as string | undefined, 'claude-port') ?? 11436,
    agentLatencyMs: latency,
  });
  const env = standInEnvironment(servers.ollama.host, servers.anthropic.url);
  process.stdout.write(
    [
      'llmgenie stand-in models are running: scripted answers in the Ollama and Claude wire formats, not real models.',
      `  Ollama  ${servers.ollama.host}   Claude  ${servers.anthropic.url}`,
      '',
      'Export this in the shell you run llmgenie (or the editor) from:',
      ...Object.entries(env).map(([k, v]) => `  export ${k}=${v}`),
      '',
      'Then, in a git repository: llmgenie agents run "Add a clamp helper with tests" --task "Add a slugify helper with tests" --parallel 2',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  let calls = 0;
  const tick = setInterval(() => {
    if (servers.agents.calls.length === calls) return;
    const fresh = servers.agents.calls.slice(calls);
    calls = servers.agents.calls.length;
    for (const c of fresh) process.stdout.write(`  answered as the ${c.role} (round ${c.round}): ${c.task}\n`);
  }, 500);
  const stop = () => {
    clearInterval(tick);
    void servers.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function child(): Promise<void> {
  const servers = await startStandInModels({ agentLatencyMs: Number(process.env.LLMGENIE_FAKE_AGENT_LATENCY_MS) || 0 });
  const { ollama, anthropic } = servers;
  process.stdout.write(`${JSON.stringify({ event: 'ready', ollama: ollama.host, anthropic: anthropic.url })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() !== 'dump') return;
    process.stdout.write(`${JSON.stringify({ event: 'dump', ollama: ollama.chatBodies(), anthropic: anthropic.requests.map((r) => r.body) })}\n`);
  });
  lines.on('close', () => {
    void servers.close().then(() => process.exit(0));
  });
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ options: { dev: { type: 'boolean' }, 'ollama-port': { type: 'string' }, 'claude-port': { type: 'string' }, 'latency-ms': { type: 'string' } } }));
  } catch (e) {
    process.stderr.write(`fake-models: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    await (values.dev ? dev(values) : child());
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EADDRINUSE' ? `port ${(err as { port?: number }).port ?? ''} is taken (stand-ins already running? pick others with --ollama-port / --claude-port)` : err.message;
    process.stderr.write(`fake-models: ${why}${e instanceof UsageError ? `\n${USAGE}` : ''}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}

// Imported by tests for startStandInModels; run as a script, it serves.
if (/fakeLlmServersMain\.ts$/.test(process.argv[1] ?? '')) void main();
