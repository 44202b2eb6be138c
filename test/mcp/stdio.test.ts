// The shipped CLI bundle, spawned for real: what VS Code, Cursor and Claude Code run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { diskWorkspace, removeDir, SECRET, SESSION_ID } from './fixture';

const CLI = resolve('dist/cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

describe('llmgenie mcp: the built CLI (dist/cli.js) over real stdio', function () {
  this.timeout(30_000);
  let dir: string;

  before(function () {
    if (!existsSync(CLI)) this.skip(); // `npm test` builds first; a bare `mocha` run without a build has nothing to spawn
    const stale = Math.max(newestSource('src/mcp'), statSync('src/cli/commands/mcp.ts').mtimeMs) > statSync(CLI).mtimeMs;
    assert.ok(!stale, 'dist/cli.js is older than src/mcp: run "npm run build" first');
  });
  beforeEach(() => (dir = diskWorkspace()));
  afterEach(() => removeDir(dir));

  it('serves the SDK client: tools, a masked policy check, a resource, the handoff prompt; logs an mcp session', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--root', dir], stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.name, 'llmgenie');
      assert.equal((await client.listTools()).tools.length, 13);
      const check = await client.callTool({ name: 'check_policy', arguments: { path: 'src/billing.ts' } });
      assert.equal((check.structuredContent as { summary: { findings: number } }).summary.findings, 2);
      assert.ok(!JSON.stringify(check).includes(SECRET));
      const bad = await client.callTool({ name: 'validate_handoff', arguments: { path: '../../etc' } });
      assert.equal(bad.isError, true);
      const rule = await client.readResource({ uri: 'llmgenie://rules/001' });
      assert.match(String((rule.contents[0] as { text?: string }).text), /Logging \(001\)/);
      const prompt = await client.getPrompt({ name: 'handoff_startup', arguments: { path: 'docs/handoff/billing' } });
      assert.equal(prompt.messages[0].role, 'user');
    } finally {
      await client.close();
    }
    assert.match(stderr, /serving .* over stdio/);
    const sessions = readdirSync(join(dir, '.llmgenie/sessions')).filter((f) => !f.startsWith(SESSION_ID) && f.endsWith('.jsonl'));
    assert.equal(sessions.length, 1);
    const events = readFileSync(join(dir, '.llmgenie/sessions', sessions[0]), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events[0].payload.host, 'mcp');
    assert.deepEqual(events.slice(1).map((e) => e.type), ['policy', 'note']);
  });

  it('exits 0 when the client closes stdin, and on SIGTERM in --http mode', async () => {
    const stdio = spawn(process.execPath, [CLI, 'mcp', '--root', dir], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LLMGENIE_SESSION_LOG: 'off' } });
    let out = '';
    stdio.stdout.on('data', (d) => (out += d));
    stdio.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })}\n`);
    await new Promise<void>((r) => stdio.stdout.once('data', () => r()));
    stdio.stdin.end();
    assert.equal(await new Promise((r) => stdio.once('exit', r)), 0);
    assert.deepEqual(JSON.parse(out), { result: {}, jsonrpc: '2.0', id: 1 });

    const http = spawn(process.execPath, [CLI, 'mcp', '--http', '0', '--no-auth', '--root', dir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LLMGENIE_SESSION_LOG: 'off' } });
    let err = '';
    const url = await new Promise<string>((r) =>
      http.stderr.on('data', (d) => {
        err += d;
        const m = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
        if (m) r(m[1]);
      }),
    );
    const res = await fetch(url);
    assert.equal(res.status, 400, 'up, and a GET without a session is refused');
    http.kill('SIGTERM');
    assert.equal(await new Promise((r) => http.once('exit', r)), 0);
    assert.match(err, /WARNING: --no-auth[\s\S]*stopped\n$/);
  });
});
