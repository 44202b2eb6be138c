// Time to first token added by the router (runTask) over calling each SDK directly against the same local fake
// server, and what routing the held-out dataset would cost versus sending every task to Claude.
import { existsSync, readFileSync } from 'node:fs';
import { Ollama } from 'ollama';
import Anthropic from '@anthropic-ai/sdk';
import type { Emit } from './run';
import { runTask } from '../src/core/router/runTask';
import { createProviders } from '../src/core/router/setup';
import { buildConversation, userMessage, systemPrompt, normaliseCommand } from '../src/core/router/prompts';
import { toAnthropic, toOllamaMessages } from '../src/core/router/conversation';
import { decideRoute } from '../src/core/router/classifier';
import { estimateTokens } from '../src/core/router/budget';
import { costUsd, pricing } from '../src/core/router/pricing';
import { parseRoutingDataset } from '../src/core/router/routingDataset';
import { startFakeOllama, FAKE_OLLAMA_MODEL } from '../test/support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY } from '../test/support/fakeAnthropic';
import { percentile } from '../src/core/analytics/percentile';

const bench = 'router-ttft';
const RUNS = 200;
const WARMUP = 20;
const TARGET_ADDED_MS = 2;
/** No real model runs in the bench, so answers are assumed this long for the cost comparison. */
const ASSUMED_OUTPUT_TOKENS = 400;

const ANSWER = 'The function returns the cached value when present, otherwise computes and stores it before returning.';
const PROMPT = 'what does this function return?';
const CONTEXT = 'export function get(k: string) { return cache.get(k) ?? compute(k); }';

const r3 = (n: number): number => Math.round(n * 1000) / 1000;

export async function run(emit: Emit): Promise<void> {
  const ollama = await startFakeOllama({ reply: () => ({ text: ANSWER }) });
  const claude = await startFakeAnthropic({ reply: () => ({ text: ANSWER }) });
  try {
    const providers = createProviders({
      ollamaHost: ollama.host,
      ollamaModel: FAKE_OLLAMA_MODEL,
      anthropicApiKey: FAKE_CLAUDE_KEY,
      anthropicBaseURL: claude.url,
      claudeMaxRetries: 0,
    });
    const conv = buildConversation({ prompt: PROMPT, context: CONTEXT, fileName: 'a.ts', language: 'typescript', command: 'explain' }, false);
    const direct = {
      ollama: new Ollama({ host: ollama.host }),
      anthropic: new Anthropic({ apiKey: FAKE_CLAUDE_KEY, baseURL: claude.url, maxRetries: 0 }),
    };

    const directOllama = async (): Promise<number> => {
      const t0 = performance.now();
      const stream = await direct.ollama.chat({ model: FAKE_OLLAMA_MODEL, messages: toOllamaMessages(conv), stream: true });
      let t = NaN;
      for await (const c of stream) if (Number.isNaN(t) && c.message.content) t = performance.now() - t0;
      return t;
    };
    const directClaude = async (): Promise<number> => {
      const t0 = performance.now();
      const { system, messages } = toAnthropic(conv);
      const stream = await direct.anthropic.messages.create({ model: providers.cloud.model, max_tokens: 4096, system, messages, stream: true });
      let t = NaN;
      for await (const e of stream) if (Number.isNaN(t) && e.type === 'content_block_delta') t = performance.now() - t0;
      return t;
    };
    const routed = (mode: 'local' | 'cloud') => async (): Promise<number> => {
      const t0 = performance.now();
      let t = NaN;
      await runTask(
        { prompt: PROMPT, context: CONTEXT, fileName: 'a.ts', command: 'explain' },
        { ...providers, settings: { mode } },
        { onEvent: (e) => void (e.kind === 'delta' && Number.isNaN(t) && (t = performance.now() - t0)) },
      );
      return t;
    };

    for (const [side, viaSdk, viaRouter] of [
      ['ollama', directOllama, routed('local')],
      ['anthropic', directClaude, routed('cloud')],
    ] as const) {
      for (let i = 0; i < WARMUP; i++) {
        await viaSdk();
        await viaRouter();
      }
      const a: number[] = [];
      const b: number[] = [];
      // Interleaved so drift (GC, other processes) hits both equally.
      for (let i = 0; i < RUNS; i++) {
        a.push(await viaSdk());
        b.push(await viaRouter());
      }
      const added50 = percentile(b, 50) - percentile(a, 50);
      const added95 = percentile(b, 95) - percentile(a, 95);
      emit({ bench, metric: `ttft_${side}_sdk_p50`, value: r3(percentile(a, 50)), unit: 'ms', p95: r3(percentile(a, 95)), runs: RUNS });
      emit({ bench, metric: `ttft_${side}_router_p50`, value: r3(percentile(b, 50)), unit: 'ms', p95: r3(percentile(b, 95)), runs: RUNS });
      emit({ bench, metric: `ttft_${side}_added_p50`, value: r3(added50), unit: 'ms', target: TARGET_ADDED_MS, pass: added50 <= TARGET_ADDED_MS });
      emit({ bench, metric: `ttft_${side}_added_p95`, value: r3(added95), unit: 'ms', target: TARGET_ADDED_MS, pass: added95 <= TARGET_ADDED_MS });
    }
  } finally {
    await ollama.close();
    await claude.close();
  }

  const file = 'data/routing/test.jsonl';
  if (!existsSync(file)) {
    emit({ bench, metric: 'dataset_cost', value: null, unit: 'usd', skipped: `${file} not found` });
    return;
  }
  const tasks = parseRoutingDataset(readFileSync(file, 'utf8'), file);
  let local = 0;
  let routedCost = 0;
  let allCloudCost = 0;
  for (const t of tasks) {
    const command = normaliseCommand(t.command);
    const inputTokens = estimateTokens(systemPrompt(command, false) + userMessage(t.prompt, t.context));
    const cost = costUsd(pricing.defaultCloudModel, { inputTokens, outputTokens: ASSUMED_OUTPUT_TOKENS });
    allCloudCost += cost;
    if (decideRoute(t, 'auto').route === 'local') local++;
    else routedCost += cost;
  }
  emit({ bench, metric: 'dataset_share_routed_local', value: r3(local / tasks.length), unit: 'ratio', tasks: tasks.length, split: 'test' });
  emit({
    bench,
    metric: 'dataset_cost_routed_vs_all_cloud',
    value: r3(allCloudCost ? routedCost / allCloudCost : 0),
    unit: 'ratio',
    routedUsd: Math.round(routedCost * 1e4) / 1e4,
    allCloudUsd: Math.round(allCloudCost * 1e4) / 1e4,
    model: pricing.defaultCloudModel,
    assumption: `${ASSUMED_OUTPUT_TOKENS} output tokens per answer, input ~ chars/4, no escalations (no real model in the bench)`,
  });
}
