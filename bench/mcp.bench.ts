// MCP server: per-call latency through the SDK client (in-memory transport, 500 lessons), loopback HTTP round trips
// and concurrency, and the cold start of the built CLI over stdio (what an editor waits for when it launches it).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { startMcpHttpServer } from '../src/mcp/http';
import { createLlmgenieServer, McpWorkspace } from '../src/mcp/server';
import { diskWorkspace, fakeGit, fixedClock, memoryWorkspace, removeDir, ROOT } from '../test/mcp/fixture';
import type { Emit } from './run';
import { percentile } from '../src/core/analytics/percentile';

const LESSONS = 500;
const WORDS = ['cache', 'invoice', 'rounding', 'ollama', 'timeout', 'retry', 'migration', 'logger', 'secret', 'index', 'session', 'handoff', 'schema', 'queue'];

const pct = (xs: number[], p: number): number => Math.round(percentile(xs, p) * 100) / 100;

async function timed(n: number, f: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

export async function run(emit: Emit): Promise<void> {
  const fs = memoryWorkspace();
  for (let i = 0; i < LESSONS; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length];
    fs.files.set(`${ROOT}/docs/lessons/2024-01-01-lesson-${i}.md`, `---\ntitle: ${w(0)} ${w(1)} lesson ${i}\ntags: [${w(2)}]\n---\n\n${Array.from({ length: 60 }, (_, k) => w(k)).join(' ')}.\n`);
  }
  const source = Array.from({ length: 150 }, (_, i) => `export const v${i} = compute(${i}); // line ${i}`).join('\n');
  const ws = new McpWorkspace({ root: ROOT, fs, clock: fixedClock, env: {}, git: fakeGit, lessonsTtlMs: 60_000 });
  const server = createLlmgenieServer(ws);
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(b);
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  const coldLessons = await timed(1, () => call('search_lessons', { query: 'invoice rounding' }));
  emit({ bench: 'mcp', metric: 'search_lessons first call (loads 500 lessons)', value: Math.round(coldLessons[0]), unit: 'ms' });
  const cases: Array<[string, string, Record<string, unknown>, number]> = [
    ['search_lessons', 'search_lessons p95 (500 lessons)', { query: 'cache timeout retry' }, 20],
    ['check_policy', 'check_policy text p95 (150 lines)', { text: source, language: 'typescript' }, 20],
    ['validate_handoff', 'validate_handoff path p95', { path: 'docs/handoff/billing' }, 20],
    ['get_rule', 'get_rule p95', { id: '400' }, 20],
  ];
  for (const [tool, metric, args, target] of cases) {
    await timed(5, () => call(tool, args));
    const xs = await timed(100, () => call(tool, args));
    const p95 = pct(xs, 95);
    emit({ bench: 'mcp', metric, value: p95, unit: 'ms', p50: pct(xs, 50), target, pass: p95 <= target });
  }
  await client.close();

  // Every call past the TTL re-lists and stats the lesson files; unchanged files are not re-read.
  const fresh = createLlmgenieServer(new McpWorkspace({ root: ROOT, fs, clock: fixedClock, env: {}, git: fakeGit, lessonsTtlMs: 0 }));
  const [c2, s2] = InMemoryTransport.createLinkedPair();
  await fresh.connect(c2);
  const client2 = new Client({ name: 'bench-ttl', version: '1' });
  await client2.connect(s2);
  await client2.callTool({ name: 'search_lessons', arguments: { query: 'cache' } });
  const checked = await timed(30, () => client2.callTool({ name: 'search_lessons', arguments: { query: 'cache timeout' } }));
  emit({ bench: 'mcp', metric: 'search_lessons with a change check (500 unchanged lessons) p50', value: pct(checked, 50), unit: 'ms', target: 50, pass: pct(checked, 50) <= 50 });
  await client2.close();

  const h = await startMcpHttpServer({ port: 0, token: 'bench-token-0123456789abcdefghijklmnop', createServer: () => createLlmgenieServer(ws) });
  try {
    const transport = new StreamableHTTPClientTransport(new URL(h.url), { requestInit: { headers: { authorization: 'Bearer bench-token-0123456789abcdefghijklmnop' } } });
    const hc = new Client({ name: 'bench-http', version: '1' });
    await hc.connect(transport);
    await timed(10, () => hc.ping());
    const pings = await timed(200, () => hc.ping());
    emit({ bench: 'mcp', metric: 'HTTP ping round trip p50', value: pct(pings, 50), unit: 'ms', p95: pct(pings, 95), target: 5, pass: pct(pings, 50) <= 5 });
    const t = performance.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => hc.callTool({ name: i % 2 ? 'get_rule' : 'search_lessons', arguments: i % 2 ? { id: '001' } : { query: 'cache' } })));
    const secs = (performance.now() - t) / 1000;
    emit({ bench: 'mcp', metric: 'HTTP tool calls/s (200 concurrent, one session)', value: Math.round(200 / secs), unit: 'calls/s' });
    await hc.close();
  } finally {
    await h.close();
  }

  const cli = resolve('dist/cli.js');
  if (!existsSync(cli)) return;
  const dir = diskWorkspace();
  try {
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      starts.push(
        await new Promise<number>((done, fail) => {
          const t0 = performance.now();
          const p = spawn(process.execPath, [cli, 'mcp', '--root', dir], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LLMGENIE_SESSION_LOG: 'off' } });
          p.stdout.once('data', () => {
            done(performance.now() - t0);
            p.stdin.end();
          });
          p.once('error', fail);
          p.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'b', version: '1' } } })}\n`);
        }),
      );
    }
    const p50 = pct(starts, 50);
    emit({ bench: 'mcp', metric: 'stdio cold start to initialize result (dist/cli.js) p50', value: Math.round(p50), unit: 'ms', target: 1000, pass: p50 <= 1000 });
  } finally {
    removeDir(dir);
  }
}
