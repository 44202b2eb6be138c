import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createMcpCommands } from '../../src/cli/commands/mcp';
import { CliError, UsageError, type CliCommand } from '../../src/cli/command';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { diskWorkspace, fixedClock, memoryWorkspace, removeDir, ROOT, SESSION_ID } from '../mcp/fixture';
import { MemoryFileSystem } from '../support/memoryFileSystem';
import { fakeCliIO } from '../support/cliIO';

function fakeIO(cwd: string, env: Record<string, string> = {}) {
  return fakeCliIO(cwd, env);
}

async function exitOf(p: Promise<number>): Promise<{ code: number; message?: string; usage: boolean }> {
  try {
    return { code: await p, usage: false };
  } catch (e) {
    assert.ok(e instanceof CliError, `commands throw CliError only, got ${String(e)}`);
    assert.ok(!e.message.includes('\n    at '), 'no stack trace');
    return { code: e.exitCode, message: e.message, usage: e instanceof UsageError };
  }
}

function pick(cmds: CliCommand[], words: string): CliCommand {
  const c = cmds.find((x) => x.words.join(' ') === words);
  assert.ok(c, words);
  return c;
}

async function waitFor(get: () => string, re: RegExp, ms = 5000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = re.exec(get());
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(get())}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('llmgenie mcp', () => {
  it('rejects bad flags as usage errors (exit 2) and a root that is not a folder', async () => {
    const serve = pick(createMcpCommands({ fs: memoryWorkspace(), clock: fixedClock }), 'mcp');
    for (const args of [['extra'], ['--no-auth'], ['--http', 'abc'], ['--http', '70000'], ['--http', '-1'], ['--bogus']]) {
      const r = await exitOf(serve.run(args, fakeIO(ROOT)));
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.usage, args.join(' '));
    }
    const r = await exitOf(serve.run(['--root', 'missing'], fakeIO(ROOT)));
    assert.deepEqual(r, { code: 2, message: `workspace root is not a folder: ${ROOT}/missing`, usage: false });
  });

  it('stdio: answers JSON-RPC on stdout only, logs tool calls in an mcp session, exits 0 when stdin ends', async () => {
    const fs = memoryWorkspace();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += c));
    const io = fakeIO(ROOT);
    const serve = pick(createMcpCommands({ fs, clock: fixedClock, stdin, stdout, untilStopped: () => new Promise(() => {}) }), 'mcp');
    const running = serve.run([], io);
    const send = (m: object) => stdin.write(`${JSON.stringify(m)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    await waitFor(() => out, /"id":1/);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'check_policy', arguments: { path: 'src' } } });
    await waitFor(() => out, /"id":2/);
    stdin.end();
    assert.equal(await running, 0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), [1, 2]);
    assert.equal(lines[0].result.serverInfo.name, 'llmgenie');
    assert.equal(lines[1].result.structuredContent.summary.findings, 2);
    assert.equal(io.stdout, '', 'nothing but protocol on stdout');
    assert.match(io.stderr, /serving \/ws over stdio/);
    const session = [...fs.files.entries()].find(([p]) => /\/ws\/\.llmgenie\/sessions\/\d{8}-\d{9}-[0-9a-z]{6}\.jsonl$/.test(p) && !p.includes(SESSION_ID));
    assert.ok(session, 'an mcp session file was written');
    const events = session[1].trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => e.type), ['session-start', 'policy']);
    assert.equal(events[0].payload.host, 'mcp');
    assert.equal(events[1].payload.source, 'mcp');
  });

  it('--http: generates the token, prints URL and token on stderr, serves, and stops cleanly', async () => {
    const dir = diskWorkspace();
    try {
      let stop!: () => void;
      const io = fakeIO(dir, { LLMGENIE_SESSION_LOG: 'off', LLMGENIE_STATE_DIR: `${dir}-state` });
      const serve = pick(createMcpCommands({ fs: nodeFileSystem, clock: fixedClock, untilStopped: () => new Promise((r) => (stop = r)) }), 'mcp');
      const running = serve.run(['--http', '0'], io);
      const [, url] = await waitFor(() => io.stderr, /on (http:\/\/127\.0\.0\.1:\d+\/mcp)\n/);
      const [, token, file] = await waitFor(() => io.stderr, /bearer token (\S+) \(stored in (\S+-state\/mcp-tokens\/[0-9a-f]+)\)/);
      assert.equal(readFileSync(file, 'utf8').trim(), token);
      assert.throws(() => readFileSync(`${dir}/.llmgenie/mcp-token`), 'nothing in the repository');
      const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      assert.equal((await fetch(url, { method: 'POST', headers, body: JSON.stringify(init) })).status, 401);
      const ok = await fetch(url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${token}` }, body: JSON.stringify(init) });
      assert.equal(ok.status, 200);
      await ok.text();
      stop();
      assert.equal(await running, 0);
      assert.match(io.stderr, /stopped\n$/);
      await assert.rejects(fetch(url, { method: 'POST', headers, body: '{}' }));
    } finally {
      removeDir(dir);
      removeDir(`${dir}-state`);
    }
  });

  it('--http --no-auth warns on stderr and writes no token', async () => {
    const dir = diskWorkspace();
    try {
      let stop!: () => void;
      const io = fakeIO(dir, { LLMGENIE_SESSION_LOG: 'off', LLMGENIE_STATE_DIR: `${dir}-state` });
      const serve = pick(createMcpCommands({ fs: nodeFileSystem, clock: fixedClock, untilStopped: () => new Promise((r) => (stop = r)) }), 'mcp');
      const running = serve.run(['--http', '0', '--no-auth'], io);
      await waitFor(() => io.stderr, /on http:/);
      assert.match(io.stderr, /WARNING: --no-auth/);
      assert.doesNotMatch(io.stderr, /bearer token/);
      stop();
      assert.equal(await running, 0);
      assert.throws(() => readFileSync(`${dir}/.llmgenie/mcp-token`));
    } finally {
      removeDir(dir);
    }
  });
});

