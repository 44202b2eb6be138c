import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

export const MCP_PATH = '/mcp';
/** The only interface the server listens on: other machines, containers and LAN pages never reach it. */
export const LOOPBACK = '127.0.0.1';
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface McpHttpOptions {
  /** 0 picks a free port. */
  port: number;
  /** Bearer token every request must carry; undefined turns authentication off (`--no-auth`). */
  token?: string;
  /** A fresh McpServer per client session (they share one McpWorkspace). */
  createServer: () => McpServer;
  /** Sessions kept at once; the least recently used is closed to make room. Default 64. */
  maxSessions?: number;
  /** A session without requests for this long is closed (ms). Default 30 minutes. */
  idleMs?: number;
  /** Unexpected failures (never request content). */
  onError?: (message: string) => void;
}

export interface McpHttpHandle {
  readonly url: string;
  readonly port: number;
  sessionCount(): number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  /** Date.now() of the last request, for the idle timeout. */
  lastSeen: number;
  /** Request counter value of the last request: a strict order for least-recently-used eviction. */
  lastUse: number;
}

/**
 * `Host` must name the loopback interface: a DNS-rebinding page reaches 127.0.0.1 under its own host name, and
 * is refused here before anything else is looked at.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host.trim());
  return !!m && LOOPBACK_NAMES.has(m[1].toLowerCase());
}

/** No `Origin` (a non-browser client) is fine; a browser page may only call from a loopback origin. */
export function isAllowedOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_NAMES.has(u.hostname.toLowerCase());
  } catch {
    return false;
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function reject(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 400 && /parse/i.test(message) ? -32700 : -32000, message }, id: null }));
}

class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw new BodyError(413, `Payload Too Large: at most ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `Payload Too Large: at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, 'Parse error: the body is not JSON');
  }
}

/**
 * Streamable HTTP on 127.0.0.1:`port`/mcp with stateful sessions (`Mcp-Session-Id`). Every request passes, in
 * order: Host and Origin checks (403), the bearer token (401), then the MCP transport of its session.
 */
export async function startMcpHttpServer(opts: McpHttpOptions): Promise<McpHttpHandle> {
  const sessions = new Map<string, Session>();
  let uses = 0;
  const maxSessions = Math.max(1, opts.maxSessions ?? 64);
  const idleMs = opts.idleMs ?? 30 * 60_000;
  const onError = opts.onError ?? (() => {});

  const drop = (id: string): void => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    s.server.close().catch(() => {});
  };

  const evictOldest = (): void => {
    let oldest: [string, Session] | undefined;
    for (const e of sessions) if (!oldest || e[1].lastUse < oldest[1].lastUse) oldest = e;
    if (oldest) drop(oldest[0]);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isLoopbackHost(req.headers.host)) return reject(res, 403, 'Forbidden: the Host header must be localhost, 127.0.0.1 or [::1]');
    if (!isAllowedOrigin(req.headers.origin)) return reject(res, 403, 'Forbidden: cross-origin requests are refused');
    const path = (req.url ?? '/').split('?')[0];
    if (path !== MCP_PATH) return reject(res, 404, `Not Found: the MCP endpoint is ${MCP_PATH}`);
    if (opts.token !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m || !sameSecret(m[1], opts.token)) {
        return reject(res, 401, 'Unauthorized: send "Authorization: Bearer <token>" (llmgenie mcp --http prints the token when it starts)', {
          'www-authenticate': 'Bearer realm="llmgenie"',
        });
      }
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') {
      return reject(res, 405, 'Method Not Allowed', { allow: 'GET, POST, DELETE' });
    }

    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string' && sid) {
      const s = sessions.get(sid);
      if (!s) return reject(res, 404, 'Session not found: initialize a new session');
      s.lastSeen = Date.now();
      s.lastUse = ++uses;
      return s.transport.handleRequest(req, res);
    }
    if (method !== 'POST') return reject(res, 400, 'Bad Request: no Mcp-Session-Id header; start with an initialize POST');
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      if (e instanceof BodyError) return reject(res, e.status, e.message);
      throw e;
    }
    if (!isInitializeRequest(body)) return reject(res, 400, 'Bad Request: no Mcp-Session-Id header; start with an initialize POST');
    if (sessions.size >= maxSessions) evictOldest();

    const server = opts.createServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, lastSeen: Date.now(), lastUse: ++uses });
      },
      onsessionclosed: (id) => drop(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const http: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      onError(`request failed: ${(e as Error)?.message ?? String(e)}`);
      reject(res, 500, 'Internal Server Error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, LOOPBACK, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (e) => onError(`server error: ${e.message}`));

  const sweep = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const [id, s] of sessions) if (s.lastSeen < cutoff) drop(id);
  }, Math.min(idleMs, 60_000));
  sweep.unref();

  const port = (http.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${LOOPBACK}:${port}${MCP_PATH}`,
    port,
    sessionCount: () => sessions.size,
    close: () =>
      (closing ??= (async () => {
        clearInterval(sweep);
        const all = [...sessions.values()];
        sessions.clear();
        await Promise.all(all.map((s) => s.server.close().catch(() => {})));
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
      })()),
  };
}
