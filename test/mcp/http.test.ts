import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isAllowedOrigin, isLoopbackHost, startMcpHttpServer, type McpHttpHandle, type McpHttpOptions } from '../../src/mcp/http';
import { createLlmgenieServer, McpWorkspace } from '../../src/mcp/server';
import { fakeGit, fixedClock, memoryWorkspace, ROOT } from './fixture';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, because fetch will not send a forged Host header. */
function raw(port: number, o: { method?: string; path?: string; headers?: Record<string, string>; body?: string | object }): Promise<Raw> {
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: o.method ?? 'POST',
        path: o.path ?? '/mcp',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...o.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function auth(token = TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function connect(h: McpHttpHandle, token: string | undefined = TOKEN): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(h.url), token ? { requestInit: { headers: auth(token) } } : {});
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

describe('mcp over streamable HTTP (127.0.0.1)', () => {
  let h: McpHttpHandle;
  const clients: Client[] = [];
  const start = async (o: Partial<McpHttpOptions> = {}) => {
    const ws = new McpWorkspace({ root: ROOT, fs: memoryWorkspace(), clock: fixedClock, env: {}, git: fakeGit });
    h = await startMcpHttpServer({ port: 0, token: TOKEN, createServer: () => createLlmgenieServer(ws), ...o });
    return h;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
    await h?.close();
  });

  it('listens on 127.0.0.1 only, at /mcp', async () => {
    await start();
    assert.match(h.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.equal((await raw(h.port, { path: '/', headers: auth() })).status, 404);
    assert.equal((await raw(h.port, { path: '/mcp/x', headers: auth() })).status, 404);
  });

  it('serves the SDK client with the bearer token: tools, a call, a resource, stateful sessions', async () => {
    await start();
    const a = await connect(h);
    const b = await connect(h);
    clients.push(a.client, b.client);
    assert.ok(a.transport.sessionId && b.transport.sessionId && a.transport.sessionId !== b.transport.sessionId);
    assert.equal(h.sessionCount(), 2);
    assert.equal((await a.client.listTools()).tools.length, 13);
    const r = await b.client.callTool({ name: 'get_rule', arguments: { id: '001' } });
    assert.equal((r.structuredContent as { id: string }).id, '001');
    const res = await a.client.readResource({ uri: 'llmgenie://decision-log' });
    assert.match(String((res.contents[0] as { text?: string }).text), /Decision log/);
    await a.transport.terminateSession();
    assert.equal(h.sessionCount(), 1);
  });

  it('requires the token: none or a wrong one is 401 with a Bearer challenge', async () => {
    await start();
    for (const headers of [{}, auth('wrong-token'), { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
      const r = await raw(h.port, { headers, body: INIT });
      assert.equal(r.status, 401, JSON.stringify(headers));
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="llmgenie"');
      assert.match(JSON.parse(r.body).error.message, /Authorization: Bearer/);
    }
    await assert.rejects(connect(h, 'nope'), /401|Unauthorized/);
    assert.equal(h.sessionCount(), 0);
  });

  it('rejects a foreign Host or Origin with 403 before looking at the token (DNS rebinding)', async () => {
    await start();
    const port = h.port;
    for (const host of ['evil.example.com', `evil.example.com:${port}`, `localhost.evil.com:${port}`, '127.0.0.2']) {
      const r = await raw(port, { headers: { host, ...auth() }, body: INIT });
      assert.equal(r.status, 403, `Host: ${host}`);
    }
    for (const origin of ['http://evil.example.com', 'null', `http://localhost.evil.com:${port}`, 'file://', 'vscode-webview://x']) {
      const r = await raw(port, { headers: { origin, ...auth() }, body: INIT });
      assert.equal(r.status, 403, `Origin: ${origin}`);
    }
    assert.equal((await raw(port, { headers: { host: 'evil.example.com' }, body: INIT })).status, 403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      const r = await raw(port, { headers: { host, origin: `http://localhost:${port}`, ...auth() }, body: INIT });
      assert.equal(r.status, 200, `Host: ${host}`);
      assert.ok(r.headers['mcp-session-id']);
    }
  });

  it('--no-auth serves without a token, still refusing foreign hosts', async () => {
    await start({ token: undefined });
    const { client } = await connect(h, undefined);
    clients.push(client);
    assert.deepEqual(await client.ping(), {});
    assert.equal((await raw(h.port, { headers: { host: 'evil.example.com' }, body: INIT })).status, 403);
  });

  it('answers protocol misuse with the right status: no session, unknown session, bad JSON, huge body, bad method', async () => {
    await start();
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
    assert.equal((await raw(h.port, { headers: auth(), body: list })).status, 400);
    assert.equal((await raw(h.port, { method: 'GET', headers: auth() })).status, 400);
    assert.equal((await raw(h.port, { headers: { ...auth(), 'mcp-session-id': 'no-such-session' }, body: list })).status, 404);
    const bad = await raw(h.port, { headers: auth(), body: '{"jsonrpc": ' });
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).error.code, -32700);
    assert.equal((await raw(h.port, { headers: auth(), body: 'x'.repeat(4 * 1024 * 1024 + 1) })).status, 413);
    const put = await raw(h.port, { method: 'PUT', headers: auth(), body: INIT });
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, 'GET, POST, DELETE');
  });

  it('handles concurrent calls across sessions', async () => {
    await start();
    const cs = await Promise.all([connect(h), connect(h), connect(h)]);
    clients.push(...cs.map((c) => c.client));
    const calls = cs.flatMap(({ client }, i) =>
      Array.from({ length: 8 }, (_, j) =>
        (j + i) % 2 ? client.callTool({ name: 'check_policy', arguments: { path: 'src/billing.ts' } }) : client.callTool({ name: 'search_lessons', arguments: { query: 'cents' } }),
      ),
    );
    const out = await Promise.all(calls);
    assert.equal(out.length, 24);
    for (const r of out) assert.ok(!r.isError && r.structuredContent, JSON.stringify(r.content));
  });

  it('closes idle sessions and keeps at most maxSessions, least recently used out first', async () => {
    await start({ maxSessions: 2 });
    const first = await connect(h);
    const second = await connect(h);
    await first.client.ping(); // first is now the most recently used
    const third = await connect(h);
    clients.push(first.client, second.client, third.client);
    assert.equal(h.sessionCount(), 2);
    assert.deepEqual(await first.client.ping(), {});
    await assert.rejects(second.client.ping(), /404|Session not found/);
    await h.close();

    await start({ idleMs: 40 });
    const idle = await connect(h);
    clients.push(idle.client);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(h.sessionCount(), 0);
  });

  it('close() ends every session and stops listening', async () => {
    await start();
    const { client } = await connect(h);
    clients.push(client);
    await h.close();
    await assert.rejects(raw(h.port, { headers: auth(), body: INIT }), /ECONNREFUSED/);
  });
});

describe('mcp HTTP guards', () => {
  it('isLoopbackHost accepts only loopback names, with or without a port', () => {
    for (const ok of ['localhost', 'localhost:80', '127.0.0.1:65535', '[::1]', '[::1]:3000', 'LocalHost:1']) assert.ok(isLoopbackHost(ok), ok);
    for (const bad of [undefined, '', 'evil.com', 'localhost.evil.com', '127.0.0.1.nip.io', '0.0.0.0', '[::2]:1', 'localhost:80:80', '::1', 'user@localhost']) {
      assert.ok(!isLoopbackHost(bad), String(bad));
    }
  });

  it('isAllowedOrigin allows no Origin and loopback http(s) origins only', () => {
    for (const ok of [undefined, 'http://localhost', 'https://127.0.0.1:8443', 'http://[::1]:3000']) assert.ok(isAllowedOrigin(ok), String(ok));
    for (const bad of ['null', '', 'http://evil.com', 'http://localhost.evil.com', 'ws://localhost', 'file:///etc', 'vscode-webview://abc']) {
      assert.ok(!isAllowedOrigin(bad), bad);
    }
  });
});
