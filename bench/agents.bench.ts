// Agent runs: (1) four runs at the same time, with 200 ms of fake model latency per reply, against the longest of
// the four run alone (goal: about as long as the longest, not the sum; the ratio is printed); (2) the embedded
// journal's append rate (publish = one durable JSONL line); (3) resume of a 1,000-message run: open the journal,
// replay it and summarise it, as `agents resume` and `agents status` do before anything else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '../src/core/agents/bus/embeddedBus';
import { fileCommandApprovals } from '../src/core/agents/checkCommand';
import { runPaths } from '../src/core/agents/layout';
import { launchRun } from '../src/core/agents/runLauncher';
import { summarizeRun } from '../src/core/agents/runState';
import { readRunStatus } from '../src/core/agents/runStatus';
import { agentSettingsFrom } from '../src/core/agents/setup';
import { percentile } from '../src/core/analytics/percentile';
import { nodeFileSystem } from '../src/core/platform/fileSystem';
import { createProviders } from '../src/core/router/setup';
import { makeRepo } from '../test/core/agents/pipelineFixture';
import { AgentModelScript, claudeAgentReply, ollamaAgentReply } from '../test/support/fakeAgentModels';
import { FAKE_CLAUDE_KEY, startFakeAnthropic } from '../test/support/fakeAnthropic';
import { startFakeOllama } from '../test/support/fakeOllama';
import { makeRng } from './fixtures/rng';
import type { Emit } from './run';

const LATENCY_MS = 200;
const TASKS = ['Add a clamp helper with tests', 'Add a slugify helper with tests', 'Add a trim helper with tests', 'Add a pad helper with tests'];
const PARALLEL_RATIO_TARGET = 1.5;
const APPENDS = 1000;
const RESUME_MESSAGES = 1000;
const RESUME_ROUNDS = 7;

