// One Redis connection for the team bus: loads @redis/client on first use (so neither the extension's activation
// nor a CLI command that never touches Redis pays for it), fails the first connect with one clear line, and once
// connected rides out a server restart: commands wait in the client's offline queue, a command cut off mid-flight
// is retried (every bus script is safe to repeat), and scripts flushed by the restart are loaded again.
import { createHash } from 'node:crypto';
import type { RedisClientType } from '@redis/client';
import { BusError } from './bus';
import { maskRedisUrl, maskSecretsInText } from './redisConfig';

export type RedisReply = string | number | null | RedisReply[] | { [field: string]: RedisReply };

/** A hash or stream-entry reply as an object: the client gives HGETALL as a map, entry fields as [k, v, …]. */
export function replyMap(r: RedisReply | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(r)) {
    for (let i = 0; i + 1 < r.length; i += 2) out[String(r[i])] = String(r[i + 1]);
  } else if (r && typeof r === 'object') {
    for (const [k, v] of Object.entries(r)) out[k] = String(v);
  }
  return out;
}

export interface RedisConnectionOptions {
  /** redis:// or rediss:// URL; a password in it is used, never printed. */
  readonly url: string;
  /** From the environment or secret storage; wins over one in the URL. */
  readonly password?: string;
  readonly connectTimeoutMs?: number;
  /** Told once when the connection drops and once when it is back (a worker prints both). */
  readonly onConnectionChange?: (state: 'lost' | 'back', detail: string) => void;
}

export interface RedisConnection {
  readonly display: string;
  /** One command, e.g. ['XRANGE', key, '-', '+']. Retried across a reconnect. */
  command(args: readonly (string | number)[]): Promise<RedisReply>;
  /** EVALSHA with a fallback to loading the script (a restarted server has none). Retried across a reconnect. */
  script(source: string, keys: readonly string[], args: readonly (string | number)[]): Promise<RedisReply>;
  close(): Promise<void>;
}

type RedisModule = typeof import('@redis/client');
let loaded: Promise<RedisModule> | undefined;
/** The client library, imported once on first use (a separate chunk in the bundles, see esbuild.config.mjs). */
export function loadRedisClient(): Promise<RedisModule> {
  return (loaded ??= import('@redis/client'));
}

export async function openRedisConnection(opts: RedisConnectionOptions): Promise<RedisConnection> {
  const redis = await loadRedisClient();
  const display = maskRedisUrl(opts.url);
  let everConnected = false;
  let closed = false;
  let lost = false;
  const client = redis.createClient({
    url: opts.url,
    ...(opts.password ? { password: opts.password } : {}),
    socket: {
      connectTimeout: opts.connectTimeoutMs ?? 5000,
      // The first connect gets one try and one clear message; a connection that worked is retried forever
      // (a worker outlives a Redis restart), backing off to once a second.
      reconnectStrategy: (retries: number, cause: Error) =>
        everConnected && !closed ? Math.min(50 * 2 ** retries, 1000) : new BusError('io', unreachable(display, cause)),
    },
  }) as unknown as RedisClientType;
  client.on('error', (e: Error) => {
    if (everConnected && !closed && !lost) {
      lost = true;
      opts.onConnectionChange?.('lost', `lost the connection to Redis at ${display} (${clean(e)}); reconnecting…`);
    }
  });
  client.on('ready', () => {
    if (lost) {
      lost = false;
      opts.onConnectionChange?.('back', `reconnected to Redis at ${display}`);
    }
  });
  try {
    await client.connect();
  } catch (e) {
    throw e instanceof BusError ? e : new BusError('io', unreachable(display, e));
  }
  everConnected = true;

  const shas = new Map<string, string>();
  const sha = (source: string): string => {
    let s = shas.get(source);
    if (!s) shas.set(source, (s = createHash('sha1').update(source).digest('hex')));
    return s;
  };
  const send = (args: readonly (string | number)[]): Promise<RedisReply> => client.sendCommand(args.map(String)) as Promise<RedisReply>;
  const retrying = async (what: () => Promise<RedisReply>): Promise<RedisReply> => {
    for (let attempt = 0; ; attempt++) {
      if (closed) throw new BusError('closed', 'the Redis bus is closed');
      try {
        return await what();
      } catch (e) {
        if (e instanceof redis.ErrorReply) throw e; // the server answered: retrying cannot help
        // Cut off by a dropped connection: the client reconnects on its own; try again for about a minute.
        if (closed || attempt >= 600) throw new BusError(closed ? 'closed' : 'io', `Redis at ${display}: ${clean(e)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return {
    display,
    command: (args) => retrying(() => send(args)),
    script: (source, keys, args) =>
      retrying(async () => {
        try {
          return await send(['EVALSHA', sha(source), keys.length, ...keys, ...args]);
        } catch (e) {
          if (!(e instanceof redis.ErrorReply) || !/NOSCRIPT/.test(e.message)) throw e;
          return send(['EVAL', source, keys.length, ...keys, ...args]);
        }
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } catch {
        client.destroy();
      }
    },
  };
}

function clean(e: unknown): string {
  return maskSecretsInText(String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' '));
}

function unreachable(display: string, cause: unknown): string {
  // connect() rejects with the client's ReconnectStrategyError around the strategy's own BusError: say it once.
  for (let c = cause as { originalError?: unknown; cause?: unknown } | undefined, i = 0; c && i < 5; c = (c.originalError ?? c.cause) as typeof c, i++)
    if (c instanceof BusError) return c.message;
  return `cannot reach Redis at ${display} (${clean(cause)}); is redis-server running there, and is the URL right?`;
}