describe('llmgenie mcp install', () => {
  it('writes both config files with "npx llmgenie mcp", merging with what is there', async () => {
    const fs = new MemoryFileSystem({ '/ws/.mcp.json': '{\n  "mcpServers": {\n    "db": { "command": "db-mcp" }\n  }\n}\n' });
    const io = fakeIO('/ws');
    assert.equal(await pick(createMcpCommands({ fs }), 'mcp install').run([], io), 0);
    assert.equal(io.stdout, '.cursor/mcp.json: created (npx llmgenie mcp)\n.mcp.json: updated (npx llmgenie mcp)\n');
    assert.deepEqual(JSON.parse(await fs.readText('/ws/.mcp.json')).mcpServers, { db: { command: 'db-mcp' }, llmgenie: { command: 'npx', args: ['llmgenie', 'mcp'] } });
    const again = fakeIO('/ws');
    assert.equal(await pick(createMcpCommands({ fs }), 'mcp install').run([], again), 0);
    assert.match(again.stdout, /\.cursor\/mcp\.json: unchanged/);
  });

  it('--only and --absolute pick one file and the running CLI by absolute path', async () => {
    const fs = new MemoryFileSystem();
    const io = fakeIO('/ws');
    assert.equal(await pick(createMcpCommands({ fs, cliPath: '/opt/llmgenie/dist/cli.js' }), 'mcp install').run(['--only', 'claude', '--absolute'], io), 0);
    assert.deepEqual(JSON.parse(await fs.readText('/ws/.mcp.json')).mcpServers.llmgenie, {
      command: process.execPath.replace(/\\/g, '/'),
      args: ['/opt/llmgenie/dist/cli.js', 'mcp'],
    });
    assert.equal(await fs.stat('/ws/.cursor/mcp.json'), undefined);
    const bad = await exitOf(pick(createMcpCommands({ fs }), 'mcp install').run(['--only', 'zed'], fakeIO('/ws')));
    assert.equal(bad.code, 2);
    assert.ok(bad.usage);
  });

  it('leaves a malformed config untouched and exits 2 with the reason on stderr', async () => {
    const fs = new MemoryFileSystem({ '/ws/.cursor/mcp.json': '{ "mcpServers": { ' });
    const io = fakeIO('/ws');
    assert.equal(await pick(createMcpCommands({ fs }), 'mcp install').run([], io), 2);
    assert.match(io.stderr, /^llmgenie mcp install: \.cursor\/mcp\.json: not valid JSON \(.+ at line 1, column \d+\); fix it by hand, it was not changed\n$/);
    assert.equal(await fs.readText('/ws/.cursor/mcp.json'), '{ "mcpServers": { ');
    assert.match(io.stdout, /^\.mcp\.json: created/);
  });
});
