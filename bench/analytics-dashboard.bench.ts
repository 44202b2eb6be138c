// The editor's live views over session logs: what a refresh costs after one append (read cache) and what the
// dashboard's figures cost, over 200 sessions × 500 events (100k) on the real file system.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardFigures } from '../src/core/analytics/dashboard';
import { computeStats } from '../src/core/analytics/stats';
import { nodeFileSystem } from '../src/core/platform/fileSystem';
import { makeSessionId } from '../src/core/sessions/layout';
import { readAllSessions } from '../src/core/sessions/read';
import { SessionReadCache } from '../src/core/sessions/readCache';
import type { Emit } from './run';
import { percentile } from '../src/core/analytics/percentile';

const SESSIONS = 200;
const PER_SESSION = 500;
const DAY = 86_400_000;

/** Session files written directly (one write each): the store's append path is measured in sessions.bench. */
async function writeSessions(root: string): Promise<string> {
  const dir = `${root}/.llmgenie/sessions`;
  const start = Date.parse('2026-06-01T08:00:00.000Z');
  for (let s = 0; s < SESSIONS; s++) {
    const t0 = start + s * (DAY / 2);
    const id = makeSessionId(new Date(t0), s.toString(36).padStart(6, '0'));
    const lines = [JSON.stringify({ v: 1, id: 'e1', time: new Date(t0).toISOString(), type: 'session-start', payload: { host: 'editor', workspace: 'w', version: 'bench' } })];
    for (let i = 0; i < PER_SESSION; i++) {
      const local = i % 3 !== 0;
      const escalated = local && i % 11 === 0;
      const payload = {
        command: 'explain',
        route: local ? 'local' : 'cloud',
        mode: 'auto',
        reasons: ['no complexity cues: routine task'],
        provider: local && !escalated ? 'ollama' : 'anthropic',
        model: local && !escalated ? 'qwen2.5-coder:7b' : 'claude-sonnet-5-5',
        escalated,
        ...(escalated ? { escalationReason: 'no code block in a tests answer' } : {}),
        tokensIn: 400 + (i % 900),
        tokensOut: 100 + (i % 400),
        costUsd: local && !escalated ? 0 : 0.004,
        cloudCostUsd: 0.004,
        ttftMs: 150 + (i % 700),
        totalMs: 900 + (i % 9000),
        ok: i % 50 !== 0,
      };
      lines.push(JSON.stringify({ v: 1, id: `e${i + 2}`, time: new Date(t0 + (i + 1) * 30_000).toISOString(), type: 'task', payload }));
    }
    await nodeFileSystem.writeText(`${dir}/${id}.jsonl`, `${lines.join('\n')}\n`);
  }
  return dir;
}

async function timed(f: () => Promise<unknown> | unknown, runs = 5): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    await f();
    out.push(performance.now() - a);
  }
  return percentile(out, 50);
}

export async function run(emit: Emit): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'llmgenie-bench-dash-')).replace(/\\/g, '/');
  try {
    const dir = await writeSessions(root);
    const events = SESSIONS * (PER_SESSION + 1);
    const full = await timed(() => readAllSessions(nodeFileSystem, root), 3);
    emit({ bench: 'analytics-dashboard', metric: 'read all sessions, uncached', value: Math.round(full), unit: 'ms', events });

    const cache = new SessionReadCache(nodeFileSystem, root);
    await cache.readAll(dir);
    const newest = (await cache.readAll(dir))[0].summary.files[0];
    let n = 0;
    const refresh = await timed(async () => {
      await nodeFileSystem.appendText(newest, `${JSON.stringify({ v: 1, id: `x${++n}`, time: '2026-09-20T00:00:00.000Z', type: 'note', payload: { message: 'x' } })}\n`);
      await cache.readAll(dir);
    });
    emit({ bench: 'analytics-dashboard', metric: 'refresh after one append (read cache)', value: Math.round(refresh), unit: 'ms', target: 100, pass: refresh <= 100, events });

    const all = await cache.readAll(dir);
    const now = new Date('2026-09-20T00:00:00.000Z');
    const flat = all.flatMap((x) => x.events);
    const base = await timed(() => computeStats(flat, { now }));
    emit({ bench: 'analytics-dashboard', metric: 'computeStats alone, all events (baseline)', value: Math.round(base), unit: 'ms', events });
    for (const period of ['all', '30d'] as const) {
      const ms = await timed(() => dashboardFigures(all, period, now, 0));
      emit({ bench: 'analytics-dashboard', metric: `dashboard figures, period ${period}`, value: Math.round(ms), unit: 'ms', target: 200, pass: ms <= 200, events });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
