// Session logs: stats over 100k events (target ≤ 200 ms), append throughput and read/parse throughput on real fs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeStats } from '../src/core/analytics/stats';
import { systemClock } from '../src/core/platform/clock';
import { nodeFileSystem } from '../src/core/platform/fileSystem';
import type { SessionEvent } from '../src/core/sessions/events';
import { readAllSessions, readSession } from '../src/core/sessions/read';
import type { SessionEventInput } from '../src/core/sessions/sink';
import { openSession } from '../src/core/sessions/store';
import { makeRng } from './fixtures/rng';
import type { Emit } from './run';

const EVENTS = 100_000;
const APPENDS = 5_000;


const MODELS = [
  ['ollama', 'qwen2.5-coder:7b'],
  ['ollama', 'llama3.1:8b'],
  ['anthropic', 'claude-sonnet-4'],
  ['anthropic', 'claude-haiku-4'],
] as const;
const REASONS = ['low-confidence', 'syntax-error', 'too-short', 'refusal'];

/** A realistic mix: 85% tasks, 10% policy runs, 5% handoffs/notes. */
function makeInput(rand: () => number, i: number): SessionEventInput {
  const r = rand();
  if (r < 0.85) {
    const [provider, model] = MODELS[Math.floor(rand() * MODELS.length)];
    const local = provider === 'ollama';
    const escalated = !local && rand() < 0.3;
    const tokensIn = 200 + Math.floor(rand() * 4000);
    const tokensOut = 50 + Math.floor(rand() * 1500);
    const cloudCostUsd = (tokensIn * 3 + tokensOut * 15) / 1e6;
    return {
      type: 'task',
      payload: {
        command: 'explain',
        route: local ? 'local' : 'cloud',
        mode: 'auto',
        reasons: ['bench'],
        provider,
        model,
        escalated,
        ...(escalated ? { escalationReason: REASONS[i % REASONS.length] } : {}),
        tokensIn,
        tokensOut,
        costUsd: local ? 0 : cloudCostUsd,
        cloudCostUsd,
        ttftMs: 20 + rand() * 800,
        totalMs: 100 + rand() * 9000,
        ok: rand() > 0.02,
        files: ['src/core/sessions/store.ts'],
      },
    };
  }
  if (r < 0.95) {
    return { type: 'policy', payload: { source: 'editor', files: 12, findings: i % 5, byRule: { 'no-secrets': i % 3 }, bySeverity: { error: i % 2, warning: i % 3 } } };
  }
  return { type: 'note', payload: { message: `note ${i}` } };
}

function makeEvents(n: number): SessionEvent[] {
  const rand = makeRng(7);
  const start = Date.parse('2025-01-01T00:00:00Z');
  const out: SessionEvent[] = [];
  for (let i = 0; i < n; i++) {
    // ~90 days of activity
    const time = new Date(start + Math.floor((i / n) * 90 * 86_400_000)).toISOString();
    out.push({ v: 1, id: `e${i + 1}`, time, ...makeInput(rand, i) } as SessionEvent);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export async function run(emit: Emit): Promise<void> {
  const events = makeEvents(EVENTS);
  const now = new Date('2025-04-01T00:00:00Z');
  computeStats(events, { now }); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    computeStats(events, { now, utcOffsetMinutes: 60 });
    times.push(performance.now() - t0);
  }
  const statsMs = round(median(times));
  emit({ bench: 'sessions', metric: 'stats_100k_events_ms', value: statsMs, unit: 'ms', target: 200, pass: statsMs <= 200, runs: times.length });
  const since = new Date('2025-03-01T00:00:00Z');
  const t1 = performance.now();
  computeStats(events, { now, since });
  emit({ bench: 'sessions', metric: 'stats_100k_events_last_month_ms', value: round(performance.now() - t1), unit: 'ms' });

  const root = mkdtempSync(join(tmpdir(), 'llmgenie-bench-')).replace(/\\/g, '/');
  try {
    // Append: every event is redacted, validated, serialised and written with its own O_APPEND write.
    const store = await openSession(nodeFileSystem, systemClock, { root, host: 'cli', version: 'bench' });
    const inputs = Array.from({ length: APPENDS }, (_, i) => makeInput(makeRng(i + 1), i));
    const t2 = performance.now();
    for (const e of inputs) await store.append(e);
    const appendS = (performance.now() - t2) / 1000;
    emit({ bench: 'sessions', metric: 'append_lines_per_s', value: Math.round(APPENDS / appendS), unit: 'lines/s', lines: APPENDS });
    const t3 = performance.now();
    await Promise.all(inputs.map((e) => store.append(e)));
    emit({ bench: 'sessions', metric: 'append_lines_per_s_burst', value: Math.round(APPENDS / ((performance.now() - t3) / 1000)), unit: 'lines/s', lines: APPENDS });

    // Read/parse: 100k events on disk, in 5 MB parts as rotation leaves them.
    const big = await openSession(nodeFileSystem, systemClock, { root, host: 'editor', version: 'bench' });
    const lines = events.map((e) => JSON.stringify(e));
    const chunk = 20_000;
    for (let i = 0; i < lines.length; i += chunk) {
      await nodeFileSystem.appendText(`${big.path.replace(/\.jsonl$/, '')}.${2 + i / chunk}.jsonl`, `${lines.slice(i, i + chunk).join('\n')}\n`);
    }
    const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
    const t4 = performance.now();
    const read = await readSession(nodeFileSystem, root, big.sessionId);
    const readS = (performance.now() - t4) / 1000;
    if (read.events.length !== EVENTS + 1 || read.warnings.length) throw new Error(`read back ${read.events.length} events, ${read.warnings.length} warnings`);
    emit({ bench: 'sessions', metric: 'read_parse_events_per_s', value: Math.round(read.events.length / readS), unit: 'events/s' });
    emit({ bench: 'sessions', metric: 'read_parse_mb_per_s', value: round(bytes / 1e6 / readS), unit: 'MB/s', mb: round(bytes / 1e6) });

    // What `llmgenie stats` does end to end: read every session in the folder, then aggregate.
    const t5 = performance.now();
    const all = await readAllSessions(nodeFileSystem, root);
    computeStats(
      all.flatMap((s) => s.events),
      { now },
    );
    emit({ bench: 'sessions', metric: 'stats_from_disk_105k_events_ms', value: round(performance.now() - t5), unit: 'ms' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