async function parallelRuns(emit: Emit): Promise<void> {
  const root = makeRepo();
  const state = mkdtempSync(join(tmpdir(), 'llmgenie-agents-bench-'));
  const script = new AgentModelScript({ latencyMs: LATENCY_MS });
  const ollama = await startFakeOllama({ reply: ollamaAgentReply(script) });
  const anthropic = await startFakeAnthropic({ reply: claudeAgentReply(script) });
  try {
    const approvals = fileCommandApprovals(nodeFileSystem, `${state}/approvals.json`);
    await approvals.accept(root, 'node --test');
    const options = {
      root,
      router: createProviders({ ollamaHost: ollama.host, anthropicApiKey: FAKE_CLAUDE_KEY, anthropicBaseURL: anthropic.url }),
      approvals,
      trusted: true,
      settings: agentSettingsFrom({ 'llmgenie.agents.checkCommand': 'node --test' }),
      parallel: 1,
    };
    const timed = async (tasks: string[]) => {
      const t0 = performance.now();
      const handles = tasks.map((t) => launchRun({ ...options, tasks: [t] }));
      const done = await Promise.all(handles.map((h) => h.done));
      if (done.some((s) => s.status !== 'finished' || s.branches.some((b) => b.status !== 'approved'))) throw new Error('a bench run did not end approved');
      return performance.now() - t0;
    };
    const single: number[] = [];
    for (const t of TASKS) single.push(await timed([t]));
    const calls = script.calls.length;
    const together = await timed(TASKS);
    const longest = Math.max(...single);
    const ratio = together / longest;
    emit({
      bench: 'agents',
      metric: 'four_parallel_runs_vs_longest_ratio',
      value: Math.round(ratio * 100) / 100,
      target: PARALLEL_RATIO_TARGET,
      pass: ratio <= PARALLEL_RATIO_TARGET,
      parallel_ms: Math.round(together),
      longest_single_ms: Math.round(longest),
      sum_of_singles_ms: Math.round(single.reduce((a, b) => a + b, 0)),
      model_latency_ms: LATENCY_MS,
      model_replies_per_run: Math.round(calls / TASKS.length),
      note: 'four runs (one branch each, check command node --test) at once vs each alone',
    });
  } finally {
    await ollama.close();
    await anthropic.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

async function journal(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-journal-bench-')).replace(/\\/g, '/');
  const rng = makeRng(13);
  try {
    // Appends: publish, each resolving once its line is on disk.
    const bus = new EmbeddedBus({ fs: nodeFileSystem, journalPath: (r) => runPaths(dir, r).journal, maxBacklog: APPENDS + 10 });
    const lat: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < APPENDS; i++) {
      const a = performance.now();
      await bus.publish({ topic: 'step', key: { run: 'append', step: `b${i % 8}/coder/${i}`, attempt: 1 }, payload: { branch: `b${i % 8}`, role: 'coder', round: 1, input: { roundBase: rng().toString(16).slice(2) } } });
      lat.push(performance.now() - a);
    }
    const total = performance.now() - t0;
    await bus.close();
    emit({ bench: 'agents', metric: 'journal_appends_per_s', value: Math.round((APPENDS * 1000) / total), unit: 'msg/s', p50_ms: Math.round(percentile(lat, 50) * 1000) / 1000, p99_ms: Math.round(percentile(lat, 99) * 1000) / 1000, messages: APPENDS });

    // A 1,000-message run shaped like a real one: per branch its record, then step + result for the four roles.
    const run = 'resume-bench';
    const writer = new EmbeddedBus({ fs: nodeFileSystem, journalPath: (r) => runPaths(dir, r).journal, maxBacklog: RESUME_MESSAGES + 10 });
    const key = (step: string) => ({ run, step, attempt: 1 });
    await writer.publish({ topic: 'run', key: key('started'), payload: { kind: 'started', tasks: [], parallel: 4, base: 'a'.repeat(40), engine: 'embedded' } });
    let n = 1;
    for (let b = 0; n < RESUME_MESSAGES; b++) {
      const slug = `task-${b}`;
      await writer.publish({ topic: 'run', key: key(`branch/${slug}`), payload: { kind: 'branch', slug, task: `Task ${b}`, branch: `llmgenie/${run}/${slug}`, path: `${dir}/wt/${slug}`, base: 'a'.repeat(40) } });
      n++;
      for (const role of ['coder', 'policy', 'librarian', 'reviewer']) {
        if (n >= RESUME_MESSAGES) break;
        await writer.publish({ topic: 'step', key: key(`${slug}/${role}/1`), payload: { branch: slug, role, round: 1, input: { roundBase: 'a'.repeat(40) } } });
        const [d] = await writer.consume({ topic: 'step', run, consumer: 'w' });
        await writer.ack(d!);
        const output = role === 'reviewer' ? { verdict: 'approve', summary: 'ok', findings: [] } : role === 'librarian' ? { package: `docs/handoff/${slug}`, score: 90, passed: true, minScore: 80 } : { summary: 'done' };
        await writer.publish({ topic: 'result', key: key(`${slug}/${role}/1`), payload: { branch: slug, role, round: 1, status: 'done', head: 'b'.repeat(40), output, usage: { tokensIn: 100, tokensOut: 50, costUsd: 0, ms: 200 } } });
        n += 2;
      }
    }
    await writer.close();
    const times: number[] = [];
    const replay: number[] = [];
    let messages = 0;
    // Round 0 warms the JIT up and is not counted.
    for (let i = 0; i <= RESUME_ROUNDS; i++) {
      const t = performance.now();
      const reader = new EmbeddedBus({ fs: nodeFileSystem, journalPath: (r) => runPaths(dir, r).journal });
      const history = await reader.history(run);
      const replayed = performance.now();
      summarizeRun(history, new Date(), 2);
      await reader.close();
      if (i) times.push(performance.now() - t), replay.push(replayed - t);
      messages = history.length;
    }
    const s0 = performance.now();
    await readRunStatus(nodeFileSystem, dir, run);
    const statusMs = performance.now() - s0;
    emit({ bench: 'agents', metric: 'resume_replay_ms', value: Math.round(percentile(times, 50) * 10) / 10, unit: 'ms', p90_ms: Math.round(percentile(times, 90) * 10) / 10, replay_p50_ms: Math.round(percentile(replay, 50) * 10) / 10, messages, rounds: RESUME_ROUNDS, status_ms: Math.round(statusMs * 10) / 10, note: 'open + replay + summarise the journal (lease and ack lines included), before resume continues' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(emit: Emit): Promise<void> {
  await journal(emit);
  await parallelRuns(emit);
}
