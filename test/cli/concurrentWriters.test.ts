// Twelve real processes writing into one workspace at once, as a team's editors, agents and scripts do: CLI
// `lessons add` (all with the same title), CLI `decision record`, and MCP servers over stdio (the SDK client after
// tools/list) adding lessons and decisions. Afterwards every lesson has its own file, every decision its entry, and
// every write its session event.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const MAIN = resolve(__dirname, '../../src/cli/main.ts');
// By path: the workspaces live in a temp folder, where the bare name "tsx" does not resolve.
const TSX = pathToFileURL(resolve(__dirname, '../../node_modules/tsx/dist/loader.mjs')).href;

function cli(root: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => done({ code, out, err }));
  });
}

/** Twelve processes start at once on a shared CI machine: the SDK's 60 s default per request is not the point here. */
const SLOW_MACHINE = { timeout: 150_000 };

async function mcpWriter(root: string, n: number, tag: string): Promise<void> {
  const transport = new StdioClientTransport({ command: process.execPath, args: ['--import', TSX, MAIN, 'mcp', '--root', root], stderr: 'pipe', cwd: root });
  const client = new Client({ name: `writers-${tag}`, version: '1.0.0' });
  await client.connect(transport);
  try {
    await client.listTools(undefined, SLOW_MACHINE); // as hosts do: results are then checked against the listed output schemas
    const calls = [];
    for (let i = 0; i < n; i++) {
      calls.push(client.callTool({ name: 'add_lesson', arguments: { title: 'Same title everywhere', body: `from ${tag} #${i}` } }, undefined, SLOW_MACHINE));
      calls.push(client.callTool({ name: 'record_decision', arguments: { title: `${tag} decision ${i}`, decision: `chosen by ${tag} #${i}` } }, undefined, SLOW_MACHINE));
    }
    for (const r of await Promise.all(calls)) assert.notEqual(r.isError, true, JSON.stringify(r.content));
  } finally {
    await client.close();
  }
}

describe('twelve concurrent writers in one workspace (real processes)', function () {
  this.timeout(180_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'llmgenie-writers-')).replace(/\\/g, '/');
    mkdirSync(join(root, 'src'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('CLI lessons add ×5, CLI decision record ×5 and 2 MCP servers ×(8 lessons + 8 decisions) lose nothing', async () => {
    const perMcp = 8;
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => cli(root, ['lessons', 'add', '--title', 'Same title everywhere', '--body', `from cli #${i}`])),
      ...Array.from({ length: 5 }, (_, i) => cli(root, ['decision', 'record', '--title', `cli decision ${i}`, '--decision', `chosen by cli #${i}`])),
      mcpWriter(root, perMcp, 'mcpA').then(() => ({ code: 0, out: '', err: '' })),
      mcpWriter(root, perMcp, 'mcpB').then(() => ({ code: 0, out: '', err: '' })),
    ]);
    for (const r of results) assert.equal(r.code, 0, r.err);

    // Lessons: one file each, reserved atomically; every body is on disk once.
    const lessonDir = join(root, 'docs/lessons');
    const files = readdirSync(lessonDir).filter((f) => f.endsWith('.md'));
    const bodies = files.map((f) => /from (cli|mcpA|mcpB) #\d+/.exec(readFileSync(join(lessonDir, f), 'utf8'))?.[0]).sort();
    const expectedBodies = [...Array.from({ length: 5 }, (_, i) => `from cli #${i}`), ...['mcpA', 'mcpB'].flatMap((t) => Array.from({ length: perMcp }, (_, i) => `from ${t} #${i}`))].sort();
    assert.deepEqual(bodies, expectedBodies);

    // Decisions: one `##` entry each, and one header.
    const log = readFileSync(join(root, 'docs/decision-log.md'), 'utf8');
    const titles = [...log.matchAll(/^## \d{4}-\d{2}-\d{2} — (.+)$/gm)].map((m) => m[1]).sort();
    const expectedTitles = [...Array.from({ length: 5 }, (_, i) => `cli decision ${i}`), ...['mcpA', 'mcpB'].flatMap((t) => Array.from({ length: perMcp }, (_, i) => `${t} decision ${i}`))].sort();
    assert.deepEqual(titles, expectedTitles);
    assert.equal(log.match(/^# Decision log$/gm)?.length, 1, 'one header, though many found the log missing at once');

    // Sessions: every write logged once, in some process's session file, no torn line.
    const sessionsDir = join(root, '.llmgenie/sessions');
    const events = readdirSync(sessionsDir)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(sessionsDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> }));
    assert.equal(events.filter((e) => e.type === 'decision').length, 5 + 2 * perMcp);
    assert.equal(events.filter((e) => e.type === 'lesson').length, 5 + 2 * perMcp);
  });
});
