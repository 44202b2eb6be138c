// How fast Cancel stops a streaming answer: abort on the first token of a slow stream (a chunk every 100 ms) through
// each real client, and time until the stream ends. Target: 100 ms (issue: CancellationToken → AbortSignal).
import type { Emit } from './run';
import { createProviders } from '../src/core/router/setup';
import type { Conversation } from '../src/core/router/conversation';
import type { LlmProvider } from '../src/core/router/provider';
import { startFakeOllama, FAKE_OLLAMA_MODEL } from '../test/support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY } from '../test/support/fakeAnthropic';

const RUNS = 30;
const TARGET_MS = 100;
const ASK: Conversation = { system: 'You are terse.', turns: [{ role: 'user', content: 'explain this' }] };
const SLOW = { text: Array.from({ length: 40 }, (_, i) => `word${i} `), chunkDelayMs: 100 };

async function cancelLatency(provider: LlmProvider): Promise<number> {
  const ac = new AbortController();
  let abortedAt = 0;
  try {
    for await (const e of provider.streamChat(ASK, { signal: ac.signal })) {
      if (e.type === 'text' && !abortedAt) {
        abortedAt = performance.now();
        ac.abort();
      }
    }
  } catch {
    // cancelled: expected
  }
  return performance.now() - abortedAt;
}

export async function run(emit: Emit): Promise<void> {
  const ollama = await startFakeOllama({ reply: () => SLOW });
  const claude = await startFakeAnthropic({ reply: () => SLOW });
  try {
    const { local, cloud } = createProviders({ ollamaHost: ollama.host, ollamaModel: FAKE_OLLAMA_MODEL, anthropicApiKey: FAKE_CLAUDE_KEY, anthropicBaseURL: claude.url, claudeMaxRetries: 0 });
    for (const [name, provider] of [['ollama', local], ['anthropic', cloud]] as const) {
      const xs: number[] = [];
      for (let i = 0; i < RUNS; i++) xs.push(await cancelLatency(provider));
      xs.sort((a, b) => a - b);
      const p95 = xs[Math.min(xs.length - 1, Math.floor(0.95 * xs.length))]!;
      emit({ bench: 'router-cancel', metric: `cancel_${name}_p95_ms`, value: Math.round(p95 * 100) / 100, unit: 'ms', p50: Math.round(xs[Math.floor(xs.length / 2)]! * 100) / 100, target: TARGET_MS, pass: p95 <= TARGET_MS, runs: RUNS });
    }
  } finally {
    await ollama.close();
    await claude.close();
  }
}
